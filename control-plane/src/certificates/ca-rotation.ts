import { readdir } from "node:fs/promises";
import type { x509 } from "@ans/shared/keys";
import { saveKeyPair } from "../keystore/index.ts";
import {
	type CaPaths,
	formatCaState,
	intermediatePaths,
} from "./ca-directory.ts";
import { writeCaFile, writeCertificateFile } from "./ca-files.ts";
import {
	CA_KEY_ALGORITHM,
	createIntermediateCertificate,
} from "./ca-profiles.ts";

/** Input of {@link createIntermediateFiles}. */
export interface NewIntermediateParams {
	paths: CaPaths;
	id: string;
	root: x509.X509Certificate;
	rootPrivateKey: CryptoKey;
	passphrase: string | undefined;
	now: Date;
}

/**
 * Returns the id for a new intermediate: one more than the highest id that
 * has a key or certificate file. Counting key files too means that a key
 * left behind by an interrupted rotation is never overwritten.
 */
export async function nextIntermediateId(paths: CaPaths): Promise<string> {
	const names = await readdir(paths.intermediatesDir);
	let highest = 0;
	for (const name of names) {
		const match = /^([1-9][0-9]{0,8})\.(key|pem)$/.exec(name);
		if (match?.[1] !== undefined) {
			highest = Math.max(highest, Number(match[1]));
		}
	}
	return String(highest + 1);
}

/**
 * Generates the key of intermediate `id` and its certificate signed by the
 * root, and writes both to the CA directory, key first. Neither file may
 * exist yet. Does not make the intermediate current.
 */
export async function createIntermediateFiles(
	params: NewIntermediateParams,
): Promise<{ certificate: x509.X509Certificate; keys: CryptoKeyPair }> {
	const files = intermediatePaths(params.paths, params.id);
	const keys = await generateCaKeys();
	await saveKeyPair(
		files.key,
		keys,
		params.passphrase === undefined ? {} : { passphrase: params.passphrase },
	);
	const certificate = await createIntermediateCertificate({
		id: params.id,
		publicKey: keys.publicKey,
		root: params.root,
		rootPrivateKey: params.rootPrivateKey,
		now: params.now,
	});
	await writeCertificateFile(files.certificate, certificate);
	return { certificate, keys };
}

/**
 * Writes `ca.json` naming intermediate `id` as the one that issues, replacing
 * the file atomically, so a crash leaves either the old or the new state.
 */
export async function writeCurrentIntermediate(
	paths: CaPaths,
	id: string,
): Promise<void> {
	await writeCaFile(paths.state, formatCaState({ currentIntermediate: id }), {
		overwrite: true,
	});
}

/** Generates an extractable ECDSA P-384 key pair for a root or intermediate. */
export async function generateCaKeys(): Promise<CryptoKeyPair> {
	return (await crypto.subtle.generateKey(CA_KEY_ALGORITHM, true, [
		"sign",
		"verify",
	])) as CryptoKeyPair;
}

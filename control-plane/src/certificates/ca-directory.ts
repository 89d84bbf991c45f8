import { access, readFile } from "node:fs/promises";
import { join } from "node:path";
import { AnsError } from "@ans/shared/errors";

/**
 * File layout of a CA directory:
 *
 * - `root.key` and `root.pem` are the root private key (PKCS#8) and certificate.
 * - `intermediates/<id>.key` and `intermediates/<id>.pem` are one pair per
 *   intermediate. Rotation adds a pair and keeps the old ones, so that
 *   certificates they issued stay verifiable until they expire.
 * - `ca.json` ({@link CaState}) names the intermediate that issues now. It is
 *   written last, so a directory without it was never completed.
 */
export interface CaPaths {
	dir: string;
	rootKey: string;
	rootCertificate: string;
	intermediatesDir: string;
	state: string;
}

/** Contents of `ca.json`. */
export interface CaState {
	/** Id of the intermediate that signs new agent certificates. */
	currentIntermediate: string;
}

/** Intermediate ids are decimal counters, which keeps them safe as file names. */
const INTERMEDIATE_ID = /^[1-9][0-9]{0,8}$/;

/** Returns the paths of a CA directory's files. */
export function caPaths(dir: string): CaPaths {
	return {
		dir,
		rootKey: join(dir, "root.key"),
		rootCertificate: join(dir, "root.pem"),
		intermediatesDir: join(dir, "intermediates"),
		state: join(dir, "ca.json"),
	};
}

/** Returns the key and certificate paths of intermediate `id`. */
export function intermediatePaths(
	paths: CaPaths,
	id: string,
): { key: string; certificate: string } {
	return {
		key: join(paths.intermediatesDir, `${id}.key`),
		certificate: join(paths.intermediatesDir, `${id}.pem`),
	};
}

/** Serializes {@link CaState} as the contents of `ca.json`. */
export function formatCaState(state: CaState): string {
	return `${JSON.stringify(state, null, "\t")}\n`;
}

/**
 * Reports whether the directory contains none of the CA files, so a new CA
 * may be created in it. Other files, if any, are ignored.
 */
export async function isEmptyCaDirectory(paths: CaPaths): Promise<boolean> {
	const found = await Promise.all(
		[
			paths.rootKey,
			paths.rootCertificate,
			paths.state,
			paths.intermediatesDir,
		].map(exists),
	);
	return !found.includes(true);
}

/**
 * Checks that every file of a CA directory is present and reads `ca.json`.
 * Raises `CA_DIRECTORY_INCOMPLETE` listing the missing files, or
 * `CA_DIRECTORY_INVALID` when `ca.json` is malformed. A partial directory is
 * never repaired by creating new keys, because certificates issued under the
 * old ones would stop verifying.
 */
export async function readCaDirectory(paths: CaPaths): Promise<CaState> {
	const missing: string[] = [];
	for (const path of [paths.rootKey, paths.rootCertificate, paths.state]) {
		if (!(await exists(path))) {
			missing.push(path);
		}
	}
	if (missing.length > 0) {
		throw incomplete(paths, missing);
	}

	const state = parseCaState(paths, await readFile(paths.state, "utf8"));
	const intermediate = intermediatePaths(paths, state.currentIntermediate);
	for (const path of [intermediate.key, intermediate.certificate]) {
		if (!(await exists(path))) {
			missing.push(path);
		}
	}
	if (missing.length > 0) {
		throw incomplete(paths, missing);
	}
	return state;
}

function parseCaState(paths: CaPaths, text: string): CaState {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (error) {
		throw stateInvalid(paths, "it is not valid JSON", error);
	}
	const id = (value as { currentIntermediate?: unknown } | null)
		?.currentIntermediate;
	if (typeof id !== "string" || !INTERMEDIATE_ID.test(id)) {
		throw stateInvalid(
			paths,
			`"currentIntermediate" is ${JSON.stringify(id)} but must be a decimal id such as "1"`,
		);
	}
	return { currentIntermediate: id };
}

function incomplete(paths: CaPaths, missing: string[]): AnsError {
	return new AnsError(
		"CA_DIRECTORY_INCOMPLETE",
		`CA directory ${paths.dir} is incomplete: ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} missing. Restore the files from a backup. Only if no certificate was ever issued from this directory, delete it to create a new CA.`,
		{ status: 500 },
	);
}

function stateInvalid(
	paths: CaPaths,
	reason: string,
	cause?: unknown,
): AnsError {
	return new AnsError(
		"CA_DIRECTORY_INVALID",
		`CA state file ${paths.state} is invalid: ${reason}. Restore it from a backup.`,
		{ status: 500, cause },
	);
}

async function exists(path: string): Promise<boolean> {
	try {
		await access(path);
		return true;
	} catch (error) {
		const code = (error as { code?: unknown }).code;
		if (code === "ENOENT") {
			return false;
		}
		throw new AnsError(
			"CA_DIRECTORY_UNREADABLE",
			`could not check whether ${path} exists (${String(code)}); check the permissions of the CA directory`,
			{ status: 500, cause: error },
		);
	}
}

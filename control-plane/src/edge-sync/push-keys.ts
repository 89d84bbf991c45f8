import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { calculateJwkThumbprint, exportJWK, type JWK } from "jose";
import { loadKeyPair, saveKeyPair } from "../keystore/index.ts";

const algorithm = { name: "ECDSA", namedCurve: "P-256" } as const;

/** Options of {@link PushKeys.open}. */
export interface PushKeysOptions {
	/** Directory of the push key files, `<dataDir>/push-keys`. */
	dir: string;
	passphrase?: string | undefined;
}

interface LoadedKey {
	kid: string;
	privateKey: CryptoKey;
	publicJwk: JWK;
	modifiedAt: number;
}

/**
 * The control plane's ES256 keys for signing pushes to edges, separate from
 * the record-signing keys. Every `*.key` file in the directory is published
 * in the push JWKS, and the most recently written one signs. A rotation
 * therefore adds a new file, lets edges pin the new JWKS, then removes the
 * old file.
 */
export class PushKeys {
	readonly #keys: LoadedKey[];

	private constructor(keys: LoadedKey[]) {
		this.#keys = keys;
	}

	/** Loads the key files in `options.dir`, creating a first key when there is none. */
	static async open(options: PushKeysOptions): Promise<PushKeys> {
		const passphrase =
			options.passphrase === undefined
				? {}
				: { passphrase: options.passphrase };
		let names = await keyFileNames(options.dir);
		if (names.length === 0) {
			const pair = (await crypto.subtle.generateKey(algorithm, true, [
				"sign",
				"verify",
			])) as CryptoKeyPair;
			const kid = await calculateJwkThumbprint(
				await exportJWK(pair.publicKey),
				"sha256",
			);
			await saveKeyPair(join(options.dir, `${kid}.key`), pair, passphrase);
			names = [`${kid}.key`];
		}
		const keys: LoadedKey[] = [];
		for (const name of names) {
			const path = join(options.dir, name);
			const pair = await loadKeyPair(path, algorithm, passphrase);
			const jwk = await exportJWK(pair.publicKey);
			const kid = await calculateJwkThumbprint(jwk, "sha256");
			keys.push({
				kid,
				privateKey: pair.privateKey,
				publicJwk: { ...jwk, kid, alg: "ES256", use: "sig" },
				modifiedAt: (await stat(path)).mtimeMs,
			});
		}
		keys.sort((a, b) => b.modifiedAt - a.modifiedAt);
		return new PushKeys(keys);
	}

	/** The key that signs new pushes. */
	get signingKey(): { kid: string; privateKey: CryptoKey } {
		const [newest] = this.#keys;
		if (newest === undefined) {
			throw new Error("no push key is loaded");
		}
		return { kid: newest.kid, privateKey: newest.privateKey };
	}

	/** Public JWKS of every push key, for edges to pin as `ANS_PUSH_JWKS`. */
	jwks(): { keys: JWK[] } {
		return { keys: this.#keys.map((key) => ({ ...key.publicJwk })) };
	}
}

async function keyFileNames(dir: string): Promise<string[]> {
	try {
		return (await readdir(dir)).filter((name) => name.endsWith(".key")).sort();
	} catch (error) {
		if ((error as { code?: unknown }).code === "ENOENT") {
			return [];
		}
		throw error;
	}
}

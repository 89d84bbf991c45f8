/**
 * The registry's record-signing keys (ES256). Public halves and lifecycle
 * live in the database; private halves are files in the key store.
 *
 * @module
 */
import { join } from "node:path";
import { calculateJwkThumbprint, exportJWK, type JWK } from "jose";
import { loadKeyPair, saveKeyPair } from "../keystore/index.ts";
import type { RecordSigner } from "../publication/publisher.ts";
import { signRecord } from "../records/index.ts";
import type { SigningKeyRow, Store } from "../storage/types.ts";

const algorithm = { name: "ECDSA", namedCurve: "P-256" } as const;
const alg = "ES256";

/** Options of {@link SigningKeys.open}. */
export interface SigningKeysOptions {
	store: Store;
	/** Directory of the private key files. */
	dir: string;
	passphrase?: string | undefined;
	/** Validity window of every signed record, seconds. */
	recordValiditySeconds: number;
}

/** Loads, creates and publishes the registry's signing keys. */
export class SigningKeys implements RecordSigner {
	readonly #options: SigningKeysOptions;
	#rows: SigningKeyRow[] = [];
	#active: { kid: string; privateKey: CryptoKey } | undefined;

	private constructor(options: SigningKeysOptions) {
		this.#options = options;
	}

	/** Opens the key set, creating and activating a first key on first start. */
	static async open(options: SigningKeysOptions): Promise<SigningKeys> {
		const keys = new SigningKeys(options);
		await keys.#load();
		if (keys.#active === undefined) {
			await keys.#createKey("active", Date.now());
			await keys.#load();
		}
		return keys;
	}

	/** Key id of the key that signs new records. */
	activeKid(): string {
		return this.#requireActive().kid;
	}

	/** Public keys of every key that is published, active, or retired but still verifying records. */
	async jwks(): Promise<{ keys: JWK[] }> {
		const keys = this.#rows
			.filter((row) => row.status !== "retired")
			.map((row) => JSON.parse(row.publicJwkJson) as JWK);
		return { keys };
	}

	/** Signs a record payload with the active key. */
	async sign(
		payload: Parameters<RecordSigner["sign"]>[0],
		now: number,
	): Promise<{ jws: string; kid: string; expiresAt: number }> {
		const active = this.#requireActive();
		const validitySeconds = this.#options.recordValiditySeconds;
		const jws = await signRecord(payload, {
			key: active.privateKey,
			kid: active.kid,
			alg,
			now: new Date(now),
			validitySeconds,
		});
		const expiresAt = (Math.floor(now / 1000) + validitySeconds) * 1000;
		return { jws, kid: active.kid, expiresAt };
	}

	async #load(): Promise<void> {
		this.#rows = await this.#options.store.listSigningKeys();
		const activeRow = this.#rows.find((row) => row.status === "active");
		if (activeRow === undefined) {
			this.#active = undefined;
			return;
		}
		const pair = await loadKeyPair(
			this.#keyPath(activeRow.kid),
			algorithm,
			this.#passphraseOption(),
		);
		this.#active = { kid: activeRow.kid, privateKey: pair.privateKey };
	}

	async #createKey(
		status: SigningKeyRow["status"],
		now: number,
	): Promise<string> {
		const pair = (await crypto.subtle.generateKey(algorithm, true, [
			"sign",
			"verify",
		])) as CryptoKeyPair;
		const jwk = await exportJWK(pair.publicKey);
		const kid = await calculateJwkThumbprint(jwk, "sha256");
		await saveKeyPair(this.#keyPath(kid), pair, this.#passphraseOption());
		await this.#options.store.insertSigningKey({
			kid,
			alg,
			publicJwkJson: JSON.stringify({ ...jwk, kid, alg, use: "sig" }),
			status,
			createdAt: now,
			activatedAt: status === "active" ? now : null,
			retiredAt: null,
		});
		return kid;
	}

	#requireActive(): { kid: string; privateKey: CryptoKey } {
		if (this.#active === undefined) {
			throw new Error("no active signing key is loaded");
		}
		return this.#active;
	}

	#keyPath(kid: string): string {
		return join(this.#options.dir, `${kid}.key`);
	}

	#passphraseOption(): { passphrase?: string } {
		return this.#options.passphrase === undefined
			? {}
			: { passphrase: this.#options.passphrase };
	}
}

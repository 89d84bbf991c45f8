/**
 * The registry's record-signing keys (ES256). Public halves and lifecycle
 * live in the database; private halves are files in the key store.
 *
 * Rotation: a new key is first `published` (in the JWKS, signing nothing)
 * until `activateAfter`, so every JWKS cache has seen it before a record
 * carries its kid. Then it becomes `active` and the previous key `retired`.
 * A retired key stays in the JWKS until every record it signed has expired,
 * which is its retirement time plus the record validity. The maintenance job
 * re-signs records with the active key well before that.
 *
 * @module
 */
import { join } from "node:path";
import { AnsError } from "@ans/shared/errors";
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

/** Public view of a signing key, for the admin API. */
export interface SigningKeyInfo {
	kid: string;
	alg: string;
	status: SigningKeyRow["status"];
	createdAt: string;
	activatedAt: string | null;
	activateAfter: string | null;
	retiredAt: string | null;
	/** When a retired key leaves the JWKS. */
	unpublishAt: string | null;
}

/** Loads, creates, rotates and publishes the registry's signing keys. */
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
			const now = Date.now();
			await keys.#createKey("active", now, null);
			await keys.#load();
		}
		return keys;
	}

	/** Key id of the key that signs new records. */
	activeKid(): string {
		return this.#requireActive().kid;
	}

	/**
	 * Public keys of every key that is published, active, or retired less
	 * than one record validity ago.
	 */
	async jwks(now = Date.now()): Promise<{ keys: JWK[] }> {
		const keys = this.#rows
			.filter((row) => row.status !== "retired" || this.#unpublishAt(row) > now)
			.map((row) => JSON.parse(row.publicJwkJson) as JWK);
		return { keys };
	}

	/** Lists every key with its lifecycle times. */
	list(): SigningKeyInfo[] {
		const iso = (value: number | null) =>
			value === null ? null : new Date(value).toISOString();
		return this.#rows.map((row) => ({
			kid: row.kid,
			alg: row.alg,
			status: row.status,
			createdAt: new Date(row.createdAt).toISOString(),
			activatedAt: iso(row.activatedAt),
			activateAfter: iso(row.activateAfter),
			retiredAt: iso(row.retiredAt),
			unpublishAt:
				row.status === "retired" ? iso(this.#unpublishAt(row)) : null,
		}));
	}

	/**
	 * Starts a rotation: creates a key that is published now and becomes
	 * active at `now + activateAfterSeconds` (on the next maintenance run).
	 * Throws 409 `SIGNING_KEY_ROTATION_PENDING` while another one waits.
	 */
	async rotate(
		now: number,
		activateAfterSeconds: number,
	): Promise<SigningKeyInfo> {
		const pending = this.#rows.find((row) => row.status === "published");
		if (pending !== undefined) {
			throw new AnsError(
				"SIGNING_KEY_ROTATION_PENDING",
				`key ${pending.kid} is already published and waiting to become active; wait for it before rotating again`,
				{ status: 409 },
			);
		}
		const kid = await this.#createKey(
			"published",
			now,
			now + activateAfterSeconds * 1000,
		);
		await this.#load();
		const created = this.list().find((key) => key.kid === kid);
		if (created === undefined) {
			throw new Error(`signing key ${kid} was not stored`);
		}
		return created;
	}

	/**
	 * Activates a published key whose time has come and retires the key it
	 * replaces. Returns the new active kid, or undefined when nothing changed.
	 */
	async activateDue(now: number): Promise<string | undefined> {
		const due = this.#rows.find(
			(row) =>
				row.status === "published" &&
				row.activateAfter !== null &&
				row.activateAfter <= now,
		);
		if (due === undefined) {
			return undefined;
		}
		// Activate first: a crash between the two writes leaves two active keys,
		// which #load resolves, rather than none.
		await this.#options.store.updateSigningKey(due.kid, {
			status: "active",
			activatedAt: now,
		});
		for (const row of this.#rows.filter(
			(candidate) => candidate.status === "active",
		)) {
			await this.#options.store.updateSigningKey(row.kid, {
				status: "retired",
				retiredAt: now,
			});
		}
		await this.#load();
		return due.kid;
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

	#unpublishAt(row: SigningKeyRow): number {
		return (row.retiredAt ?? 0) + this.#options.recordValiditySeconds * 1000;
	}

	async #load(): Promise<void> {
		this.#rows = await this.#options.store.listSigningKeys();
		const active = this.#rows
			.filter((row) => row.status === "active")
			.sort((a, b) => (b.activatedAt ?? 0) - (a.activatedAt ?? 0));
		const [newest, ...older] = active;
		for (const row of older) {
			await this.#options.store.updateSigningKey(row.kid, {
				status: "retired",
				retiredAt: newest?.activatedAt ?? Date.now(),
			});
		}
		if (older.length > 0) {
			this.#rows = await this.#options.store.listSigningKeys();
		}
		if (newest === undefined) {
			this.#active = undefined;
			return;
		}
		const pair = await loadKeyPair(
			this.#keyPath(newest.kid),
			algorithm,
			this.#passphraseOption(),
		);
		this.#active = { kid: newest.kid, privateKey: pair.privateKey };
	}

	async #createKey(
		status: SigningKeyRow["status"],
		now: number,
		activateAfter: number | null,
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
			activateAfter,
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

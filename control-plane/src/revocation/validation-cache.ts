/**
 * The certificate validation cache: revocation status per certificate
 * serial, kept for 5 minutes and removed at once when the certificate is
 * revoked. {@link MemoryValidationCache} serves one process;
 * `RedisValidationCache` shares entries and invalidations between processes.
 *
 * @module
 */

/** Time a cached status stays valid: 5 minutes. */
export const VALIDATION_CACHE_TTL_MS = 5 * 60 * 1000;

/** Default maximum number of entries of {@link MemoryValidationCache}. */
export const MEMORY_CACHE_MAX_ENTRIES = 10_000;

/** Revocation status of one issued certificate, as the primary database stored it. */
export interface CertificateStatus {
	/** Serial number as lowercase hex, as in the `certificates` table. */
	serial: string;
	/** Id of the intermediate that issued the certificate. */
	issuerId: string;
	status: "good" | "revoked";
	/** Revocation time in epoch ms, set when `status` is `revoked`. */
	revokedAt?: number;
	/** RFC 5280 CRLReason name, set when `status` is `revoked`. */
	reason?: string;
	/** End of the certificate's validity in epoch ms. */
	notAfter: number;
	/** Time the status was read from the primary database, in epoch ms. */
	checkedAt: number;
}

/**
 * Result of {@link ValidationCache.get}: the cached status, or a miss with
 * a token to pass to {@link ValidationCache.set}.
 */
export type CacheLookup =
	| { hit: true; status: CertificateStatus }
	| { hit: false; token: string };

/** A cache of {@link CertificateStatus} by serial. */
export interface ValidationCache {
	readonly backend: "memory" | "redis";
	/** Returns the cached status of `serial`, or a miss. */
	get(serial: string): Promise<CacheLookup>;
	/**
	 * Stores a status read from the database after `get` returned `token`.
	 * The write is skipped when the serial was invalidated since that `get`,
	 * so a status read just before a revocation never outlives it.
	 */
	set(token: string, status: CertificateStatus): Promise<void>;
	/** Removes the entry of `serial` and rejects writes based on earlier reads. */
	invalidate(serial: string): Promise<void>;
	close(): Promise<void>;
}

/** Options of {@link MemoryValidationCache}. */
export interface MemoryValidationCacheOptions {
	/** Defaults to {@link VALIDATION_CACHE_TTL_MS}. */
	ttlMs?: number;
	/** Defaults to {@link MEMORY_CACHE_MAX_ENTRIES}; the oldest entry goes first. */
	maxEntries?: number;
	/** Clock in epoch ms, for tests. */
	now?: () => number;
}

interface MemoryEntry {
	status: CertificateStatus;
	expiresAt: number;
}

/** A bounded in-process {@link ValidationCache}. */
export class MemoryValidationCache implements ValidationCache {
	readonly backend = "memory" as const;
	readonly #entries = new Map<string, MemoryEntry>();
	readonly #ttlMs: number;
	readonly #maxEntries: number;
	readonly #now: () => number;
	/**
	 * Counts invalidations. A token is the count at the time of a miss, so
	 * any invalidation in between voids it. Revocations are rare, so voiding
	 * unrelated writes costs at most one more database read each.
	 */
	#invalidations = 0;

	constructor(options: MemoryValidationCacheOptions = {}) {
		this.#ttlMs = options.ttlMs ?? VALIDATION_CACHE_TTL_MS;
		this.#maxEntries = options.maxEntries ?? MEMORY_CACHE_MAX_ENTRIES;
		this.#now = options.now ?? Date.now;
	}

	/** Number of entries, including expired ones not yet removed. */
	get size(): number {
		return this.#entries.size;
	}

	async get(serial: string): Promise<CacheLookup> {
		const entry = this.#entries.get(serial);
		if (entry !== undefined && entry.expiresAt > this.#now()) {
			return { hit: true, status: entry.status };
		}
		if (entry !== undefined) {
			this.#entries.delete(serial);
		}
		return { hit: false, token: String(this.#invalidations) };
	}

	async set(token: string, status: CertificateStatus): Promise<void> {
		if (token !== String(this.#invalidations)) {
			return;
		}
		// Re-inserting moves the key to the end of the Map's insertion order,
		// which is the eviction order.
		this.#entries.delete(status.serial);
		this.#entries.set(status.serial, {
			status,
			expiresAt: this.#now() + this.#ttlMs,
		});
		while (this.#entries.size > this.#maxEntries) {
			const oldest = this.#entries.keys().next();
			if (oldest.done === true) {
				break;
			}
			this.#entries.delete(oldest.value);
		}
	}

	async invalidate(serial: string): Promise<void> {
		this.#invalidations++;
		this.#entries.delete(serial);
	}

	async close(): Promise<void> {
		this.#entries.clear();
	}
}

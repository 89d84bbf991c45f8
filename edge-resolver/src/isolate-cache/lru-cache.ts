/**
 * A least-recently-used map with per-entry expiry. A `Map` keeps insertion
 * order, so re-inserting an entry on every read makes the first key the
 * least recently used one.
 */
export class LruCache<V> {
	readonly #maxEntries: number;
	readonly #entries = new Map<string, { value: V; expiresAt: number }>();

	/** Creates a cache of at most `maxEntries` entries; 0 stores nothing. */
	constructor(maxEntries: number) {
		if (!Number.isInteger(maxEntries) || maxEntries < 0) {
			throw new RangeError(
				`maxEntries must be a non-negative integer, got ${maxEntries}`,
			);
		}
		this.#maxEntries = maxEntries;
	}

	/** Number of stored entries, expired ones included until they are read or evicted. */
	get size(): number {
		return this.#entries.size;
	}

	/** Returns the value stored under `key` unless it expired at `now` (epoch ms), and marks it recently used. */
	get(key: string, now: number): V | undefined {
		const entry = this.#entries.get(key);
		if (entry === undefined) {
			return undefined;
		}
		this.#entries.delete(key);
		if (entry.expiresAt <= now) {
			return undefined;
		}
		this.#entries.set(key, entry);
		return entry.value;
	}

	/** Stores `value` until `expiresAt` (epoch ms), evicting the least recently used entry when full. */
	set(key: string, value: V, expiresAt: number): void {
		if (this.#maxEntries === 0) {
			return;
		}
		this.#entries.delete(key);
		if (this.#entries.size >= this.#maxEntries) {
			const oldest = this.#entries.keys().next();
			if (oldest.done !== true) {
				this.#entries.delete(oldest.value);
			}
		}
		this.#entries.set(key, { value, expiresAt });
	}

	/** Deletes every entry whose value matches `predicate`; returns how many were deleted. */
	deleteWhere(predicate: (value: V) => boolean): number {
		let deleted = 0;
		for (const [key, entry] of this.#entries) {
			if (predicate(entry.value)) {
				this.#entries.delete(key);
				deleted += 1;
			}
		}
		return deleted;
	}

	/** Deletes every entry. */
	clear(): void {
		this.#entries.clear();
	}
}

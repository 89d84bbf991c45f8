import type { ChangedSince, EdgeAnswer } from "../replica/protocol.ts";
import { LruCache } from "./lru-cache.ts";

/**
 * How long (ms) an isolate serves cached answers before it asks the replica
 * which base names changed. A push handled by another isolate therefore
 * reaches this one's cache within this time.
 */
export const REPLICA_CHECK_INTERVAL_MS = 250;

/** Asks the replica which base names changed after a sequence. */
export type ChangeCheck = (seq: number) => Promise<ChangedSince>;

/**
 * Answers cached in one worker isolate, keyed by query. Entries expire at
 * the answer's `freshUntil`, so the cache never extends the replica's
 * freshness. Before serving an entry, the cache asks the replica at most
 * once per {@link REPLICA_CHECK_INTERVAL_MS} for the base names changed
 * since its last check and drops their answers. `A` lets callers store
 * answers with fields of their own, such as a precomputed ETag.
 */
export class IsolateAnswerCache<A extends EdgeAnswer = EdgeAnswer> {
	readonly #entries: LruCache<A>;
	readonly #checkIntervalMs: number;
	/** Lowest replica sequence any cached answer may be older than; undefined while empty. */
	#checkedSeq: number | undefined;
	#lowestSeqDuringCheck = Number.POSITIVE_INFINITY;
	#lastCheckAt = Number.NEGATIVE_INFINITY;
	#check: Promise<boolean> | undefined;

	/** Creates a cache of at most `maxEntries` answers; 0 disables it. */
	constructor(maxEntries: number, checkIntervalMs = REPLICA_CHECK_INTERVAL_MS) {
		this.#entries = new LruCache(maxEntries);
		this.#checkIntervalMs = checkIntervalMs;
	}

	/**
	 * Returns the cached answer for `key` if it is still fresh at `now` and
	 * its base name did not change. When the replica cannot be asked, the
	 * cache is emptied and nothing is returned.
	 */
	async get(
		key: string,
		now: number,
		checkReplica: ChangeCheck,
	): Promise<A | undefined> {
		if (this.#entries.get(key, now) === undefined) {
			return undefined;
		}
		if (now - this.#lastCheckAt >= this.#checkIntervalMs) {
			this.#lastCheckAt = now;
			const checked = await this.#purgeChanged(checkReplica);
			if (!checked) {
				return undefined;
			}
		}
		return this.#entries.get(key, now);
	}

	/** Stores a fresh answer until its `freshUntil`; stale answers and errors are not stored. */
	set(key: string, answer: A, now: number): void {
		const cacheable =
			(answer.status === 200 ||
				answer.status === 404 ||
				answer.status === 410) &&
			answer.cache !== "stale" &&
			answer.freshUntil > now;
		if (!cacheable) {
			return;
		}
		this.#checkedSeq = Math.min(
			this.#checkedSeq ?? answer.appliedSeq,
			answer.appliedSeq,
		);
		this.#lowestSeqDuringCheck = Math.min(
			this.#lowestSeqDuringCheck,
			answer.appliedSeq,
		);
		this.#entries.set(key, answer, answer.freshUntil);
	}

	/** Drops the answers about `baseKeys`. */
	purge(baseKeys: Iterable<string>): void {
		const keys = new Set(baseKeys);
		this.#entries.deleteWhere((answer) => keys.has(answer.baseKey));
	}

	/** Drops every answer. */
	clear(): void {
		this.#entries.clear();
		this.#checkedSeq = undefined;
	}

	/** Runs one change check, shared by concurrent callers; returns whether it succeeded. */
	#purgeChanged(checkReplica: ChangeCheck): Promise<boolean> {
		if (this.#check === undefined) {
			this.#check = this.#runCheck(checkReplica).finally(() => {
				this.#check = undefined;
			});
		}
		return this.#check;
	}

	async #runCheck(checkReplica: ChangeCheck): Promise<boolean> {
		const since = this.#checkedSeq ?? 0;
		this.#lowestSeqDuringCheck = Number.POSITIVE_INFINITY;
		let changed: ChangedSince;
		try {
			changed = await checkReplica(since);
		} catch {
			// Without the replica's word, no cached answer can be trusted.
			this.clear();
			return false;
		}
		if (changed.truncated || changed.appliedSeq < since) {
			// Too many changes to list, or a replica that was reset.
			this.clear();
		} else {
			this.purge(changed.baseKeys);
		}
		this.#checkedSeq =
			this.#entries.size === 0
				? undefined
				: Math.min(changed.appliedSeq, this.#lowestSeqDuringCheck);
		return true;
	}
}

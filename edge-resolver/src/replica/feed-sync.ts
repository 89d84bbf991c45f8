import { log } from "../logging/log.ts";
import type { OriginClient } from "../origin/origin-client.ts";
import type { ReplicaStore } from "./replica-store.ts";

/** Maximum wait for one feed page, ms. */
const PAGE_TIMEOUT_MS = 5_000;

/** Loop guard: pages read by one pull at most (500 changes each). */
const MAX_PAGES_PER_PULL = 10_000;

/** Result of a pull. */
export type PullOutcome =
	| { reachedHead: true }
	| { reachedHead: false; error: string };

/**
 * Pulls the control plane's change feed into the replica from its applied
 * sequence. Each page is applied in its own transaction, so a pull that
 * stops early keeps its progress. Concurrent callers share one pull.
 */
export class FeedSync {
	readonly #store: ReplicaStore;
	readonly #origin: OriginClient;
	#running: Promise<PullOutcome> | undefined;
	#lastFailureAt: number | undefined;
	#lastError: string | undefined;

	/** Creates a sync of `store` from `origin`. */
	constructor(store: ReplicaStore, origin: OriginClient) {
		this.#store = store;
		this.#origin = origin;
	}

	/** Message of the last failed pull; undefined after a successful one. */
	get lastError(): string | undefined {
		return this.#lastError;
	}

	/** Reports whether a pull failed within `windowMs` before `now`. */
	failedWithin(now: number, windowMs: number): boolean {
		return (
			this.#lastFailureAt !== undefined && now - this.#lastFailureAt < windowMs
		);
	}

	/**
	 * Pulls until the feed head or until `budgetMs` passed, and returns
	 * whether the head was reached. A caller that joins a running pull
	 * waits for it at most `budgetMs`; the pull itself goes on.
	 */
	pull(budgetMs: number): Promise<PullOutcome> {
		if (this.#running === undefined) {
			this.#running = this.#pullPages(budgetMs).finally(() => {
				this.#running = undefined;
			});
			return this.#running;
		}
		return withTimeout(this.#running, budgetMs);
	}

	async #pullPages(budgetMs: number): Promise<PullOutcome> {
		// Freshness counts from the start of the pull: every change committed
		// before this moment is at or below the head the pull reads.
		const startedAt = Date.now();
		const deadline = startedAt + budgetMs;
		let after = this.#store.meta().appliedSeq;
		try {
			for (let pages = 0; pages < MAX_PAGES_PER_PULL; pages += 1) {
				const remaining = deadline - Date.now();
				if (remaining <= 0) {
					return this.#failed(`stopped after ${budgetMs} ms at seq ${after}`);
				}
				const page = await this.#origin.changes(
					after,
					Math.min(remaining, PAGE_TIMEOUT_MS),
				);
				const next = Math.max(after, page.next);
				this.#store.applyChanges(page.changes, next);
				after = next;
				if (page.changes.length === 0 || after >= page.head) {
					this.#store.markSynced(startedAt);
					this.#lastError = undefined;
					this.#lastFailureAt = undefined;
					return { reachedHead: true };
				}
			}
			return this.#failed(
				`read ${MAX_PAGES_PER_PULL} pages without reaching the head`,
			);
		} catch (error) {
			return this.#failed((error as Error).message, error);
		}
	}

	#failed(message: string, error?: unknown): PullOutcome {
		this.#lastError = message;
		this.#lastFailureAt = Date.now();
		log("warn", "change feed pull failed", {
			err: error ?? message,
			appliedSeq: this.#store.meta().appliedSeq,
		});
		return { reachedHead: false, error: message };
	}
}

function withTimeout(
	pending: Promise<PullOutcome>,
	timeoutMs: number,
): Promise<PullOutcome> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const timeout = new Promise<PullOutcome>((resolve) => {
		timer = setTimeout(
			() =>
				resolve({
					reachedHead: false,
					error: `the running pull did not finish within ${timeoutMs} ms`,
				}),
			timeoutMs,
		);
	});
	return Promise.race([pending, timeout]).finally(() => clearTimeout(timer));
}

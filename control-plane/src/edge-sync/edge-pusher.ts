import type { ChangeEvent } from "@ans/shared/change-feed";
import type { Logger } from "../logging/logger.ts";
import type { Store } from "../storage/types.ts";
import type { EdgeTarget } from "./edge-list.ts";
import { type PushBatch, signPush } from "./push-token.ts";

/** Changes per push at most, the change feed's page size. */
export const MAX_PUSH_CHANGES = 500;

/** Serialized change bytes per push at most; a single larger change is still sent alone. */
const MAX_PUSH_BYTES = 4 * 1024 * 1024;

/** Maximum wait for an edge's reply, ms. */
const PUSH_TIMEOUT_MS = 5_000;

/** First retry delay and the cap of the exponential backoff, ms. */
const RETRY_BASE_MS = 250;
const RETRY_CAP_MS = 30_000;

/** Loop guard: batches sent per run before yielding to the event loop. */
const MAX_BATCHES_PER_RUN = 100;

/** Counters of push outcomes. */
export interface PushCounts {
	ok: number;
	replayed: number;
	failed: number;
}

/** Push state of one edge, for health and metrics. */
export interface EdgePushStatus {
	id: string;
	url: string;
	/** Highest sequence the edge confirmed it applied. */
	acknowledgedSeq: number;
	/** Highest committed sequence this pusher has seen. */
	headSeq: number;
	sequencesBehind: number;
	/** Seconds since the oldest change the edge has not acknowledged was committed; 0 when caught up. */
	lagSeconds: number;
	lastPushAt: string | null;
	lastError: string | null;
	lastErrorAt: string | null;
	consecutiveFailures: number;
	pushes: PushCounts;
}

/** Dependencies of a pusher on the control plane. */
export interface PusherDeps {
	store: Pick<Store, "headSeq" | "listChanges">;
	logger: Logger;
	issuer: string;
	signingKey: () => { kid: string; privateKey: CryptoKey };
}

/**
 * Pushes committed changes to one edge, in order and one request at a
 * time. {@link notify} only schedules work, so the write that produced a
 * change never waits for an edge. Failed pushes are retried with
 * exponential backoff and jitter.
 */
export class EdgePusher {
	readonly target: EdgeTarget;
	readonly #deps: PusherDeps;
	#acknowledgedSeq: number;
	#headSeq: number;
	/** Commit time (epoch ms) of the oldest unacknowledged change. */
	#pendingSince: number | undefined;
	#running: Promise<void> | undefined;
	#rerun = false;
	#retryTimer: NodeJS.Timeout | undefined;
	#closed = false;
	readonly #abort = new AbortController();
	#lastPushAt: number | undefined;
	#lastError: string | undefined;
	#lastErrorAt: number | undefined;
	#failures = 0;
	readonly #counts: PushCounts = { ok: 0, replayed: 0, failed: 0 };

	/** Creates a pusher that treats every change up to `startSeq` as acknowledged. */
	constructor(target: EdgeTarget, deps: PusherDeps, startSeq: number) {
		this.target = target;
		this.#deps = deps;
		this.#acknowledgedSeq = startSeq;
		this.#headSeq = startSeq;
	}

	/** Schedules a push of `event` and anything else not yet acknowledged. */
	notify(event: ChangeEvent): void {
		if (event.seq > this.#headSeq) {
			this.#headSeq = event.seq;
		}
		if (this.#pendingSince === undefined && event.seq > this.#acknowledgedSeq) {
			this.#pendingSince = event.at;
		}
		this.#kick();
	}

	/** Returns the push state at `now` (epoch ms). */
	status(now = Date.now()): EdgePushStatus {
		const behind = Math.max(0, this.#headSeq - this.#acknowledgedSeq);
		return {
			id: this.target.id,
			url: this.target.url,
			acknowledgedSeq: this.#acknowledgedSeq,
			headSeq: this.#headSeq,
			sequencesBehind: behind,
			lagSeconds:
				behind === 0 || this.#pendingSince === undefined
					? 0
					: Math.max(0, (now - this.#pendingSince) / 1000),
			lastPushAt: isoOrNull(this.#lastPushAt),
			lastError: this.#lastError ?? null,
			lastErrorAt: isoOrNull(this.#lastErrorAt),
			consecutiveFailures: this.#failures,
			pushes: { ...this.#counts },
		};
	}

	/** Stops retries, aborts a running push and waits for it to end. */
	async close(): Promise<void> {
		this.#closed = true;
		clearTimeout(this.#retryTimer);
		this.#abort.abort();
		await this.#running;
	}

	#kick(): void {
		if (this.#closed || this.#retryTimer !== undefined) {
			return;
		}
		if (this.#running !== undefined) {
			this.#rerun = true;
			return;
		}
		this.#rerun = false;
		this.#running = this.#drain()
			.catch((error: unknown) => {
				this.#fail(`push failed: ${(error as Error).message}`, error);
			})
			.finally(() => {
				this.#running = undefined;
				if (this.#rerun || this.#acknowledgedSeq < this.#headSeq) {
					if (this.#retryTimer === undefined && !this.#closed) {
						setImmediate(() => this.#kick());
					}
				}
			});
	}

	async #drain(): Promise<void> {
		for (let batch = 0; batch < MAX_BATCHES_PER_RUN; batch += 1) {
			if (this.#closed) {
				return;
			}
			// The head is read before the changes, so every change at or below
			// it is committed and a batch never skips one.
			const head = await this.#deps.store.headSeq();
			this.#headSeq = Math.max(this.#headSeq, head);
			if (this.#acknowledgedSeq >= head) {
				this.#pendingSince = undefined;
				return;
			}
			const changes = await this.#readBatch(head);
			if (changes.length === 0) {
				// No committed change lies between the acknowledged sequence and
				// the head, so there is nothing to send.
				this.#acknowledgedSeq = head;
				continue;
			}
			this.#pendingSince = changes[0]?.at;
			if (!(await this.#send({ head, changes }))) {
				return;
			}
		}
	}

	async #readBatch(head: number): Promise<ChangeEvent[]> {
		const rows = await this.#deps.store.listChanges(
			this.#acknowledgedSeq,
			MAX_PUSH_CHANGES,
		);
		const changes: ChangeEvent[] = [];
		let bytes = 0;
		for (const row of rows) {
			if (row.seq > head) {
				break;
			}
			bytes += row.payloadJson.length;
			if (changes.length > 0 && bytes > MAX_PUSH_BYTES) {
				break;
			}
			changes.push(JSON.parse(row.payloadJson) as ChangeEvent);
		}
		return changes;
	}

	/** Sends one batch; returns whether the edge acknowledged it. */
	async #send(batch: Omit<PushBatch, "issuer" | "audience">): Promise<boolean> {
		const jws = await signPush(
			{ ...batch, issuer: this.#deps.issuer, audience: this.target.id },
			this.#deps.signingKey(),
		);
		let response: Response;
		try {
			response = await fetch(`${this.target.url}/internal/changes`, {
				method: "POST",
				headers: { "content-type": "application/jose" },
				body: jws,
				signal: AbortSignal.any([
					this.#abort.signal,
					AbortSignal.timeout(PUSH_TIMEOUT_MS),
				]),
			});
		} catch (error) {
			if (this.#closed) {
				return false;
			}
			this.#fail(`push request failed: ${describe(error)}`, error);
			return false;
		}

		const body = (await response.json().catch(() => ({}))) as {
			appliedSeq?: unknown;
			error?: { code?: string; message?: string };
		};
		const appliedSeq =
			typeof body.appliedSeq === "number" ? body.appliedSeq : undefined;
		if (response.status === 200 || response.status === 409) {
			if (appliedSeq === undefined) {
				this.#fail(`edge replied ${response.status} without appliedSeq`);
				return false;
			}
			this.#acknowledge(appliedSeq, response.status === 409);
			return true;
		}
		const code = body.error?.code ?? `HTTP_${response.status}`;
		this.#fail(
			`edge rejected the push with ${response.status} ${code}: ${body.error?.message ?? "no message"}`,
		);
		return false;
	}

	#acknowledge(appliedSeq: number, replayed: boolean): void {
		this.#acknowledgedSeq = Math.max(this.#acknowledgedSeq, appliedSeq);
		this.#headSeq = Math.max(this.#headSeq, this.#acknowledgedSeq);
		this.#lastPushAt = Date.now();
		if (replayed) {
			this.#counts.replayed += 1;
		} else {
			this.#counts.ok += 1;
		}
		if (this.#failures > 0) {
			this.#deps.logger.info(
				{ edge: this.target.id, failures: this.#failures, appliedSeq },
				"edge accepts pushes again",
			);
		}
		this.#failures = 0;
		this.#lastError = undefined;
		if (this.#acknowledgedSeq >= this.#headSeq) {
			this.#pendingSince = undefined;
		}
	}

	#fail(message: string, error?: unknown): void {
		this.#failures += 1;
		this.#counts.failed += 1;
		this.#lastError = message;
		this.#lastErrorAt = Date.now();
		const delay = retryDelay(this.#failures);
		// The first failure and every tenth after it are logged; the rest
		// show in the failure count of /health/edges and the metrics.
		if (this.#failures === 1 || this.#failures % 10 === 0) {
			this.#deps.logger.warn(
				{
					edge: this.target.id,
					url: this.target.url,
					failures: this.#failures,
					retryInMs: delay,
					err: error,
				},
				message,
			);
		}
		if (this.#closed) {
			return;
		}
		clearTimeout(this.#retryTimer);
		this.#retryTimer = setTimeout(() => {
			this.#retryTimer = undefined;
			this.#kick();
		}, delay);
		this.#retryTimer.unref();
	}
}

/**
 * Returns the delay before retry number `failures`: exponential from
 * 250 ms, capped at 30 s, with "equal jitter" (half fixed, half random) so
 * pushers that failed together do not retry in step.
 */
export function retryDelay(failures: number, random = Math.random): number {
	const exponential = Math.min(
		RETRY_CAP_MS,
		RETRY_BASE_MS * 2 ** Math.min(failures - 1, 20),
	);
	return Math.round(exponential / 2 + (random() * exponential) / 2);
}

function describe(error: unknown): string {
	if (error instanceof Error) {
		const cause = (error as { cause?: { code?: string } }).cause?.code;
		if (error.name === "TimeoutError") {
			return `timed out after ${PUSH_TIMEOUT_MS} ms`;
		}
		return cause === undefined ? error.message : `${error.message} (${cause})`;
	}
	return String(error);
}

function isoOrNull(time: number | undefined): string | null {
	return time === undefined ? null : new Date(time).toISOString();
}

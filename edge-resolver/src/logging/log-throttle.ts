/**
 * Rate limit for repeated log lines, so that a flood of identical
 * failures (rejected pushes, an invalid setting) costs one line per key and
 * interval instead of one per request.
 *
 * @module
 */

/** Default interval between two lines with the same key, ms. */
export const LOG_THROTTLE_INTERVAL_MS = 60_000;

interface KeyState {
	/** Time of the last line written for the key, epoch ms. */
	loggedAt: number;
	/** Events for the key since that line that were not logged. */
	suppressed: number;
}

/**
 * Decides per key whether an event gets a log line: the first event of a
 * key does, and after that at most one per interval. Each line reports how
 * many events of its key were suppressed since the previous line.
 *
 * State lives in one isolate, so each isolate logs on its own schedule.
 * NOTE: events suppressed after the last line of a burst are counted only
 * in the next line for their key, which never comes if the burst was the
 * last one.
 */
export class LogThrottle {
	readonly #intervalMs: number;
	readonly #keys = new Map<string, KeyState>();

	/** Creates a throttle that writes at most one line per key every `intervalMs`. */
	constructor(intervalMs = LOG_THROTTLE_INTERVAL_MS) {
		this.#intervalMs = intervalMs;
	}

	/**
	 * Records an event for `key` at `now` (epoch ms). Returns the number of
	 * events suppressed since the previous line when this event should be
	 * logged, or undefined when it should not.
	 *
	 * Callers must use keys from a small fixed set, such as error codes,
	 * because every key stays in memory.
	 */
	admit(key: string, now: number): { suppressed: number } | undefined {
		const state = this.#keys.get(key);
		if (state === undefined) {
			this.#keys.set(key, { loggedAt: now, suppressed: 0 });
			return { suppressed: 0 };
		}
		if (now - state.loggedAt < this.#intervalMs) {
			state.suppressed += 1;
			return undefined;
		}
		const suppressed = state.suppressed;
		state.loggedAt = now;
		state.suppressed = 0;
		return { suppressed };
	}
}

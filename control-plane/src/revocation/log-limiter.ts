/**
 * Rate limit for repeated log lines, such as one error per failed cache
 * call while a backend is down: one line per interval, with a count of the
 * lines left out.
 */
export class LogLimiter {
	readonly #intervalMs: number;
	readonly #now: () => number;
	#lastAt: number | undefined;
	#suppressed = 0;

	constructor(intervalMs = 60_000, now: () => number = Date.now) {
		this.#intervalMs = intervalMs;
		this.#now = now;
	}

	/**
	 * Returns the number of lines suppressed since the last one that passed,
	 * or undefined when this line is to be suppressed too.
	 */
	take(): number | undefined {
		const now = this.#now();
		if (this.#lastAt !== undefined && now - this.#lastAt < this.#intervalMs) {
			this.#suppressed++;
			return undefined;
		}
		const suppressed = this.#suppressed;
		this.#lastAt = now;
		this.#suppressed = 0;
		return suppressed;
	}
}

/**
 * A FIFO async lock. The embedded libSQL file allows one writer at a
 * time, so write transactions queue here instead of failing with
 * SQLITE_BUSY under concurrent requests.
 */
export class Mutex {
	#tail: Promise<void> = Promise.resolve();

	/** Runs `work` once every earlier holder has finished. */
	async run<T>(work: () => Promise<T>): Promise<T> {
		const previous = this.#tail;
		let release!: () => void;
		this.#tail = new Promise<void>((resolve) => {
			release = resolve;
		});
		await previous;
		try {
			return await work();
		} finally {
			release();
		}
	}
}

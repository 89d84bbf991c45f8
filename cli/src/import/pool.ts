/**
 * Runs `task` on every item with at most `concurrency` calls in flight and
 * returns the results in item order. A task that throws stops the pool from
 * starting new items, and the first error is rethrown once the running
 * tasks have settled.
 */
export async function mapWithConcurrency<T, R>(
	items: readonly T[],
	concurrency: number,
	task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
	const results = new Array<R>(items.length);
	let next = 0;
	let failure: { error: unknown } | undefined;
	const worker = async () => {
		while (failure === undefined && next < items.length) {
			const index = next++;
			try {
				results[index] = await task(items[index] as T, index);
			} catch (error) {
				failure ??= { error };
			}
		}
	};
	const workers = Math.max(1, Math.min(concurrency, items.length));
	await Promise.all(Array.from({ length: workers }, worker));
	if (failure !== undefined) {
		throw failure.error;
	}
	return results;
}

/**
 * Percentiles and summaries of benchmark samples.
 *
 * @module
 */

/** Median and range of repeated measurements. */
export interface Spread {
	median: number;
	min: number;
	max: number;
}

/**
 * Returns the `p`-th percentile (0 to 100) of `values` by the nearest-rank
 * method, which always returns one of the samples.
 *
 * @throws RangeError when `values` is empty or `p` is outside 0 to 100.
 */
export function percentile(values: readonly number[], p: number): number {
	if (values.length === 0) {
		throw new RangeError("cannot take a percentile of no samples");
	}
	if (!(p >= 0 && p <= 100)) {
		throw new RangeError(`percentile must be from 0 to 100, got ${p}`);
	}
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
	return sorted[rank - 1] as number;
}

/** Returns the median, minimum and maximum of `values`. */
export function spread(values: readonly number[]): Spread {
	return {
		median: median(values),
		min: Math.min(...values),
		max: Math.max(...values),
	};
}

/**
 * Returns the median of `values`, the mean of the two middle samples for
 * an even count.
 *
 * @throws RangeError when `values` is empty.
 */
export function median(values: readonly number[]): number {
	if (values.length === 0) {
		throw new RangeError("cannot take the median of no samples");
	}
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	if (sorted.length % 2 === 1) {
		return sorted[middle] as number;
	}
	return ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

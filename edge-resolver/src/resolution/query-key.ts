import type { ResolutionQuery } from "@ans/shared/resolution";

/**
 * Returns the cache key of a parsed query: the canonical base name, the
 * canonical exact name and the range. Names are canonical after parsing, so
 * spellings that differ only in case share one key.
 */
export function queryKey(query: ResolutionQuery): string {
	return JSON.stringify([
		query.baseKey,
		query.exactName ?? null,
		query.range ?? null,
	]);
}

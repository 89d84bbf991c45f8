/** Maximum length of the `q` parameter, in UTF-16 code units. */
export const MAX_QUERY_LENGTH = 256;

/** Maximum number of distinct words in `q`; each one narrows the result. */
export const MAX_SEARCH_TERMS = 16;

/**
 * Splits a search query into distinct lowercase words of Unicode letters
 * and digits, after NFKC normalization. Every other character separates
 * words, so `currency_conversion` gives `currency` and `conversion`, and
 * the result never contains full-text query syntax.
 */
export function searchTerms(query: string): string[] {
	const words = query
		.normalize("NFKC")
		.toLowerCase()
		.split(/[^\p{L}\p{N}]+/u)
		.filter((word) => word !== "");
	return [...new Set(words)];
}

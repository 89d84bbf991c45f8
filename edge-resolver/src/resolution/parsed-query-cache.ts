import type { ResolutionQuery } from "@ans/shared/resolution";
import { LruCache } from "../isolate-cache/lru-cache.ts";

/**
 * Maximum length of a raw query string that is remembered. A valid `name` (300
 * characters) and `range` (256) stay below it even when fully
 * percent-encoded, and longer strings would only fill memory.
 */
export const MAX_REMEMBERED_QUERY_LENGTH = 2048;

/** A validated resolve query and its cache key. */
export interface ParsedQuery {
	query: ResolutionQuery;
	/** Isolate cache key, as `queryKey` returns it. */
	key: string;
}

/**
 * Parsed resolve queries of one isolate, keyed by the raw query string of
 * the request URL. Parsing depends on nothing but that string, so a
 * repeated request skips the parameter decoding and name parsing that
 * otherwise dominate a cache hit's CPU time. Only successful parses are
 * remembered, so invalid queries are rejected on every request.
 */
export class ParsedQueryCache {
	readonly #entries: LruCache<ParsedQuery>;

	/** Creates a cache of at most `maxEntries` queries; 0 disables it. */
	constructor(maxEntries: number) {
		this.#entries = new LruCache(maxEntries);
	}

	/**
	 * Returns the parsed query of `url`, calling `parse` when it is not
	 * remembered. Errors from `parse` propagate and nothing is stored.
	 */
	parse(url: string, parse: () => ParsedQuery): ParsedQuery {
		const start = url.indexOf("?");
		const search = start === -1 ? "" : url.slice(start);
		if (search.length > MAX_REMEMBERED_QUERY_LENGTH) {
			return parse();
		}
		const remembered = this.#entries.get(search, 0);
		if (remembered !== undefined) {
			return remembered;
		}
		const parsed = parse();
		this.#entries.set(search, parsed, Number.POSITIVE_INFINITY);
		return parsed;
	}
}

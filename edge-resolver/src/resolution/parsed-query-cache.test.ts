import { AnsError } from "@ans/shared/errors";
import { parseResolutionQuery } from "@ans/shared/resolution";
import { describe, expect, it } from "vitest";
import {
	MAX_REMEMBERED_QUERY_LENGTH,
	type ParsedQuery,
	ParsedQueryCache,
} from "./parsed-query-cache.ts";
import { queryKey } from "./query-key.ts";

const BASE = "https://edge.example/v1/resolve";

/** Returns a parser of `name` that counts its calls. */
function countingParser(name: string) {
	const parser = {
		calls: 0,
		parse: (): ParsedQuery => {
			parser.calls += 1;
			const query = parseResolutionQuery(name, undefined);
			return { query, key: queryKey(query) };
		},
	};
	return parser;
}

describe("ParsedQueryCache", () => {
	it("reuses the parse of the same query string", () => {
		const cache = new ParsedQueryCache(10);
		const parser = countingParser("a2a://alpha.Bench.Example");
		const url = `${BASE}?name=a2a://alpha.Bench.Example`;
		const first = cache.parse(url, parser.parse);
		const second = cache.parse(url, parser.parse);
		expect(second).toBe(first);
		expect(parser.calls).toBe(1);
	});

	it("parses other query strings again", () => {
		const cache = new ParsedQueryCache(10);
		const parser = countingParser("a2a://alpha.Bench.Example");
		cache.parse(`${BASE}?name=a2a://alpha.Bench.Example`, parser.parse);
		cache.parse(`${BASE}?name=a2a://ALPHA.Bench.Example`, parser.parse);
		cache.parse(BASE, parser.parse);
		expect(parser.calls).toBe(3);
	});

	it("remembers no failed parse", () => {
		const cache = new ParsedQueryCache(10);
		let calls = 0;
		const failing = (): ParsedQuery => {
			calls += 1;
			throw new AnsError("FIELD_INVALID", "invalid name", { status: 400 });
		};
		const url = `${BASE}?name=invalid`;
		expect(() => cache.parse(url, failing)).toThrow(AnsError);
		expect(() => cache.parse(url, failing)).toThrow(AnsError);
		expect(calls).toBe(2);
	});

	it("skips query strings over the limit", () => {
		const cache = new ParsedQueryCache(10);
		const parser = countingParser("a2a://alpha.Bench.Example");
		const url = `${BASE}?name=a2a://alpha.Bench.Example&pad=${"x".repeat(MAX_REMEMBERED_QUERY_LENGTH)}`;
		cache.parse(url, parser.parse);
		cache.parse(url, parser.parse);
		expect(parser.calls).toBe(2);
	});

	it("remembers nothing with capacity 0", () => {
		const cache = new ParsedQueryCache(0);
		const parser = countingParser("a2a://alpha.Bench.Example");
		const url = `${BASE}?name=a2a://alpha.Bench.Example`;
		cache.parse(url, parser.parse);
		cache.parse(url, parser.parse);
		expect(parser.calls).toBe(2);
	});
});

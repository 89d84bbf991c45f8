import { describe, expect, it } from "vitest";
import { parseEdgeList } from "./edge-list.ts";

describe("parseEdgeList", () => {
	it("parses ids, bare URLs and blanks", () => {
		expect(
			parseEdgeList(" eu=http://127.0.0.1:8787/ , http://127.0.0.1:8788,, "),
		).toEqual([
			{ id: "eu", url: "http://127.0.0.1:8787" },
			{ id: "127.0.0.1:8788", url: "http://127.0.0.1:8788" },
		]);
		expect(parseEdgeList("")).toEqual([]);
	});

	it("rejects invalid entries", () => {
		const cases: [string, string][] = [
			["not-a-url", "not a URL"],
			["eu=ftp://127.0.0.1", "must use http or https"],
			["bad id=http://127.0.0.1:1", "is invalid"],
			["a=http://127.0.0.1:1,a=http://127.0.0.1:2", "listed twice"],
		];
		for (const [value, message] of cases) {
			expect(() => parseEdgeList(value)).toThrow(message);
		}
	});
});

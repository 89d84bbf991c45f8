import { describe, expect, it } from "vitest";
import type { EdgeAnswer } from "../replica/protocol.ts";
import {
	answerResponse,
	ifNoneMatchMatches,
	strongEtag,
} from "./answer-response.ts";

const base: EdgeAnswer = {
	status: 200,
	body: '{"record":"a.b.c","certificate":"pem","chain":[]}',
	cache: "hit",
	layer: "replica",
	baseKey: "a2a://x.y.z",
	confirmedAt: 10_000,
	freshUntil: 70_000,
	appliedSeq: 3,
};

describe("answerResponse", () => {
	it("sets freshness headers from the answer times", async () => {
		const response = await answerResponse(base, undefined, 25_500);
		expect(response.status).toBe(200);
		expect(response.headers.get("cache-control")).toBe("public, max-age=44");
		expect(response.headers.get("age")).toBe("15");
		expect(response.headers.get("x-ans-cache")).toBe("hit");
		expect(response.headers.get("etag")).toBe(await strongEtag(base.body));
		expect(await response.text()).toBe(base.body);
	});

	it("returns 304 for a matching If-None-Match", async () => {
		const etag = await strongEtag(base.body);
		const response = await answerResponse(base, `"other", W/${etag}`, 20_000);
		expect(response.status).toBe(304);
		expect(response.headers.get("etag")).toBe(etag);
		expect(await response.text()).toBe("");
	});

	it("ignores If-None-Match on a tombstone", async () => {
		const gone = { ...base, status: 410 as const };
		const response = await answerResponse(gone, "*", 20_000);
		expect(response.status).toBe(410);
	});

	it("marks errors no-store without an ETag", async () => {
		for (const status of [400, 503] as const) {
			const response = await answerResponse({ ...base, status }, undefined, 0);
			expect(response.headers.get("cache-control")).toBe("no-store");
			expect(response.headers.get("etag")).toBeNull();
		}
	});

	it("serves stale answers with max-age 0", async () => {
		const stale = { ...base, cache: "stale" as const };
		const response = await answerResponse(stale, undefined, 100_000);
		expect(response.headers.get("cache-control")).toBe("public, max-age=0");
		expect(response.headers.get("age")).toBe("90");
		expect(response.headers.get("x-ans-cache")).toBe("stale");
	});
});

describe("ifNoneMatchMatches", () => {
	it("compares tags weakly", () => {
		expect(ifNoneMatchMatches('"a"', '"a"')).toBe(true);
		expect(ifNoneMatchMatches('W/"a"', '"a"')).toBe(true);
		expect(ifNoneMatchMatches('"b", "a"', '"a"')).toBe(true);
		expect(ifNoneMatchMatches("*", '"a"')).toBe(true);
		expect(ifNoneMatchMatches('"b"', '"a"')).toBe(false);
		expect(ifNoneMatchMatches(undefined, '"a"')).toBe(false);
	});
});

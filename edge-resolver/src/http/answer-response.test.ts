import { describe, expect, it } from "vitest";
import type { EdgeAnswer } from "../replica/protocol.ts";
import {
	answerResponse,
	ifNoneMatchMatches,
	strongEtag,
	tagAnswer,
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

describe("tagAnswer", () => {
	it("adds the strong ETag of the body", async () => {
		const tagged = await tagAnswer(base);
		expect(tagged.etag).toBe(await strongEtag(base.body));
		expect(tagged.body).toBe(base.body);
	});

	it("leaves errors untagged", async () => {
		for (const status of [400, 503] as const) {
			const tagged = await tagAnswer({ ...base, status });
			expect(tagged.etag).toBeUndefined();
		}
	});

	it("makes answerResponse send the stored tag", async () => {
		// A tag that differs from the body's hash proves the stored one is used.
		const tagged = { ...base, etag: '"stored"' };
		const response = await answerResponse(tagged, undefined, 20_000);
		expect(response.headers.get("etag")).toBe('"stored"');
		const revalidated = await answerResponse(tagged, '"stored"', 20_000);
		expect(revalidated.status).toBe(304);
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

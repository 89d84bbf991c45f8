import { describe, expect, it } from "vitest";
import type { ChangedSince, EdgeAnswer } from "../replica/protocol.ts";
import { IsolateAnswerCache } from "./isolate-answer-cache.ts";

function answer(
	baseKey: string,
	overrides: Partial<EdgeAnswer> = {},
): EdgeAnswer {
	return {
		status: 200,
		body: `{"name":"${baseKey}"}`,
		cache: "hit",
		layer: "replica",
		baseKey,
		confirmedAt: 0,
		freshUntil: 60_000,
		appliedSeq: 5,
		...overrides,
	};
}

function replica(reply: ChangedSince | Error) {
	const asked: number[] = [];
	const check = async (seq: number) => {
		asked.push(seq);
		if (reply instanceof Error) {
			throw reply;
		}
		return reply;
	};
	return { asked, check };
}

describe("IsolateAnswerCache", () => {
	it("asks the replica at most once per interval", async () => {
		const cache = new IsolateAnswerCache(10, 250);
		cache.set("k", answer("a"), 0);
		const { asked, check } = replica({
			appliedSeq: 5,
			baseKeys: [],
			truncated: false,
		});
		expect(await cache.get("k", 1000, check)).toBeDefined();
		expect(await cache.get("k", 1100, check)).toBeDefined();
		expect(await cache.get("k", 1300, check)).toBeDefined();
		expect(asked).toEqual([5, 5]);
	});

	it("purges base names changed since its sequence", async () => {
		const cache = new IsolateAnswerCache(10, 250);
		cache.set("ka", answer("a"), 0);
		cache.set("kb", answer("b"), 0);
		const { check } = replica({
			appliedSeq: 7,
			baseKeys: ["a"],
			truncated: false,
		});
		expect(await cache.get("ka", 1000, check)).toBeUndefined();
		expect(await cache.get("kb", 1000, check)).toBeDefined();
	});

	it("clears everything on a truncated list", async () => {
		const cache = new IsolateAnswerCache(10, 250);
		cache.set("kb", answer("b"), 0);
		const { check } = replica({
			appliedSeq: 900,
			baseKeys: ["a"],
			truncated: true,
		});
		expect(await cache.get("kb", 1000, check)).toBeUndefined();
	});

	it("clears everything after a replica reset", async () => {
		const cache = new IsolateAnswerCache(10, 250);
		cache.set("kb", answer("b"), 0);
		const { check } = replica({
			appliedSeq: 2,
			baseKeys: [],
			truncated: false,
		});
		expect(await cache.get("kb", 1000, check)).toBeUndefined();
	});

	it("serves nothing when the replica check fails", async () => {
		const cache = new IsolateAnswerCache(10, 250);
		cache.set("kb", answer("b"), 0);
		const { check } = replica(new Error("replica unreachable"));
		expect(await cache.get("kb", 1000, check)).toBeUndefined();
	});

	it("asks from the lowest stored sequence", async () => {
		const cache = new IsolateAnswerCache(10, 250);
		cache.set("k1", answer("a", { appliedSeq: 9 }), 0);
		cache.set("k2", answer("b", { appliedSeq: 4 }), 0);
		const { asked, check } = replica({
			appliedSeq: 9,
			baseKeys: [],
			truncated: false,
		});
		await cache.get("k1", 1000, check);
		expect(asked).toEqual([4]);
	});

	it("stores only fresh cacheable answers", async () => {
		const cache = new IsolateAnswerCache(10, 250);
		const { check } = replica({
			appliedSeq: 5,
			baseKeys: [],
			truncated: false,
		});
		const cases: [string, EdgeAnswer][] = [
			["stale", answer("a", { cache: "stale" })],
			["unavailable", answer("a", { status: 503 })],
			["invalid", answer("a", { status: 400 })],
			["expired", answer("a", { freshUntil: 500 })],
		];
		for (const [key, value] of cases) {
			cache.set(key, value, 1000);
			expect({ key, cached: await cache.get(key, 1000, check) }).toEqual({
				key,
				cached: undefined,
			});
		}
		cache.set("gone", answer("a", { status: 410 }), 1000);
		expect(await cache.get("gone", 1000, check)).toBeDefined();
	});
});

import { describe, expect, it } from "vitest";
import { LruCache } from "./lru-cache.ts";

describe("LruCache", () => {
	it("evicts the least recently used entry", () => {
		const cache = new LruCache<string>(2);
		cache.set("a", "A", 1000);
		cache.set("b", "B", 1000);
		expect(cache.get("a", 0)).toBe("A");
		cache.set("c", "C", 1000);
		expect(cache.get("b", 0)).toBeUndefined();
		expect(cache.get("a", 0)).toBe("A");
		expect(cache.get("c", 0)).toBe("C");
		expect(cache.size).toBe(2);
	});

	it("drops entries at their expiry", () => {
		const cache = new LruCache<string>(2);
		cache.set("a", "A", 100);
		expect(cache.get("a", 99)).toBe("A");
		expect(cache.get("a", 100)).toBeUndefined();
		expect(cache.size).toBe(0);
	});

	it("deletes matching entries", () => {
		const cache = new LruCache<number>(10);
		for (const [key, value] of [
			["one", 1],
			["two", 2],
			["three", 3],
		] as const) {
			cache.set(key, value, 1000);
		}
		expect(cache.deleteWhere((value) => value % 2 === 1)).toBe(2);
		expect(cache.get("two", 0)).toBe(2);
		expect(cache.get("one", 0)).toBeUndefined();
	});

	it("stores nothing with capacity 0", () => {
		const cache = new LruCache<string>(0);
		cache.set("a", "A", 1000);
		expect(cache.get("a", 0)).toBeUndefined();
	});

	it("rejects a negative capacity", () => {
		expect(() => new LruCache(-1)).toThrow(RangeError);
	});
});

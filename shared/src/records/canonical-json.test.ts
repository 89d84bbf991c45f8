import { describe, expect, it } from "vitest";
import { isAnsError } from "../errors.ts";
import { canonicalJson } from "./canonical-json.ts";

function errorOf(value: unknown): { code: string; field: string | undefined } {
	try {
		canonicalJson(value);
	} catch (error) {
		if (isAnsError(error)) {
			return { code: error.code, field: error.field };
		}
		throw error;
	}
	throw new Error("canonicalJson accepted the value");
}

describe("canonicalJson", () => {
	it("sorts keys and drops whitespace", () => {
		const value = { b: 1, a: [{ d: true, c: null }, "x"], "": "empty" };
		expect(canonicalJson(value)).toBe(
			'{"":"empty","a":[{"c":null,"d":true},"x"],"b":1}',
		);
	});

	it("orders keys by UTF-16 code units", () => {
		// U+1F600 is the surrogate pair D83D DE00, so it sorts before U+FB33 although its code point is higher.
		const value = {
			"\u20ac": "euro",
			"\r": "cr",
			"\ufb33": "hebrew",
			"1": "one",
			"\ud83d\ude00": "emoji",
			"\u0080": "control",
			"\u00f6": "o-umlaut",
		};
		const keys = Object.keys(JSON.parse(canonicalJson(value)));
		expect(keys).toEqual([
			"1",
			"\r",
			"\u0080",
			"\u00f6",
			"\u20ac",
			"\ud83d\ude00",
			"\ufb33",
		]);
		expect(canonicalJson(value).startsWith('{"\\r":"cr","1":"one"')).toBe(true);
	});

	it("serializes numbers like ECMAScript", () => {
		expect(canonicalJson([-0, 1e21, 0.1, 1e-7, 100, -5])).toBe(
			"[0,1e+21,0.1,1e-7,100,-5]",
		);
	});

	it("escapes strings like JSON.stringify", () => {
		expect(canonicalJson('a\u0001"\\\n\u2028é')).toBe(
			'"a\\u0001\\"\\\\\\n\u2028é"',
		);
	});

	it("omits undefined object members", () => {
		expect(canonicalJson({ a: undefined, b: 2 })).toBe('{"b":2}');
	});

	it("accepts a repeated non-cyclic reference", () => {
		const shared = { x: 1 };
		expect(canonicalJson({ a: shared, b: shared })).toBe(
			'{"a":{"x":1},"b":{"x":1}}',
		);
	});

	it("accepts null-prototype objects", () => {
		const value = Object.create(null) as Record<string, unknown>;
		value.z = 1;
		value.y = 2;
		expect(canonicalJson(value)).toBe('{"y":2,"z":1}');
	});

	it("gives the same text for reordered input", () => {
		expect(canonicalJson({ a: 1, b: { c: 2, d: 3 } })).toBe(
			canonicalJson({ b: { d: 3, c: 2 }, a: 1 }),
		);
	});

	const cyclic: Record<string, unknown> = { a: 1 };
	cyclic.self = cyclic;

	it.each([
		["NaN", { n: Number.NaN }, "$.n"],
		["Infinity", [Number.POSITIVE_INFINITY], "$[0]"],
		["lone surrogate value", { s: "\ud800x" }, "$.s"],
		["lone surrogate key", { "\udc00": 1 }, "$.\udc00"],
		["undefined array item", [1, undefined], "$[1]"],
		["function", { f: () => 1 }, "$.f"],
		["bigint", { big: 10n }, "$.big"],
		["symbol", [Symbol("s")], "$[0]"],
		["Date", { when: new Date(0) }, "$.when"],
		["Map", { map: new Map() }, "$.map"],
		["cycle", cyclic, "$.self"],
		["top-level undefined", undefined, "$"],
	])("rejects %s", (_label, value, field) => {
		const error = errorOf(value);
		expect(error.code).toBe("JSON_VALUE_INVALID");
		expect(error.field).toBe(field);
	});
});

import { describe, expect, it } from "vitest";
import { slugLabel } from "./slug.ts";

describe("slugLabel", () => {
	it.each([
		["Currency Conversion Agent", "Currency-Conversion-Agent"],
		[
			"Hello World Agent - Extended Edition",
			"Hello-World-Agent-Extended-Edition",
		],
		["check_prime_agent", "check_prime_agent"],
		["lingo.dev", "lingo-dev"],
		["Example Geo Services Inc.", "Example-Geo-Services-Inc"],
		["Météo Agent", "Meteo-Agent"],
		["Ｆｕｌｌｗｉｄｔｈ", "Fullwidth"],
		["foo東京bar", "foo-bar"],
		["⚡️ Lightning", "Lightning"],
		["__private__", "private"],
		["a -- b", "a-b"],
	])("turns %j into %j", (text, label) => {
		expect(slugLabel(text)).toBe(label);
	});

	it("returns undefined when no ASCII letter or digit is left", () => {
		expect(slugLabel("天气助手")).toBeUndefined();
		expect(slugLabel(" - ")).toBeUndefined();
		expect(slugLabel("")).toBeUndefined();
	});

	it("cuts to 63 characters without a trailing separator", () => {
		const label = slugLabel(`${"a".repeat(62)} tail`);
		expect(label).toBe("a".repeat(62));
		expect(slugLabel("b".repeat(100))).toHaveLength(63);
	});

	it("never yields the punycode prefix", () => {
		expect(slugLabel("xn--80ak6aa92e")).toBe("xn-80ak6aa92e");
	});
});

import { describe, expect, it } from "vitest";
import { normalizeVersion } from "./version.ts";

describe("normalizeVersion", () => {
	it.each([
		["1.0.0", "1.0.0"],
		["1.0", "1.0.0"],
		["v2", "2.0.0"],
		["v4.0.0", "4.0.0"],
		["V1.2", "1.2.0"],
		["0.0.1-seed", "0.0.1-seed"],
		["0.0.0-dev", "0.0.0-dev"],
		["1.0.0-rc.1", "1.0.0-rc.1"],
	])("normalises %j to %j", (text, version) => {
		expect(normalizeVersion(text)).toEqual({ ok: true, version });
	});

	it.each([
		"2024-01-15",
		"latest",
		"not-semver",
		"^1.2.0",
		"1.2.3.4",
		"01.0.0",
		"1.0.0+build.5",
		"1.0-beta",
		"1.0.0-beta..1",
		"1.0.0-01",
		"",
	])("rejects %j", (text) => {
		const result = normalizeVersion(text);
		if (result.ok) {
			throw new Error(
				`expected ${JSON.stringify(text)} to be rejected, got ${result.version}`,
			);
		}
		expect(result.message).toContain(JSON.stringify(text));
	});
});

import { describe, expect, it } from "vitest";
import { isAnsError } from "../errors.ts";
import { parseRange } from "./range.ts";
import { selectVersion } from "./select.ts";
import type { VersionCandidate } from "./types.ts";

/** Calls `run` and returns the AnsError it throws, failing when it returns. */
function errorOf(run: () => unknown) {
	try {
		run();
	} catch (error) {
		if (isAnsError(error)) {
			return error;
		}
		throw error;
	}
	throw new Error("expected an AnsError, but the call returned");
}

function active(version: string): VersionCandidate {
	return { version, status: "active" };
}

const releases: VersionCandidate[] = [
	active("1.0.0"),
	active("1.2.0"),
	active("1.2.7"),
	active("1.10.0"),
	active("2.0.0"),
	active("2.1.0"),
	active("2.1.3"),
	active("3.0.0-beta.1"),
	active("3.0.0-beta.2"),
	active("3.0.0-rc.1"),
	active("0.9.0"),
	active("0.9.5"),
];

describe("selectVersion active versions", () => {
	const cases: { range: string | undefined; expected: string }[] = [
		{ range: undefined, expected: "2.1.3" },
		{ range: "", expected: "2.1.3" },
		{ range: "  ", expected: "2.1.3" },
		{ range: "*", expected: "2.1.3" },
		{ range: "x", expected: "2.1.3" },
		{ range: "^1", expected: "1.10.0" },
		{ range: "^1.2", expected: "1.10.0" },
		{ range: "^1.2.0", expected: "1.10.0" },
		{ range: "^0.9.0", expected: "0.9.5" },
		{ range: "~1.2", expected: "1.2.7" },
		{ range: "~1.2.0", expected: "1.2.7" },
		{ range: "~2", expected: "2.1.3" },
		{ range: "1.x", expected: "1.10.0" },
		{ range: "1.2.x", expected: "1.2.7" },
		{ range: "2.X", expected: "2.1.3" },
		{ range: "1", expected: "1.10.0" },
		{ range: "1.0.0 - 1.5.0", expected: "1.2.7" },
		{ range: "1 - 2.0", expected: "2.0.0" },
		{ range: ">=1.2 <2", expected: "1.10.0" },
		{ range: ">1.0.0 <=1.2.0", expected: "1.2.0" },
		{ range: "<1", expected: "0.9.5" },
		{ range: "=1.2.0", expected: "1.2.0" },
		{ range: "1.2.0", expected: "1.2.0" },
		{ range: "v1.2.0", expected: "1.2.0" },
		{ range: "^1.2 || ^0.9", expected: "1.10.0" },
		{ range: "<1 || ~1.2", expected: "1.2.7" },
		{ range: " ^2.0 ", expected: "2.1.3" },
		{ range: ">=3.0.0-beta.1", expected: "3.0.0-rc.1" },
		{ range: "^3.0.0-beta", expected: "3.0.0-rc.1" },
		{ range: "~3.0.0-beta.1 <3.0.0-rc", expected: "3.0.0-beta.2" },
		{ range: "3.0.0-beta.1", expected: "3.0.0-beta.1" },
	];

	for (const testCase of cases) {
		it(`selects ${testCase.expected} for ${JSON.stringify(testCase.range)}`, () => {
			const selection = selectVersion(releases, testCase.range);
			expect(selection.kind).toBe("active");
			expect(selection.candidate.version).toBe(testCase.expected);
		});
	}

	it("returns the candidate object itself", () => {
		const candidates = [{ version: "1.0.0", status: "active", id: "row-7" }];
		const selection = selectVersion(candidates, "^1");
		expect(selection.candidate).toBe(candidates[0]);
	});

	it("skips pre-releases unless named", () => {
		const candidates = [active("2.0.0"), active("2.1.0-rc.1")];
		expect(selectVersion(candidates, "^2").candidate.version).toBe("2.0.0");
		expect(selectVersion(candidates, "*").candidate.version).toBe("2.0.0");
		expect(selectVersion(candidates, "^2.1.0-rc.0").candidate.version).toBe(
			"2.1.0-rc.1",
		);
	});

	it("rejects pre-release only versions for star", () => {
		const error = errorOf(() => selectVersion([active("1.0.0-rc.1")], "*"));
		expect(error.code).toBe("VERSION_NOT_FOUND");
	});

	it("ignores pre-releases of other versions", () => {
		// A range naming 1.0.0-beta does not admit 1.1.0-beta (npm semantics).
		const candidates = [active("1.1.0-beta.1"), active("1.0.0-beta.3")];
		expect(selectVersion(candidates, ">=1.0.0-beta").candidate.version).toBe(
			"1.0.0-beta.3",
		);
	});

	it("prefers active over higher tombstone", () => {
		const candidates: VersionCandidate[] = [
			{ version: "2.0.0", status: "revoked" },
			active("1.5.0"),
		];
		const selection = selectVersion(candidates, "*");
		expect(selection.kind).toBe("active");
		expect(selection.candidate.version).toBe("1.5.0");
	});

	it("skips expired and unknown statuses", () => {
		const candidates: VersionCandidate[] = [
			{ version: "1.9.0", status: "expired" },
			{ version: "1.8.0", status: "pending" },
			active("1.1.0"),
		];
		expect(selectVersion(candidates, "^1").candidate.version).toBe("1.1.0");
	});

	it("skips invalid candidate versions", () => {
		const candidates = [active("not-a-version"), active("1.0.0")];
		expect(selectVersion(candidates, "*").candidate.version).toBe("1.0.0");
	});
});

describe("selectVersion tombstones", () => {
	it("selects highest revoked or deregistered", () => {
		const candidates: VersionCandidate[] = [
			{ version: "1.0.0", status: "revoked" },
			{ version: "1.2.0", status: "deregistered" },
			{ version: "1.1.0", status: "revoked" },
			active("2.0.0"),
		];
		const selection = selectVersion(candidates, "^1");
		expect(selection.kind).toBe("tombstone");
		expect(selection.candidate.version).toBe("1.2.0");
	});

	it("counts expired as a tombstone", () => {
		const candidates: VersionCandidate[] = [
			{ version: "1.3.0", status: "expired" },
			{ version: "1.1.0", status: "revoked" },
			{ version: "1.4.0", status: "pending" },
		];
		const selection = selectVersion(candidates, "^1");
		expect(selection.kind).toBe("tombstone");
		expect(selection.candidate.version).toBe("1.3.0");
	});

	it("applies pre-release rules to tombstones", () => {
		const candidates: VersionCandidate[] = [
			{ version: "1.0.0-rc.1", status: "revoked" },
		];
		expect(errorOf(() => selectVersion(candidates, "^1")).code).toBe(
			"VERSION_NOT_FOUND",
		);
		expect(selectVersion(candidates, "^1.0.0-rc.0").kind).toBe("tombstone");
	});
});

describe("selectVersion errors", () => {
	it("rejects an empty candidate list", () => {
		const error = errorOf(() => selectVersion([], "^1"));
		expect(error.code).toBe("NAME_NOT_FOUND");
		expect(error.status).toBe(404);
		expect(error.field).toBe("name");
	});

	it("reports no match with versions", () => {
		const candidates: VersionCandidate[] = [
			active("1.0.0"),
			{ version: "2.0.0", status: "expired" },
		];
		const error = errorOf(() => selectVersion(candidates, "^3"));
		expect(error.code).toBe("VERSION_NOT_FOUND");
		expect(error.status).toBe(404);
		expect(error.field).toBe("range");
		expect(error.message).toContain('"^3"');
		expect(error.message).toContain("2.0.0 (expired), 1.0.0.");
	});

	it("lists at most ten versions", () => {
		const candidates = Array.from({ length: 15 }, (_, index) =>
			active(`1.${index}.0`),
		);
		const error = errorOf(() => selectVersion(candidates, "^2"));
		expect(error.message).toContain("1.14.0, 1.13.0");
		expect(error.message).toContain("1.5.0 and 5 more");
		expect(error.message).not.toContain("1.4.0");
	});

	it("rejects an invalid range before lookup", () => {
		const error = errorOf(() => selectVersion([], "not a range"));
		expect(error.code).toBe("RANGE_INVALID");
	});
});

describe("parseRange", () => {
	it("maps missing and blank ranges to star", () => {
		expect(parseRange(undefined)).toBe("*");
		expect(parseRange("")).toBe("*");
		expect(parseRange(" \t ")).toBe("*");
	});

	it("returns a valid range trimmed", () => {
		expect(parseRange(" ^1.2 || 3.x ")).toBe("^1.2 || 3.x");
	});

	const invalid: { range: string; why: string }[] = [
		{ range: "latest", why: "dist-tag" },
		{ range: "not a range", why: "words" },
		{ range: ">=01.0.0", why: "leading zero" },
		{ range: "^1.2.3.4", why: "four numbers" },
		{ range: "1.0.0 -", why: "open hyphen range" },
		{ range: "^1.0 || latest", why: "one invalid alternative" },
		{ range: "^".repeat(3), why: "operators only" },
		{ range: `>=1.0.0 ${"<2.0.0 ".repeat(40)}`, why: "288 characters" },
	];

	for (const testCase of invalid) {
		it(`rejects ${testCase.why}`, () => {
			const error = errorOf(() => parseRange(testCase.range));
			expect(error.code).toBe("RANGE_INVALID");
			expect(error.status).toBe(400);
			expect(error.field).toBe("range");
		});
	}

	it("accepts a 256-character range", () => {
		const range = `>=1.0.0${" ".repeat(249)}`;
		expect(range).toHaveLength(256);
		expect(parseRange(range)).toBe(">=1.0.0");
	});

	it("rejects a 257-character range", () => {
		const range = `>=1.0.0${" ".repeat(250)}`;
		expect(range).toHaveLength(257);
		const error = errorOf(() => parseRange(range));
		expect(error.code).toBe("RANGE_INVALID");
		expect(error.message).toContain("257");
	});

	it("rejects a non-string range", () => {
		const error = errorOf(() => parseRange(7 as unknown as string));
		expect(error.code).toBe("RANGE_INVALID");
	});
});

describe("selectVersion hints at pre-releases", () => {
	it("names a pre-release that only a pre-release range reaches", () => {
		const candidates: VersionCandidate[] = [
			{ version: "0.0.1-seed", status: "active" },
		];
		let message = "";
		try {
			selectVersion(candidates, undefined);
		} catch (error) {
			message = (error as Error).message;
		}
		expect(message).toContain("no range was given");
		expect(message).toContain("range=^0.0.1-seed");
		expect(selectVersion(candidates, "^0.0.1-seed").candidate.version).toBe(
			"0.0.1-seed",
		);
	});
});

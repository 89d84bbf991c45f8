import { AnsError } from "@ans/shared/errors";
import { describe, expect, it } from "vitest";
import { singleQueryParameter } from "./query-parameter.ts";

function errorOf(run: () => unknown): AnsError {
	try {
		run();
	} catch (error) {
		if (error instanceof AnsError) {
			return error;
		}
		throw error;
	}
	throw new Error("no error was thrown");
}

describe("singleQueryParameter", () => {
	it("returns a single value", () => {
		expect(singleQueryParameter("name", ["a2a://x.y.z"], 300)).toBe(
			"a2a://x.y.z",
		);
	});

	it("returns undefined when absent", () => {
		expect(singleQueryParameter("name", undefined, 300)).toBeUndefined();
		expect(singleQueryParameter("name", [], 300)).toBeUndefined();
	});

	it("rejects a repeated parameter", () => {
		const error = errorOf(() =>
			singleQueryParameter("range", ["^1", "^2"], 256),
		);
		expect(error.code).toBe("FIELD_REPEATED");
		expect(error.status).toBe(400);
		expect(error.field).toBe("range");
		expect(error.message).toBe("range was given more than once; give it once");
	});

	it("rejects a repeated empty parameter", () => {
		const error = errorOf(() => singleQueryParameter("name", ["", ""], 300));
		expect(error.code).toBe("FIELD_REPEATED");
	});

	it("rejects an over-long value", () => {
		const error = errorOf(() =>
			singleQueryParameter("name", ["a".repeat(301)], 300),
		);
		expect(error.code).toBe("FIELD_INVALID");
		expect(error.status).toBe(400);
		expect(error.field).toBe("name");
		expect(error.message).toBe("name must be at most 300 characters, got 301");
	});

	it("accepts a value at the limit", () => {
		expect(singleQueryParameter("name", ["a".repeat(300)], 300)).toHaveLength(
			300,
		);
	});
});

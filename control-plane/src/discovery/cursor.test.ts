import { Buffer } from "node:buffer";
import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "./cursor.ts";

function encodeJson(value: unknown): string {
	return Buffer.from(JSON.stringify(value)).toString("base64url");
}

describe("discovery cursor", () => {
	it("round-trips the position", () => {
		const cursor = encodeCursor(
			{ createdAt: 1_700_000_000_000, id: "agt_1" },
			"f1",
		);
		expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
		expect(decodeCursor(cursor, "f1")).toEqual({
			createdAt: 1_700_000_000_000,
			id: "agt_1",
		});
	});

	it("rejects other filters", () => {
		const cursor = encodeCursor({ createdAt: 1, id: "agt_1" }, "f1");
		expect(() => decodeCursor(cursor, "f2")).toThrow(
			expect.objectContaining({ code: "CURSOR_MISMATCH", field: "cursor" }),
		);
	});

	it.each([
		["padding", `${encodeJson({ v: 1, c: 1, i: "agt_1", f: "f" })}==`],
		["not JSON", Buffer.from("{v:1").toString("base64url")],
		["an array", encodeJson([1, 1, "agt_1", "f"])],
		["another version", encodeJson({ v: 2, c: 1, i: "agt_1", f: "f" })],
		["a negative time", encodeJson({ v: 1, c: -1, i: "agt_1", f: "f" })],
		["a fractional time", encodeJson({ v: 1, c: 1.5, i: "agt_1", f: "f" })],
		["an id with quotes", encodeJson({ v: 1, c: 1, i: 'a"b', f: "f" })],
		["no filter digest", encodeJson({ v: 1, c: 1, i: "agt_1" })],
		["600 characters", "A".repeat(600)],
	])("rejects %s", (_case, cursor) => {
		expect(() => decodeCursor(cursor, "f")).toThrow(
			expect.objectContaining({ code: "CURSOR_INVALID", status: 400 }),
		);
	});
});

import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { bytesToHex, metadataDigest, sha256Hex } from "./digest.ts";

describe("metadataDigest", () => {
	it("hashes the canonical JSON", async () => {
		const expected = createHash("sha256")
			.update('{"a":[1,"é"],"b":{"c":true}}', "utf8")
			.digest("hex");
		expect(await metadataDigest({ b: { c: true }, a: [1, "é"] })).toBe(
			`sha-256:${expected}`,
		);
	});

	it("ignores key order", async () => {
		expect(await metadataDigest({ x: 1, y: 2 })).toBe(
			await metadataDigest({ y: 2, x: 1 }),
		);
	});

	it("differs for different metadata", async () => {
		expect(await metadataDigest({ x: 1 })).not.toBe(
			await metadataDigest({ x: 2 }),
		);
	});

	it("uses the record digest format", async () => {
		expect(await metadataDigest(null)).toMatch(/^sha-256:[0-9a-f]{64}$/);
	});
});

describe("sha256Hex", () => {
	it("matches node:crypto", async () => {
		const bytes = new Uint8Array([0, 1, 2, 254, 255]);
		expect(await sha256Hex(bytes)).toBe(
			createHash("sha256").update(bytes).digest("hex"),
		);
	});
});

describe("bytesToHex", () => {
	it("pads each byte to two digits", () => {
		expect(bytesToHex(new Uint8Array([0, 10, 255]))).toBe("000aff");
	});
});

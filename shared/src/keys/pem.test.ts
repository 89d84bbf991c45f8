import { describe, expect, it } from "vitest";
import { decodePem, encodePem } from "./pem.ts";

describe("decodePem", () => {
	it("round-trips encodePem output", () => {
		const der = new Uint8Array(100).map((_, index) => index);
		const pem = encodePem(der, "CERTIFICATE");
		const block = decodePem(pem);
		expect(block?.label).toBe("CERTIFICATE");
		expect(block?.der).toEqual(der);
	});

	it("wraps lines at 64 characters", () => {
		const pem = encodePem(new Uint8Array(100), "CERTIFICATE");
		const lines = pem.trimEnd().split("\n");
		expect(lines[1]?.length).toBe(64);
		expect(pem.endsWith("-----END CERTIFICATE-----\n")).toBe(true);
	});

	it("accepts CRLF line endings", () => {
		const pem = encodePem(new Uint8Array([1, 2, 3]), "X").replaceAll(
			"\n",
			"\r\n",
		);
		expect(decodePem(pem)?.der).toEqual(new Uint8Array([1, 2, 3]));
	});

	it("rejects mismatched labels", () => {
		const pem = encodePem(new Uint8Array([1]), "A").replace("END A", "END B");
		expect(decodePem(pem)).toBeUndefined();
	});

	it("rejects two blocks", () => {
		const pem = encodePem(new Uint8Array([1]), "A");
		expect(decodePem(pem + pem)).toBeUndefined();
	});

	it("rejects invalid base64", () => {
		expect(
			decodePem("-----BEGIN A-----\nA*==\n-----END A-----"),
		).toBeUndefined();
		expect(
			decodePem("-----BEGIN A-----\nAAA\n-----END A-----"),
		).toBeUndefined();
	});

	it("rejects text around the block", () => {
		const pem = encodePem(new Uint8Array([1]), "A");
		expect(decodePem(`note\n${pem}`)).toBeUndefined();
	});
});

import { base64url } from "jose";
import { describe, expect, it } from "vitest";
import { isAnsError } from "../errors.ts";
import { decodeRecord } from "./decode.ts";
import { SAMPLE_RECORD_NAME, sampleRecordPayload } from "./test-payload.ts";

const HEADER = { alg: "ES256", kid: "k1", typ: "ans-record+jws" };

function segment(value: unknown): string {
	return base64url.encode(JSON.stringify(value));
}

function unsignedJws(payload: unknown, header: unknown = HEADER): string {
	return `${segment(header)}.${segment(payload)}.c2lnbmF0dXJl`;
}

function validPayload(
	overrides: Record<string, unknown> = {},
): Record<string, unknown> {
	return {
		...sampleRecordPayload(),
		iat: 1_700_000_000,
		exp: 1_700_003_600,
		...overrides,
	};
}

function failureOf(jws: string): {
	code: string;
	field: string | undefined;
	message: string;
} {
	try {
		decodeRecord(jws);
	} catch (error) {
		if (isAnsError(error)) {
			return { code: error.code, field: error.field, message: error.message };
		}
		throw error;
	}
	throw new Error("decodeRecord accepted the input");
}

describe("decodeRecord", () => {
	it("returns header and payload", () => {
		const { header, payload } = decodeRecord(unsignedJws(validPayload()));
		expect(header).toEqual(HEADER);
		expect(payload.name).toBe(SAMPLE_RECORD_NAME);
		expect(payload.iat).toBe(1_700_000_000);
	});

	it("keeps unknown endpoint members", () => {
		const endpoints = [
			{
				protocol: "mcp",
				url: "https://a.example.test/mcp",
				package: { npm: "@acme/agent" },
			},
		];
		const { payload } = decodeRecord(unsignedJws(validPayload({ endpoints })));
		expect(payload.endpoints[0]?.package).toEqual({ npm: "@acme/agent" });
	});

	it("accepts a tombstone with revocation", () => {
		const revocation = { reason: "keyCompromise", revokedAt: 1_700_000_100 };
		const { payload } = decodeRecord(
			unsignedJws(
				validPayload({ status: "revoked", revocation, endpoints: [] }),
			),
		);
		expect(payload.revocation).toEqual(revocation);
	});

	it("accepts a serial with one sign byte", () => {
		const certificate = {
			serial: "00ff01",
			sha256: "b".repeat(64),
			notAfter: 1,
		};
		expect(
			decodeRecord(unsignedJws(validPayload({ certificate }))).payload
				.certificate.serial,
		).toBe("00ff01");
	});

	it.each([
		["empty string", ""],
		["two segments", "a.b"],
		["four segments", "a.b.c.d"],
		["header not base64url", `%%%.${segment(validPayload())}.c2ln`],
		[
			"header not JSON",
			`${base64url.encode("not json")}.${segment(validPayload())}.c2ln`,
		],
		[
			"header not UTF-8",
			`${base64url.encode(new Uint8Array([0xff, 0xfe]))}.${segment(validPayload())}.c2ln`,
		],
		["header array", unsignedJws(validPayload(), [HEADER])],
		[
			"header without kid",
			unsignedJws(validPayload(), { alg: "ES256", typ: "ans-record+jws" }),
		],
		[
			"header with numeric alg",
			unsignedJws(validPayload(), { ...HEADER, alg: 7 }),
		],
		["payload not JSON", `${segment(HEADER)}.${base64url.encode("{")}.c2ln`],
	])("rejects %s", (_label, jws) => {
		const failure = failureOf(jws);
		expect(failure.code).toBe("RECORD_MALFORMED");
		expect(failure.field).toBe("record");
	});

	it("rejects a non-string record", () => {
		expect(failureOf(42 as unknown as string).code).toBe("RECORD_MALFORMED");
	});

	it.each([
		["payload array", [], "payload"],
		["wrong typ", { typ: "other" }, "typ"],
		["wrong ver", { ver: 2 }, "ver"],
		["empty iss", { iss: "" }, "iss"],
		["missing sub", { sub: undefined }, "sub"],
		["uppercase name", { name: SAMPLE_RECORD_NAME.toUpperCase() }, "name"],
		["missing displayName", { displayName: undefined }, "displayName"],
		["numeric protocol", { protocol: 1 }, "protocol"],
		["short version", { version: "2.1" }, "version"],
		["version with v", { version: "v2.1.0" }, "version"],
		["endpoints object", { endpoints: {} }, "endpoints"],
		[
			"endpoint without url",
			{ endpoints: [{ protocol: "a2a" }] },
			"endpoints[0].url",
		],
		[
			"relative endpoint url",
			{ endpoints: [{ protocol: "a2a", url: "/a2a" }] },
			"endpoints[0].url",
		],
		[
			"numeric transport",
			{
				endpoints: [{ protocol: "a2a", url: "https://a.test/", transport: 1 }],
			},
			"endpoints[0].transport",
		],
		["unknown status", { status: "suspended" }, "status"],
		["missing certificate", { certificate: undefined }, "certificate"],
		[
			"uppercase serial",
			{ certificate: { serial: "AB", sha256: "b".repeat(64), notAfter: 1 } },
			"certificate.serial",
		],
		[
			"odd-length serial",
			{ certificate: { serial: "abc", sha256: "b".repeat(64), notAfter: 1 } },
			"certificate.serial",
		],
		[
			"serial with two zero bytes",
			{
				certificate: { serial: "0000ff", sha256: "b".repeat(64), notAfter: 1 },
			},
			"certificate.serial",
		],
		[
			"short sha256",
			{ certificate: { serial: "01", sha256: "b".repeat(63), notAfter: 1 } },
			"certificate.sha256",
		],
		[
			"fractional notAfter",
			{ certificate: { serial: "01", sha256: "b".repeat(64), notAfter: 1.5 } },
			"certificate.notAfter",
		],
		[
			"digest without prefix",
			{ metadataDigest: "a".repeat(64) },
			"metadataDigest",
		],
		["negative seq", { seq: -1 }, "seq"],
		[
			"revocation on active",
			{ revocation: { reason: "x", revokedAt: 1 } },
			"revocation",
		],
		[
			"revocation without reason",
			{ status: "revoked", revocation: { revokedAt: 1 } },
			"revocation.reason",
		],
		["string iat", { iat: "1700000000" }, "iat"],
		["exp equal to iat", { exp: 1_700_000_000 }, "exp"],
	])("rejects payload with %s", (_label, overrides, field) => {
		const payload = Array.isArray(overrides)
			? overrides
			: validPayload(overrides);
		const failure = failureOf(unsignedJws(payload));
		expect(failure.code).toBe("RECORD_MALFORMED");
		expect(failure.field).toBe(field);
	});
});

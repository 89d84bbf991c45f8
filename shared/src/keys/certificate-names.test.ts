import { describe, expect, it } from "vitest";
import {
	validateSanUri,
	validateSubjectAttribute,
} from "./certificate-names.ts";

describe("validateSubjectAttribute", () => {
	it("accepts 64 characters", () => {
		expect(validateSubjectAttribute("é".repeat(64), "agentId")).toBe(
			"é".repeat(64),
		);
	});

	it("rejects 65 characters", () => {
		expect(() => validateSubjectAttribute("a".repeat(65), "agentId")).toThrow(
			expect.objectContaining({
				code: "CERT_SUBJECT_INVALID",
				field: "agentId",
			}),
		);
	});

	it("rejects control characters", () => {
		expect(() => validateSubjectAttribute("a\nb", "provider")).toThrow(
			expect.objectContaining({
				code: "CERT_SUBJECT_INVALID",
				field: "provider",
			}),
		);
	});

	it("rejects non-string", () => {
		expect(() => validateSubjectAttribute(undefined, "agentId")).toThrow(
			expect.objectContaining({ code: "CERT_SUBJECT_INVALID" }),
		);
	});
});

describe("validateSanUri", () => {
	it("accepts canonical ANS name", () => {
		const name =
			"a2a://textprocessor.documenttranslation.acmecorp.v2.1.0.hipaa";
		expect(validateSanUri(name, "canonicalName")).toBe(name);
	});

	for (const value of [
		"",
		"textprocessor",
		"a2a://",
		"a2a://a b",
		"a2a://agent\u00e9",
	]) {
		it(`rejects ${JSON.stringify(value)}`, () => {
			expect(() => validateSanUri(value, "canonicalName")).toThrow(
				expect.objectContaining({
					code: "CERT_SAN_URI_INVALID",
					field: "canonicalName",
				}),
			);
		});
	}
});

/**
 * Sample record payloads for tests only. Production code must not import
 * this module.
 *
 * @module
 */
import type { UnsignedRecordPayload } from "./types.ts";

/** Canonical name used by the sample payloads. */
export const SAMPLE_RECORD_NAME =
	"a2a://textprocessor.documenttranslation.acmecorp.v2.1.0.hipaa";

/**
 * Returns a valid active record payload without `iat`/`exp`, with the given
 * members replaced. Pass the certificate binding of a real certificate when
 * the test verifies certificates.
 */
export function sampleRecordPayload(
	overrides: Partial<UnsignedRecordPayload> = {},
): UnsignedRecordPayload {
	return {
		typ: "ans-endpoint-record",
		ver: 1,
		iss: "https://registry.example.test",
		sub: "agt_01hsample",
		name: SAMPLE_RECORD_NAME,
		displayName: "a2a://textProcessor.DocumentTranslation.AcmeCorp.v2.1.hipaa",
		protocol: "a2a",
		version: "2.1.0",
		endpoints: [
			{
				protocol: "a2a",
				url: "https://agents.example.test/a2a",
				transport: "jsonrpc",
			},
		],
		status: "active",
		certificate: {
			serial: "5f3a9c0d11e24b7f8a6c3d2e1f0a9b8c",
			sha256: "0".repeat(64),
			notAfter: 1_800_000_000,
		},
		metadataDigest: `sha-256:${"a".repeat(64)}`,
		seq: 42,
		...overrides,
	};
}

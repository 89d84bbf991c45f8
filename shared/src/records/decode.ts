import { base64url } from "jose";
import { AnsError } from "../errors.ts";
import type { EndpointRecordPayload, RecordHeader } from "./types.ts";
import { validateRecordPayload } from "./validate.ts";

function malformed(problem: string, cause?: unknown): AnsError {
	return new AnsError(
		"RECORD_MALFORMED",
		`Record is not a compact JWS endpoint record: ${problem}. Pass the record string exactly as the resolver returned it.`,
		{ status: 400, field: "record", cause },
	);
}

/**
 * Parses UTF-8 JSON bytes from a JWS segment.
 *
 * @throws AnsError `RECORD_MALFORMED` naming the segment.
 */
export function parseJsonBytes(
	bytes: Uint8Array,
	segmentName: string,
): unknown {
	let text: string;
	try {
		text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
	} catch (cause) {
		throw malformed(`the ${segmentName} is not UTF-8`, cause);
	}
	try {
		return JSON.parse(text);
	} catch (cause) {
		throw malformed(`the ${segmentName} is not JSON`, cause);
	}
}

/**
 * Decodes a base64url JWS segment that contains UTF-8 JSON.
 *
 * @throws AnsError `RECORD_MALFORMED` naming the segment.
 */
export function decodeJsonSegment(
	segment: string,
	segmentName: string,
): unknown {
	let bytes: Uint8Array;
	try {
		bytes = base64url.decode(segment);
	} catch (cause) {
		throw malformed(`the ${segmentName} is not base64url`, cause);
	}
	return parseJsonBytes(bytes, segmentName);
}

/**
 * Splits a compact JWS record and decodes its protected header.
 *
 * @throws AnsError `RECORD_MALFORMED` unless there are three segments and the
 * header is a JSON object with string `alg`, `kid` and `typ`.
 */
export function decodeRecordHeader(jws: string): RecordHeader {
	if (typeof jws !== "string") {
		throw malformed(`expected a string, got ${typeof jws}`);
	}
	const segments = jws.split(".");
	if (segments.length !== 3) {
		throw malformed(
			`expected 3 dot-separated segments, got ${segments.length}`,
		);
	}
	const header = decodeJsonSegment(segments[0] ?? "", "protected header");
	if (typeof header !== "object" || header === null || Array.isArray(header)) {
		throw malformed("the protected header is not a JSON object");
	}
	const { alg, kid, typ } = header as Record<string, unknown>;
	for (const [member, value] of [
		["alg", alg],
		["kid", kid],
		["typ", typ],
	] as const) {
		if (typeof value !== "string") {
			throw malformed(
				`the protected header member "${member}" is missing or not a string`,
			);
		}
	}
	return header as RecordHeader;
}

/**
 * Decodes a record without verifying its signature, for display and for
 * picking the key. Use `verifyRecordSignature` or `verifyResolution` before
 * trusting any field.
 *
 * @throws AnsError `RECORD_MALFORMED` when the string is not a compact JWS or
 * the payload does not have the shape of {@link EndpointRecordPayload}.
 */
export function decodeRecord(jws: string): {
	header: RecordHeader;
	payload: EndpointRecordPayload;
} {
	const header = decodeRecordHeader(jws);
	const payloadSegment = jws.split(".")[1] ?? "";
	const payload = validateRecordPayload(
		decodeJsonSegment(payloadSegment, "payload"),
	);
	return { header, payload };
}

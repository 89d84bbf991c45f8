import valid from "semver/functions/valid.js";
import { AnsError } from "../errors.ts";
import {
	AGENT_STATUSES,
	type EndpointRecordPayload,
	RECORD_PAYLOAD_TYPE,
} from "./types.ts";

const SERIAL_PATTERN = /^(?:[0-9a-f]{2})+$/;
const SHA256_HEX_PATTERN = /^[0-9a-f]{64}$/;
const METADATA_DIGEST_PATTERN = /^sha-256:[0-9a-f]{64}$/;

type JsonObject = Record<string, unknown>;

function malformed(field: string, problem: string): AnsError {
	return new AnsError(
		"RECORD_MALFORMED",
		`Record payload field "${field}" ${problem}. The record does not follow the ANS record format. Fetch it again, and report the registry if the error persists.`,
		{ status: 400, field },
	);
}

function isObject(value: unknown): value is JsonObject {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

function requireObject(value: unknown, field: string): JsonObject {
	if (!isObject(value)) {
		throw malformed(field, "is missing or not a JSON object");
	}
	return value;
}

function requireString(object: JsonObject, key: string, path: string): string {
	const value = object[key];
	if (typeof value !== "string" || value.length === 0) {
		throw malformed(path, "is missing or not a non-empty string");
	}
	return value;
}

function requireSeconds(object: JsonObject, key: string, path: string): number {
	const value = object[key];
	if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
		throw malformed(path, "is missing or not a non-negative integer");
	}
	return value;
}

function validateEndpoint(value: unknown, path: string): void {
	const endpoint = requireObject(value, path);
	requireString(endpoint, "protocol", `${path}.protocol`);
	const url = requireString(endpoint, "url", `${path}.url`);
	if (!URL.canParse(url)) {
		throw malformed(
			`${path}.url`,
			`is not an absolute URL: ${JSON.stringify(url)}`,
		);
	}
	if (endpoint.transport !== undefined) {
		requireString(endpoint, "transport", `${path}.transport`);
	}
}

function validateCertificate(value: unknown): void {
	const certificate = requireObject(value, "certificate");
	const serial = requireString(certificate, "serial", "certificate.serial");
	if (!SERIAL_PATTERN.test(serial) || serial.startsWith("0000")) {
		throw malformed(
			"certificate.serial",
			`must be lowercase hex with an even number of digits and at most one leading 00 pair, got ${JSON.stringify(serial)}`,
		);
	}
	const sha256 = requireString(certificate, "sha256", "certificate.sha256");
	if (!SHA256_HEX_PATTERN.test(sha256)) {
		throw malformed(
			"certificate.sha256",
			`must be 64 lowercase hex digits, got ${JSON.stringify(sha256)}`,
		);
	}
	requireSeconds(certificate, "notAfter", "certificate.notAfter");
}

function validateRevocation(payload: JsonObject): void {
	if (payload.revocation === undefined) {
		return;
	}
	if (payload.status === "active") {
		throw malformed("revocation", "must be absent while status is active");
	}
	const revocation = requireObject(payload.revocation, "revocation");
	requireString(revocation, "reason", "revocation.reason");
	requireSeconds(revocation, "revokedAt", "revocation.revokedAt");
}

/**
 * Checks that a parsed JSON value has the shape of an
 * {@link EndpointRecordPayload} and returns it unchanged, unknown members
 * included.
 *
 * @throws AnsError `RECORD_MALFORMED` (status 400) naming the first field at fault.
 */
export function validateRecordPayload(value: unknown): EndpointRecordPayload {
	const payload = requireObject(value, "payload");

	if (payload.typ !== RECORD_PAYLOAD_TYPE) {
		throw malformed("typ", `must be "${RECORD_PAYLOAD_TYPE}"`);
	}
	if (payload.ver !== 1) {
		throw malformed("ver", `must be 1, got ${JSON.stringify(payload.ver)}`);
	}
	requireString(payload, "iss", "iss");
	requireString(payload, "sub", "sub");

	const name = requireString(payload, "name", "name");
	if (name !== name.toLowerCase()) {
		throw malformed(
			"name",
			`must be the lowercase canonical name, got ${JSON.stringify(name)}`,
		);
	}
	requireString(payload, "displayName", "displayName");
	requireString(payload, "protocol", "protocol");
	const version = requireString(payload, "version", "version");
	if (valid(version) !== version) {
		throw malformed(
			"version",
			`must be a canonical semver version, got ${JSON.stringify(version)}`,
		);
	}

	if (!Array.isArray(payload.endpoints)) {
		throw malformed("endpoints", "is missing or not an array");
	}
	payload.endpoints.forEach((endpoint, index) => {
		validateEndpoint(endpoint, `endpoints[${index}]`);
	});

	if (!(AGENT_STATUSES as readonly unknown[]).includes(payload.status)) {
		throw malformed(
			"status",
			`must be one of ${AGENT_STATUSES.join(", ")}, got ${JSON.stringify(payload.status)}`,
		);
	}
	validateCertificate(payload.certificate);

	const digest = requireString(payload, "metadataDigest", "metadataDigest");
	if (!METADATA_DIGEST_PATTERN.test(digest)) {
		throw malformed(
			"metadataDigest",
			`must be "sha-256:" followed by 64 lowercase hex digits, got ${JSON.stringify(digest)}`,
		);
	}
	requireSeconds(payload, "seq", "seq");
	validateRevocation(payload);

	const iat = requireSeconds(payload, "iat", "iat");
	const exp = requireSeconds(payload, "exp", "exp");
	if (exp <= iat) {
		throw malformed("exp", `must be later than iat (${iat}), got ${exp}`);
	}

	return payload as unknown as EndpointRecordPayload;
}

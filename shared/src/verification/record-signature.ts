import {
	compactVerify,
	createLocalJWKSet,
	errors,
	type JSONWebKeySet,
} from "jose";
import { AnsError } from "../errors.ts";
import { decodeRecordHeader, parseJsonBytes } from "../records/decode.ts";
import {
	type EndpointRecordPayload,
	isRecordAlgorithm,
	RECORD_ALGORITHMS,
	RECORD_JWS_TYPE,
	type RecordAlgorithm,
} from "../records/types.ts";
import { validateRecordPayload } from "../records/validate.ts";

/** Default allowed clock difference between signer and verifier, in seconds. */
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 60;

/** Protected header of a record whose signature verified. */
export interface VerifiedRecordHeader {
	alg: RecordAlgorithm;
	kid: string;
}

/** Record whose signature, key, shape and validity period were checked. */
export interface VerifiedRecord {
	header: VerifiedRecordHeader;
	payload: EndpointRecordPayload;
}

function keyIds(jwks: JSONWebKeySet): string[] {
	return jwks.keys
		.map((key) => key.kid)
		.filter((kid): kid is string => typeof kid === "string");
}

function listForMessage(values: readonly string[]): string {
	const quoted = values.slice(0, 10).map((value) => JSON.stringify(value));
	const rest = values.length > 10 ? ` and ${values.length - 10} more` : "";
	return quoted.length === 0 ? "none" : `${quoted.join(", ")}${rest}`;
}

function checkHeader(jws: string, jwks: JSONWebKeySet): VerifiedRecordHeader {
	const header = decodeRecordHeader(jws);
	if (header.typ !== RECORD_JWS_TYPE) {
		throw new AnsError(
			"RECORD_TYPE_INVALID",
			`Record JWS header typ is ${JSON.stringify(header.typ)}, expected "${RECORD_JWS_TYPE}". The string is a JWS of another kind. Pass an endpoint record.`,
			{ status: 400, field: "record" },
		);
	}
	if (!isRecordAlgorithm(header.alg)) {
		throw new AnsError(
			"RECORD_ALG_FORBIDDEN",
			`Record is signed with alg ${JSON.stringify(header.alg)}, which is not allowed. Allowed algorithms: ${RECORD_ALGORITHMS.join(", ")}.`,
			{ status: 400, field: "record" },
		);
	}
	if (!Array.isArray(jwks?.keys)) {
		throw new AnsError(
			"JWKS_INVALID",
			'Registry JWKS has no "keys" array. Pass the JSON document served at the registry\'s JWKS URL.',
			{ status: 400, field: "jwks" },
		);
	}
	const knownKids = keyIds(jwks);
	if (!knownKids.includes(header.kid)) {
		throw new AnsError(
			"RECORD_KEY_UNKNOWN",
			`Record is signed with key ${JSON.stringify(header.kid)}, which is not in the registry JWKS (kids: ${listForMessage(knownKids)}). Fetch the current JWKS from the registry and verify again.`,
			{ status: 400, field: "record" },
		);
	}
	if ("b64" in header) {
		throw new AnsError(
			"RECORD_MALFORMED",
			'Record JWS header carries "b64", but records always use a base64url-encoded payload.',
			{ status: 400, field: "record" },
		);
	}
	return { alg: header.alg, kid: header.kid };
}

function translateJoseError(
	error: unknown,
	header: VerifiedRecordHeader,
): AnsError {
	if (error instanceof AnsError) {
		return error;
	}
	if (error instanceof errors.JWSSignatureVerificationFailed) {
		return new AnsError(
			"RECORD_SIGNATURE_INVALID",
			`Record signature does not verify with registry key ${JSON.stringify(header.kid)} (${header.alg}). The record was altered or signed by another key, so do not use it.`,
			{ status: 400, field: "record", cause: error },
		);
	}
	if (error instanceof errors.JWKSNoMatchingKey) {
		return new AnsError(
			"RECORD_KEY_UNKNOWN",
			`Registry JWKS has key ${JSON.stringify(header.kid)}, but it cannot verify ${header.alg} signatures (its kty, crv, alg, use or key_ops do not fit). Fetch the current JWKS from the registry.`,
			{ status: 400, field: "record", cause: error },
		);
	}
	if (error instanceof errors.JWKSMultipleMatchingKeys) {
		return new AnsError(
			"JWKS_INVALID",
			`Registry JWKS has several keys with kid ${JSON.stringify(header.kid)} usable for ${header.alg}, so the signing key is ambiguous. Report this to the registry operator.`,
			{ status: 400, field: "jwks", cause: error },
		);
	}
	if (error instanceof errors.JWKSInvalid || error instanceof TypeError) {
		return new AnsError(
			"JWKS_INVALID",
			`Registry JWKS key ${JSON.stringify(header.kid)} could not be imported: ${error.message}.`,
			{ status: 400, field: "jwks", cause: error },
		);
	}
	if (error instanceof errors.JOSEError) {
		return new AnsError(
			"RECORD_MALFORMED",
			`Record JWS is invalid: ${error.message}.`,
			{ status: 400, field: "record", cause: error },
		);
	}
	return new AnsError(
		"RECORD_VERIFICATION_FAILED",
		`Internal error while verifying the record signature: ${error instanceof Error ? error.message : String(error)}.`,
		{ status: 500, field: "record", cause: error },
	);
}

/**
 * Checks a record's validity period against `now`, allowing
 * `clockToleranceSeconds` of clock difference in both directions.
 *
 * @throws AnsError `RECORD_NOT_YET_VALID` or `RECORD_EXPIRED`.
 */
export function checkRecordValidity(
	payload: EndpointRecordPayload,
	now: Date,
	clockToleranceSeconds: number,
): void {
	const nowSeconds = Math.floor(now.getTime() / 1000);
	if (payload.iat > nowSeconds + clockToleranceSeconds) {
		throw new AnsError(
			"RECORD_NOT_YET_VALID",
			`Record is issued at ${new Date(payload.iat * 1000).toISOString()}, later than now (${now.toISOString()}) plus ${clockToleranceSeconds} s tolerance. Check the local clock.`,
			{ status: 400, field: "record" },
		);
	}
	if (nowSeconds - clockToleranceSeconds >= payload.exp) {
		throw new AnsError(
			"RECORD_EXPIRED",
			`Record expired at ${new Date(payload.exp * 1000).toISOString()} (now is ${now.toISOString()}, tolerance ${clockToleranceSeconds} s). Resolve the name again to get a fresh record.`,
			{ status: 400, field: "record" },
		);
	}
}

/**
 * Verifies a record's JWS against the registry JWKS and returns its header
 * and payload. Checks, in this order: header `typ`, `alg` allow-list, `kid`
 * present in the JWKS, signature, payload shape, and `iat`/`exp` against
 * `now` with `clockToleranceSeconds` of tolerance. It does not look at
 * certificates; `verifyResolution` does.
 *
 * @throws AnsError `RECORD_MALFORMED`, `RECORD_TYPE_INVALID`,
 * `RECORD_ALG_FORBIDDEN`, `RECORD_KEY_UNKNOWN`, `JWKS_INVALID`,
 * `RECORD_SIGNATURE_INVALID`, `RECORD_NOT_YET_VALID` or `RECORD_EXPIRED`.
 */
export async function verifyRecordSignature(
	jws: string,
	jwks: JSONWebKeySet,
	now: Date = new Date(),
	clockToleranceSeconds: number = DEFAULT_CLOCK_TOLERANCE_SECONDS,
): Promise<VerifiedRecord> {
	if (Number.isNaN(now.getTime())) {
		throw new AnsError(
			"VERIFY_OPTIONS_INVALID",
			"Option now is an invalid Date. Pass a valid Date or leave it out.",
			{
				status: 400,
				field: "now",
			},
		);
	}
	if (!Number.isFinite(clockToleranceSeconds) || clockToleranceSeconds < 0) {
		throw new AnsError(
			"VERIFY_OPTIONS_INVALID",
			`Option clockToleranceSeconds must be a non-negative number of seconds, got ${clockToleranceSeconds}.`,
			{ status: 400, field: "clockToleranceSeconds" },
		);
	}

	const header = checkHeader(jws, jwks);
	let payloadBytes: Uint8Array;
	try {
		const keySet = createLocalJWKSet(jwks);
		const result = await compactVerify(jws, keySet, {
			algorithms: [...RECORD_ALGORITHMS],
		});
		payloadBytes = result.payload;
	} catch (error) {
		throw translateJoseError(error, header);
	}

	const payload = validateRecordPayload(
		parseJsonBytes(payloadBytes, "payload"),
	);
	checkRecordValidity(payload, now, clockToleranceSeconds);
	return { header, payload };
}

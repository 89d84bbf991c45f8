import { AnsError } from "@ans/shared/errors";
import {
	canonicalJson,
	DEFAULT_RECORD_ALGORITHM,
	type EndpointRecordPayload,
	isRecordAlgorithm,
	RECORD_ALGORITHMS,
	RECORD_JWS_TYPE,
	type RecordAlgorithm,
	type UnsignedRecordPayload,
	validateRecordPayload,
} from "@ans/shared/records";
import { CompactSign } from "jose";

/** Signing key and validity window of {@link signRecord}. */
export interface SignRecordOptions {
	/** Private key matching `alg`: ECDSA P-256 for ES256, P-384 for ES384, Ed25519 for EdDSA. */
	key: CryptoKey;
	/** Key id published in the registry JWKS. */
	kid: string;
	/** Defaults to ES256. */
	alg?: RecordAlgorithm;
	/** Issue time. `iat` is this time rounded down to whole seconds. */
	now: Date;
	/** Record lifetime in seconds, so `exp = iat + validitySeconds`. */
	validitySeconds: number;
}

function signerError(
	code: string,
	message: string,
	field: string,
	cause?: unknown,
): AnsError {
	return new AnsError(code, message, { status: 500, field, cause });
}

function checkOptions(options: SignRecordOptions, alg: RecordAlgorithm): void {
	if (!isRecordAlgorithm(alg)) {
		throw signerError(
			"RECORD_ALG_FORBIDDEN",
			`Record signing algorithm ${JSON.stringify(alg)} is not allowed. Use one of ${RECORD_ALGORITHMS.join(", ")}.`,
			"alg",
		);
	}
	if (typeof options.kid !== "string" || options.kid.length === 0) {
		throw signerError(
			"RECORD_SIGNING_KEY_INVALID",
			"Record signing key id (kid) is empty. Pass the kid published in the JWKS.",
			"kid",
		);
	}
	if (
		!Number.isSafeInteger(options.validitySeconds) ||
		options.validitySeconds <= 0
	) {
		throw signerError(
			"RECORD_VALIDITY_INVALID",
			`Record validity must be a positive whole number of seconds, got ${options.validitySeconds}.`,
			"validitySeconds",
		);
	}
	if (Number.isNaN(options.now.getTime())) {
		throw signerError(
			"RECORD_VALIDITY_INVALID",
			"Record issue time (now) is an invalid Date.",
			"now",
		);
	}
}

/**
 * Signs an endpoint record as a compact JWS with the protected header
 * `{alg, kid, typ: "ans-record+jws"}`. Sets `iat` from `now` and `exp` to
 * `iat + validitySeconds`, and serializes the payload as canonical JSON so the
 * same input always gives the same payload bytes.
 *
 * @throws AnsError `RECORD_MALFORMED` (400) when the payload does not have the
 * record shape, and `RECORD_ALG_FORBIDDEN`, `RECORD_VALIDITY_INVALID` or
 * `RECORD_SIGNING_KEY_INVALID` (500) for bad options or a key that cannot sign with `alg`.
 */
export async function signRecord(
	payload: UnsignedRecordPayload,
	options: SignRecordOptions,
): Promise<string> {
	const alg = options.alg ?? DEFAULT_RECORD_ALGORITHM;
	checkOptions(options, alg);

	const iat = Math.floor(options.now.getTime() / 1000);
	const full: EndpointRecordPayload = {
		...payload,
		iat,
		exp: iat + options.validitySeconds,
	};
	const json = canonicalJson(full);
	// Checks the parsed JSON, which is exactly what a verifier will see.
	validateRecordPayload(JSON.parse(json));

	try {
		return await new CompactSign(new TextEncoder().encode(json))
			.setProtectedHeader({
				alg,
				kid: options.kid,
				typ: RECORD_JWS_TYPE,
			})
			.sign(options.key);
	} catch (cause) {
		const detail = cause instanceof Error ? cause.message : String(cause);
		throw signerError(
			"RECORD_SIGNING_KEY_INVALID",
			`Record signing key ${JSON.stringify(options.kid)} cannot sign with ${alg}: ${detail}. Pass the private key that matches the algorithm.`,
			"key",
			cause,
		);
	}
}

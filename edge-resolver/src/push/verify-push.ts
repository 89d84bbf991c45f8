import { AnsError } from "@ans/shared/errors";
import { createLocalJWKSet, errors, type JSONWebKeySet, jwtVerify } from "jose";
import {
	PUSH_JWS_TYPE,
	type PushPayload,
	validatePushPayload,
} from "./push-payload.ts";

/** Allowed clock difference between the control plane and the edge, seconds. */
const CLOCK_TOLERANCE_SECONDS = 5;

/**
 * Verifies a push JWS against the pinned push JWKS: ES256 signature by a
 * pinned `kid`, header `typ`, audience equal to this edge's id, and `iat`
 * and `exp` against the current time. Nothing is applied here, so a
 * rejected push changes no state.
 *
 * @throws AnsError (401) `PUSH_SIGNATURE_INVALID` for a bad signature, an
 * unknown key or an algorithm other than ES256 (such as "none"), `PUSH_EXPIRED` past `exp`, `PUSH_AUDIENCE_INVALID` for
 * another edge's push, and `PUSH_MALFORMED` for anything that is not a
 * well-formed push.
 */
export async function verifyPush(
	jws: string,
	jwks: JSONWebKeySet,
	edgeId: string,
): Promise<PushPayload> {
	let payload: unknown;
	try {
		const verified = await jwtVerify(jws.trim(), createLocalJWKSet(jwks), {
			algorithms: ["ES256"],
			typ: PUSH_JWS_TYPE,
			audience: edgeId,
			requiredClaims: ["iat", "exp", "aud"],
			clockTolerance: CLOCK_TOLERANCE_SECONDS,
		});
		payload = verified.payload;
	} catch (error) {
		throw pushError(error, edgeId);
	}
	return validatePushPayload(payload);
}

function pushError(error: unknown, edgeId: string): AnsError {
	if (
		error instanceof errors.JWSSignatureVerificationFailed ||
		error instanceof errors.JWKSNoMatchingKey ||
		error instanceof errors.JWKSMultipleMatchingKeys ||
		error instanceof errors.JOSEAlgNotAllowed
	) {
		return new AnsError(
			"PUSH_SIGNATURE_INVALID",
			"the push signature does not verify with any key in ANS_PUSH_JWKS; pin the control plane's current /.well-known/ans-push-jwks.json",
			{ status: 401, field: "body", cause: error },
		);
	}
	if (error instanceof errors.JWTExpired) {
		return new AnsError(
			"PUSH_EXPIRED",
			"the push has expired (exp is in the past); the control plane signs a fresh push on retry, so check both clocks",
			{ status: 401, field: "body", cause: error },
		);
	}
	if (
		error instanceof errors.JWTClaimValidationFailed &&
		error.claim === "aud"
	) {
		return new AnsError(
			"PUSH_AUDIENCE_INVALID",
			`the push is not addressed to this edge (${edgeId}); check that ANS_EDGE_ID matches the id in the control plane's ANS_EDGES`,
			{ status: 401, field: "body", cause: error },
		);
	}
	const reason = error instanceof Error ? error.message : String(error);
	return new AnsError(
		"PUSH_MALFORMED",
		`invalid push: ${reason}; the body must be a compact JWS with typ ${PUSH_JWS_TYPE}`,
		{ status: 401, field: "body", cause: error },
	);
}

import { AnsError } from "@ans/shared/errors";
import {
	createLocalJWKSet,
	errors,
	type JSONWebKeySet,
	type JWTPayload,
	jwtVerify,
} from "jose";
import {
	PUSH_JWS_TYPE,
	type PushPayload,
	validatePushPayload,
} from "./push-payload.ts";

/** Allowed clock difference between the control plane and the edge, seconds. */
const CLOCK_TOLERANCE_SECONDS = 5;

/**
 * Maximum push lifetime `exp - iat`, seconds. The control plane signs
 * pushes valid for 60 s, so a longer lifetime means a push that would stay
 * replayable for longer than any retry needs.
 */
export const MAX_PUSH_LIFETIME_SECONDS = 300;

/** Maximum time by which `iat` may lie ahead of the edge's clock, seconds. */
export const MAX_PUSH_IAT_AHEAD_SECONDS = 60;

/**
 * Verifies a push JWS against the pinned push JWKS: ES256 signature by a
 * pinned `kid`, header `typ`, audience equal to this edge's id, and `iat`
 * and `exp` against `now` (epoch ms). Nothing is applied here, so a
 * rejected push changes no state.
 *
 * @throws AnsError (401) `PUSH_SIGNATURE_INVALID` for a bad signature, an
 * unknown key or an algorithm other than ES256 (such as "none"),
 * `PUSH_EXPIRED` past `exp`, `PUSH_NOT_YET_VALID` for an `iat` more than
 * {@link MAX_PUSH_IAT_AHEAD_SECONDS} ahead of `now`,
 * `PUSH_AUDIENCE_INVALID` for another edge's push, and `PUSH_MALFORMED`
 * for anything that is not a well-formed push, including an `exp` that is
 * not after `iat` or more than {@link MAX_PUSH_LIFETIME_SECONDS} after it.
 */
export async function verifyPush(
	jws: string,
	jwks: JSONWebKeySet,
	edgeId: string,
	now = Date.now(),
): Promise<PushPayload> {
	let payload: JWTPayload;
	try {
		const verified = await jwtVerify(jws.trim(), createLocalJWKSet(jwks), {
			algorithms: ["ES256"],
			typ: PUSH_JWS_TYPE,
			audience: edgeId,
			requiredClaims: ["iat", "exp", "aud"],
			clockTolerance: CLOCK_TOLERANCE_SECONDS,
			currentDate: new Date(now),
		});
		payload = verified.payload;
	} catch (error) {
		throw pushError(error, edgeId);
	}
	checkPushTimes(payload, now);
	return validatePushPayload(payload);
}

/**
 * Rejects a push whose lifetime is longer than the control plane ever
 * signs, or that was issued in the future. A correctly signed push with a
 * far `exp` could otherwise be replayed for years.
 */
function checkPushTimes(payload: JWTPayload, now: number): void {
	// jwtVerify has checked that both are numbers, because both are required claims.
	const iat = payload.iat as number;
	const exp = payload.exp as number;
	const lifetime = exp - iat;
	if (lifetime <= 0 || lifetime > MAX_PUSH_LIFETIME_SECONDS) {
		throw new AnsError(
			"PUSH_MALFORMED",
			`invalid push: exp must be 1 to ${MAX_PUSH_LIFETIME_SECONDS} s after iat, got ${lifetime} s; the control plane signs pushes with exp = iat + 60`,
			{ status: 401, field: "body" },
		);
	}
	const ahead = iat - Math.floor(now / 1000);
	if (ahead > MAX_PUSH_IAT_AHEAD_SECONDS) {
		throw new AnsError(
			"PUSH_NOT_YET_VALID",
			`the push was issued ${ahead} s in the future (iat ${iat}); at most ${MAX_PUSH_IAT_AHEAD_SECONDS} s are allowed, so check the clocks of the control plane and this edge`,
			{ status: 401, field: "body" },
		);
	}
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

/**
 * Checks proofs of possession (see `@ans/shared/possession`): the JWS must
 * verify with the public key of the agent's current, unrevoked and
 * unexpired certificate, match this request, be fresh, and be unused.
 *
 * @module
 */
import { AnsError } from "@ans/shared/errors";
import {
	bodyHash,
	POSSESSION_JWS_TYPE,
	POSSESSION_MAX_AGE_SECONDS,
	type PossessionClaims,
} from "@ans/shared/possession";
import { compactVerify, decodeProtectedHeader, importX509 } from "jose";
import {
	type AgentRow,
	type Store,
	UniqueViolationError,
} from "../storage/types.ts";

/** Algorithms a proof may use; they match the agent key types the CA certifies. */
const proofAlgorithms = ["ES256", "ES384", "EdDSA", "RS256", "PS256"];
/** Accepted clock skew for a proof issued slightly in the future, seconds. */
const futureSkewSeconds = 60;

/** The request a proof must be bound to. */
export interface ProvenRequest {
	method: string;
	path: string;
	/** Exact body bytes as received; empty when none. */
	body: string;
}

/**
 * Verifies `proof` for `agent` and records its `jti`. Throws 401 with
 * a `PROOF_*` code on any failure.
 */
export async function verifyPossessionProof(
	store: Store,
	agent: AgentRow,
	proof: string,
	request: ProvenRequest,
	now = Date.now(),
): Promise<void> {
	const alg = readAlgorithm(proof);
	const certificate = await store.findCertificate(agent.certificateSerial);
	if (certificate === undefined || certificate.revokedAt !== null) {
		throw proofError(
			"PROOF_CERTIFICATE_INVALID",
			"the agent's current certificate is revoked; use an admin token",
		);
	}
	if (now < certificate.notBefore || now > certificate.notAfter) {
		throw proofError(
			"PROOF_CERTIFICATE_INVALID",
			"the agent's current certificate is not within its validity period; renew it with an admin token",
		);
	}

	const claims = await verifySignature(proof, certificate.pem, alg);
	await checkBinding(claims, request);
	const nowSeconds = Math.floor(now / 1000);
	if (claims.iat > nowSeconds + futureSkewSeconds) {
		throw proofError(
			"PROOF_NOT_YET_VALID",
			"the proof's iat is in the future; check the client clock",
		);
	}
	if (nowSeconds - claims.iat > POSSESSION_MAX_AGE_SECONDS) {
		throw proofError(
			"PROOF_EXPIRED",
			`the proof is older than ${POSSESSION_MAX_AGE_SECONDS} seconds; create a new one for each call`,
		);
	}

	try {
		await store.recordProofNonce(
			claims.jti,
			agent.id,
			(claims.iat + POSSESSION_MAX_AGE_SECONDS) * 1000,
		);
	} catch (error) {
		if (error instanceof UniqueViolationError) {
			throw proofError(
				"PROOF_REPLAYED",
				"this proof was already used; create a new one for each call",
			);
		}
		throw error;
	}
}

function readAlgorithm(proof: string): string {
	let header: ReturnType<typeof decodeProtectedHeader>;
	try {
		header = decodeProtectedHeader(proof);
	} catch {
		throw proofError("PROOF_MALFORMED", "the proof is not a compact JWS");
	}
	if (header.typ !== POSSESSION_JWS_TYPE) {
		throw proofError(
			"PROOF_MALFORMED",
			`the proof's typ must be ${POSSESSION_JWS_TYPE}`,
		);
	}
	if (typeof header.alg !== "string" || !proofAlgorithms.includes(header.alg)) {
		throw proofError(
			"PROOF_MALFORMED",
			`the proof's alg must be one of ${proofAlgorithms.join(", ")}`,
		);
	}
	return header.alg;
}

async function verifySignature(
	proof: string,
	certificatePem: string,
	alg: string,
): Promise<PossessionClaims> {
	let payload: Uint8Array;
	try {
		const key = await importX509(certificatePem, alg);
		({ payload } = await compactVerify(proof, key, { algorithms: [alg] }));
	} catch {
		throw proofError(
			"PROOF_SIGNATURE_INVALID",
			"the proof does not verify with the key of the agent's current certificate",
		);
	}
	const claims = parseClaims(payload);
	if (claims === undefined) {
		throw proofError(
			"PROOF_MALFORMED",
			"the proof needs string htm, htu and jti (16+ characters) and a numeric iat",
		);
	}
	return claims;
}

function parseClaims(payload: Uint8Array): PossessionClaims | undefined {
	let value: unknown;
	try {
		value = JSON.parse(new TextDecoder().decode(payload));
	} catch {
		return undefined;
	}
	const claims = value as Partial<PossessionClaims> | null;
	if (
		typeof claims?.htm !== "string" ||
		typeof claims.htu !== "string" ||
		typeof claims.jti !== "string" ||
		claims.jti.length < 16 ||
		claims.jti.length > 128 ||
		typeof claims.iat !== "number" ||
		!Number.isInteger(claims.iat) ||
		(claims.bh !== undefined && typeof claims.bh !== "string")
	) {
		return undefined;
	}
	return claims as PossessionClaims;
}

async function checkBinding(
	claims: PossessionClaims,
	request: ProvenRequest,
): Promise<void> {
	if (
		claims.htm !== request.method.toUpperCase() ||
		claims.htu !== request.path
	) {
		throw proofError(
			"PROOF_BINDING_INVALID",
			`the proof is for ${claims.htm} ${claims.htu}, not ${request.method.toUpperCase()} ${request.path}`,
		);
	}
	const expected =
		request.body === "" ? undefined : await bodyHash(request.body);
	if (claims.bh !== expected) {
		throw proofError(
			"PROOF_BINDING_INVALID",
			"the proof's bh does not match the SHA-256 of the request body",
		);
	}
}

function proofError(code: string, message: string): AnsError {
	return new AnsError(code, message, { status: 401, field: "authorization" });
}

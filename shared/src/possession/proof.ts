/**
 * Proof of possession: a short-lived compact JWS, signed with the key of an
 * agent's current certificate, that authorises one call on that agent.
 * It is bound to the HTTP method, the request path, a single-use `jti`, an
 * issue time and, when the request has a body, the body's SHA-256, in the
 * manner of OAuth DPoP (RFC 9449). Sent as `Authorization: ANS-PoP <jws>`.
 *
 * @module
 */
import { CompactSign } from "jose";
import { AnsError } from "../errors.ts";

/** The `Authorization` scheme that carries a proof. */
export const POSSESSION_SCHEME = "ANS-PoP";
/** JWS `typ` of a proof. */
export const POSSESSION_JWS_TYPE = "ans-pop+jwt";
/** Longest accepted proof age, seconds. */
export const POSSESSION_MAX_AGE_SECONDS = 300;

/** Claims of a proof. */
export interface PossessionClaims {
	/** HTTP method, upper case. */
	htm: string;
	/** Request path without query or host, for example `/v1/agents/agt_1/renew`. */
	htu: string;
	/** Issue time, epoch seconds. */
	iat: number;
	/** Random single-use id, at least 16 characters. */
	jti: string;
	/** base64url SHA-256 of the request body; present when there is a body. */
	bh?: string;
}

/** JWS algorithm for a signing key, from its WebCrypto algorithm. */
export function possessionAlgorithm(key: CryptoKey): string {
	const algorithm = key.algorithm as {
		name: string;
		namedCurve?: string;
		hash?: { name: string };
	};
	if (algorithm.name === "ECDSA" && algorithm.namedCurve === "P-256") {
		return "ES256";
	}
	if (algorithm.name === "ECDSA" && algorithm.namedCurve === "P-384") {
		return "ES384";
	}
	if (algorithm.name === "Ed25519") {
		return "EdDSA";
	}
	if (algorithm.name === "RSASSA-PKCS1-v1_5") {
		return "RS256";
	}
	if (algorithm.name === "RSA-PSS") {
		return "PS256";
	}
	throw new AnsError(
		"PROOF_KEY_UNSUPPORTED",
		`cannot sign a proof with a ${algorithm.name} key`,
		{
			status: 400,
			field: "privateKey",
		},
	);
}

/** base64url SHA-256 of a request body, the `bh` claim. */
export async function bodyHash(body: string | Uint8Array): Promise<string> {
	const bytes =
		typeof body === "string" ? new TextEncoder().encode(body) : body;
	const digest = new Uint8Array(
		await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>),
	);
	return base64url(digest);
}

/**
 * Creates a proof for one request. `body` must be the exact bytes sent;
 * `now` and `jti` are for tests.
 */
export async function createPossessionProof(options: {
	privateKey: CryptoKey;
	method: string;
	path: string;
	body?: string | Uint8Array | undefined;
	now?: Date;
	jti?: string;
}): Promise<string> {
	const claims: PossessionClaims = {
		htm: options.method.toUpperCase(),
		htu: options.path,
		iat: Math.floor((options.now ?? new Date()).getTime() / 1000),
		jti: options.jti ?? base64url(crypto.getRandomValues(new Uint8Array(18))),
	};
	if (options.body !== undefined && options.body.length > 0) {
		claims.bh = await bodyHash(options.body);
	}
	return new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
		.setProtectedHeader({
			alg: possessionAlgorithm(options.privateKey),
			typ: POSSESSION_JWS_TYPE,
		})
		.sign(options.privateKey);
}

function base64url(bytes: Uint8Array): string {
	let binary = "";
	for (const byte of bytes) {
		binary += String.fromCharCode(byte);
	}
	return btoa(binary)
		.replaceAll("+", "-")
		.replaceAll("/", "_")
		.replace(/=+$/, "");
}

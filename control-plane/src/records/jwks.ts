import { AnsError } from "@ans/shared/errors";
import {
	isRecordAlgorithm,
	RECORD_ALGORITHMS,
	type RecordAlgorithm,
} from "@ans/shared/records";
import { exportJWK, type JWK } from "jose";

/** A public record-verification key as published in the registry JWKS. */
export interface RegistryJwk extends JWK {
	kty: string;
	kid: string;
	alg: RecordAlgorithm;
	use: "sig";
}

/** The registry's JSON Web Key Set document. */
export interface RegistryJwks {
	keys: RegistryJwk[];
}

/** A record-signing public key and the kid and algorithm it is published under. */
export interface PublishedKey {
	publicKey: CryptoKey;
	kid: string;
	alg: RecordAlgorithm;
}

/** Key type and curve that each record algorithm requires. */
const KEY_SHAPES: Record<RecordAlgorithm, { kty: string; crv: string }> = {
	ES256: { kty: "EC", crv: "P-256" },
	ES384: { kty: "EC", crv: "P-384" },
	EdDSA: { kty: "OKP", crv: "Ed25519" },
};

/** JWK members of public EC and OKP keys. Private members such as `d` are never copied. */
const PUBLIC_MEMBERS = ["kty", "crv", "x", "y"] as const;

function jwkError(code: string, message: string): AnsError {
	return new AnsError(code, message, { status: 500, field: "publicKey" });
}

/**
 * Exports a public key as a JWK with `kid`, `alg` and `use: "sig"`. Only the
 * public members (`kty`, `crv`, `x`, `y`) are copied.
 *
 * @throws AnsError `JWK_KEY_NOT_PUBLIC` for a private or secret key,
 * `RECORD_ALG_FORBIDDEN` for an algorithm outside the allow-list, and
 * `JWK_ALGORITHM_MISMATCH` when the key type or curve does not fit `alg`.
 */
export async function publicJwk(
	publicKey: CryptoKey,
	kid: string,
	alg: RecordAlgorithm,
): Promise<RegistryJwk> {
	if (publicKey.type !== "public") {
		throw jwkError(
			"JWK_KEY_NOT_PUBLIC",
			`Key ${JSON.stringify(kid)} is a ${publicKey.type} key. Pass the public key of the pair to publish it.`,
		);
	}
	if (!isRecordAlgorithm(alg)) {
		throw jwkError(
			"RECORD_ALG_FORBIDDEN",
			`Key ${JSON.stringify(kid)} has algorithm ${JSON.stringify(alg)}, which is not allowed for records. Use one of ${RECORD_ALGORITHMS.join(", ")}.`,
		);
	}
	if (typeof kid !== "string" || kid.length === 0) {
		throw jwkError(
			"JWK_KID_INVALID",
			"Key id (kid) is empty. Give every published key a non-empty kid.",
		);
	}

	const exported = await exportJWK(publicKey);
	const shape = KEY_SHAPES[alg];
	if (exported.kty !== shape.kty || exported.crv !== shape.crv) {
		throw jwkError(
			"JWK_ALGORITHM_MISMATCH",
			`Key ${JSON.stringify(kid)} is ${exported.kty} ${exported.crv ?? ""}, but ${alg} needs ${shape.kty} ${shape.crv}.`,
		);
	}

	const jwk: RegistryJwk = { kty: shape.kty, kid, alg, use: "sig" };
	for (const member of PUBLIC_MEMBERS) {
		const value = exported[member];
		if (value !== undefined) {
			jwk[member] = value;
		}
	}
	return jwk;
}

/**
 * Builds the registry JWKS from the keys that verifiers must accept: the
 * current signing key and any retired keys whose records have not expired yet.
 *
 * @throws AnsError `JWKS_DUPLICATE_KID` when two keys share a kid, because
 * verifiers select keys by kid. Otherwise throws the errors of {@link publicJwk}.
 */
export async function buildJwks(
	keys: readonly PublishedKey[],
): Promise<RegistryJwks> {
	const seen = new Set<string>();
	for (const { kid } of keys) {
		if (seen.has(kid)) {
			throw new AnsError(
				"JWKS_DUPLICATE_KID",
				`Two record-signing keys share kid ${JSON.stringify(kid)}. Give every key a distinct kid.`,
				{ status: 500, field: "kid" },
			);
		}
		seen.add(kid);
	}
	const jwks = await Promise.all(
		keys.map((key) => publicJwk(key.publicKey, key.kid, key.alg)),
	);
	return { keys: jwks };
}

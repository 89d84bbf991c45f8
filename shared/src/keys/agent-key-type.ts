import { AnsError } from "../errors.ts";

/** Key types an agent may hold. The CA accepts CSRs for exactly these. */
export type AgentKeyType =
	| "P-256"
	| "P-384"
	| "Ed25519"
	| "RSA-2048"
	| "RSA-3072";

/** Every {@link AgentKeyType}, in order of preference. */
export const AGENT_KEY_TYPES: readonly AgentKeyType[] = [
	"P-256",
	"P-384",
	"Ed25519",
	"RSA-2048",
	"RSA-3072",
];

/** RSA public exponent 65537 as big-endian bytes, the value WebCrypto expects. */
const RSA_PUBLIC_EXPONENT = new Uint8Array([0x01, 0x00, 0x01]);

/**
 * Returns the WebCrypto parameters that generate a key pair of `keyType`.
 * RSA keys are RSASSA-PKCS1-v1_5 with SHA-256 (sha256WithRSAEncryption), the
 * usual signature algorithm of RSA certificates.
 */
export function keyGenerationParams(
	keyType: AgentKeyType,
): EcKeyGenParams | RsaHashedKeyGenParams | Algorithm {
	switch (keyType) {
		case "P-256":
		case "P-384":
			return { name: "ECDSA", namedCurve: keyType };
		case "Ed25519":
			return { name: "Ed25519" };
		case "RSA-2048":
		case "RSA-3072":
			return {
				name: "RSASSA-PKCS1-v1_5",
				modulusLength: keyType === "RSA-2048" ? 2048 : 3072,
				publicExponent: RSA_PUBLIC_EXPONENT,
				hash: "SHA-256",
			};
		default:
			throw new AnsError(
				"KEY_TYPE_UNSUPPORTED",
				`key type "${String(keyType)}" is not supported; use one of ${AGENT_KEY_TYPES.join(", ")}`,
				{ status: 400, field: "keyType" },
			);
	}
}

/**
 * Returns the signature algorithm to use with `key`: ECDSA with SHA-256 on
 * P-256 and SHA-384 on P-384 (the hash that matches the curve size), pure
 * Ed25519, or RSASSA-PKCS1-v1_5 with the hash the key was created or
 * imported with. Other keys raise `KEY_TYPE_UNSUPPORTED`.
 */
export function signingParams(key: CryptoKey): EcdsaParams | Algorithm {
	const algorithm = key.algorithm as Partial<
		EcKeyAlgorithm & RsaHashedKeyAlgorithm
	>;
	if (algorithm.name === "ECDSA" && algorithm.namedCurve === "P-256") {
		return { name: "ECDSA", hash: "SHA-256" };
	}
	if (algorithm.name === "ECDSA" && algorithm.namedCurve === "P-384") {
		return { name: "ECDSA", hash: "SHA-384" };
	}
	if (algorithm.name === "Ed25519") {
		return { name: "Ed25519" };
	}
	if (algorithm.name === "RSASSA-PKCS1-v1_5" && algorithm.hash !== undefined) {
		return { name: "RSASSA-PKCS1-v1_5", hash: algorithm.hash } as Algorithm;
	}
	const found = [algorithm.name, algorithm.namedCurve]
		.filter((part) => part !== undefined)
		.join(" ");
	throw new AnsError(
		"KEY_TYPE_UNSUPPORTED",
		`key algorithm "${found}" cannot sign agent CSRs; use ECDSA P-256 or P-384, Ed25519, or RSASSA-PKCS1-v1_5`,
		{ status: 400, field: "keys" },
	);
}

import type { KeyObject } from "node:crypto";

/**
 * A key pair algorithm the key store can save and load, in the form that
 * WebCrypto's `importKey` takes. RSA keys carry the signature scheme and hash
 * because a PKCS#8 RSA key file does not record them.
 */
export type KeyPairAlgorithm =
	| { name: "ECDSA"; namedCurve: "P-256" | "P-384" }
	| { name: "Ed25519" }
	| {
			name: "RSASSA-PKCS1-v1_5" | "RSA-PSS";
			hash: "SHA-256" | "SHA-384" | "SHA-512";
	  };

/** OpenSSL names of the curves in {@link KeyPairAlgorithm}, as Node reports them. */
const OPENSSL_CURVE_NAMES: Record<string, string> = {
	prime256v1: "P-256",
	secp384r1: "P-384",
};

/** Describes a key algorithm for messages, such as `ECDSA P-384` or `RSA-PSS SHA-256`. */
export function describeKeyAlgorithm(algorithm: KeyPairAlgorithm): string {
	if (algorithm.name === "ECDSA") {
		return `ECDSA ${algorithm.namedCurve}`;
	}
	if (algorithm.name === "Ed25519") {
		return "Ed25519";
	}
	return `${algorithm.name} ${algorithm.hash}`;
}

/**
 * Describes the key in a Node `KeyObject` for messages, such as `EC P-384`,
 * `EC secp256k1`, `Ed25519` or `RSA 2048-bit`.
 */
export function describeKeyObject(key: KeyObject): string {
	const details = key.asymmetricKeyDetails ?? {};
	switch (key.asymmetricKeyType) {
		case "ec": {
			const curve = details.namedCurve ?? "unknown curve";
			return `EC ${OPENSSL_CURVE_NAMES[curve] ?? curve}`;
		}
		case "ed25519":
			return "Ed25519";
		case "rsa":
		case "rsa-pss":
			return `${key.asymmetricKeyType.toUpperCase()} ${details.modulusLength ?? "unknown"}-bit`;
		default:
			return key.asymmetricKeyType ?? "unknown key type";
	}
}

/**
 * Reports whether the key in a Node `KeyObject` can be imported into
 * WebCrypto with `algorithm`. Any RSA key matches both RSA schemes, because
 * the scheme is chosen at import time.
 */
export function keyObjectMatches(
	key: KeyObject,
	algorithm: KeyPairAlgorithm,
): boolean {
	switch (algorithm.name) {
		case "ECDSA":
			return (
				key.asymmetricKeyType === "ec" &&
				OPENSSL_CURVE_NAMES[key.asymmetricKeyDetails?.namedCurve ?? ""] ===
					algorithm.namedCurve
			);
		case "Ed25519":
			return key.asymmetricKeyType === "ed25519";
		case "RSASSA-PKCS1-v1_5":
		case "RSA-PSS":
			return key.asymmetricKeyType === "rsa";
	}
}

/** Reports whether the key in a Node `KeyObject` matches some {@link KeyPairAlgorithm}. */
export function isSupportedKeyObject(key: KeyObject): boolean {
	if (key.asymmetricKeyType === "ec") {
		return (
			OPENSSL_CURVE_NAMES[key.asymmetricKeyDetails?.namedCurve ?? ""] !==
			undefined
		);
	}
	return key.asymmetricKeyType === "ed25519" || key.asymmetricKeyType === "rsa";
}

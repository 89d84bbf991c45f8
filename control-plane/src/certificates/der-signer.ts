import { AnsError } from "@ans/shared/errors";
import { x509 } from "@ans/shared/keys";
import type { AlgorithmIdentifier } from "@peculiar/asn1-x509";

/**
 * Signs the DER encoding of a to-be-signed structure, such as the
 * `tbsCertList` of a CRL or the `tbsResponseData` of an OCSP response.
 */
export interface DerSigner {
	/** Value for the structure's `signatureAlgorithm` field. */
	readonly algorithm: AlgorithmIdentifier;
	/** Returns the signature in its ASN.1 form (an ECDSA-Sig-Value for ECDSA). */
	sign(tbs: BufferSource): Promise<ArrayBuffer>;
}

/**
 * Creates a {@link DerSigner} for an ECDSA private key and hash. Raises
 * `CA_KEY_ALGORITHM_UNSUPPORTED` for a key that is not ECDSA, because the
 * CA and the OCSP responder only use ECDSA keys.
 */
export function createDerSigner(
	privateKey: CryptoKey,
	hash: "SHA-256" | "SHA-384",
): DerSigner {
	if (privateKey.algorithm.name !== "ECDSA") {
		throw new AnsError(
			"CA_KEY_ALGORITHM_UNSUPPORTED",
			`cannot sign with a ${privateKey.algorithm.name} key: CRLs and OCSP responses are signed with ECDSA keys only`,
			{ status: 500 },
		);
	}
	const webAlgorithm = { ...privateKey.algorithm, name: "ECDSA", hash };
	const algorithm = new x509.AlgorithmProvider().toAsnAlgorithm(webAlgorithm);
	const formatter = new x509.AsnEcSignatureFormatter();
	return {
		algorithm,
		async sign(tbs) {
			const raw = await crypto.subtle.sign(webAlgorithm, privateKey, tbs);
			const encoded = formatter.toAsnSignature(webAlgorithm, raw);
			if (encoded === null) {
				throw new Error(
					`could not encode the ECDSA ${hash} signature as an ECDSA-Sig-Value`,
				);
			}
			return encoded;
		},
	};
}

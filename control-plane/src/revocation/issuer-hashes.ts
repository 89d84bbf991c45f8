import type { x509 } from "@ans/shared/keys";
import { AsnConvert } from "@peculiar/asn1-schema";
import { Certificate } from "@peculiar/asn1-x509";

/** WebCrypto names of the CertID hash algorithms the responder matches, by OID. */
export const CERT_ID_HASHES: Readonly<Record<string, string>> = {
	"1.3.14.3.2.26": "SHA-1",
	"2.16.840.1.101.3.4.2.1": "SHA-256",
	"2.16.840.1.101.3.4.2.2": "SHA-384",
	"2.16.840.1.101.3.4.2.3": "SHA-512",
};

/** The two issuer hashes of an OCSP CertID. */
export interface IssuerHashes {
	/** Hash of the DER encoding of the issuer's subject name. */
	nameHash: Buffer;
	/** Hash of the issuer's public key BIT STRING value, without tag, length and unused-bits octet. */
	keyHash: Buffer;
}

/**
 * Computes the issuerNameHash and issuerKeyHash that a CertID for
 * certificates issued by `issuer` carries (RFC 6960, 4.1.1), with the
 * WebCrypto hash `hash` such as `SHA-1`.
 */
export async function computeIssuerHashes(
	issuer: x509.X509Certificate,
	hash: string,
): Promise<IssuerHashes> {
	const tbs = AsnConvert.parse(issuer.rawData, Certificate).tbsCertificate;
	const name = AsnConvert.serialize(tbs.subject);
	const key = tbs.subjectPublicKeyInfo.subjectPublicKey;
	const [nameHash, keyHash] = await Promise.all([
		crypto.subtle.digest(hash, name),
		crypto.subtle.digest(hash, key),
	]);
	return { nameHash: Buffer.from(nameHash), keyHash: Buffer.from(keyHash) };
}

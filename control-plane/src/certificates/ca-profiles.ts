import { AnsError } from "@ans/shared/errors";
import { x509 } from "@ans/shared/keys";
import type { KeyPairAlgorithm } from "../keystore/index.ts";
import { generateSerialNumber } from "./serial-number.ts";

/** Key algorithm of the root and intermediate CA keys. */
export const CA_KEY_ALGORITHM: KeyPairAlgorithm = {
	name: "ECDSA",
	namedCurve: "P-384",
};

/** Signature algorithm of every certificate the CA signs: ECDSA with SHA-384. */
export const CA_SIGNING_ALGORITHM: EcdsaParams = {
	name: "ECDSA",
	hash: "SHA-384",
};

/**
 * Backdating of notBefore in ms, so that a relying party whose clock runs up
 * to 5 minutes behind already accepts a new certificate.
 */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

export const ROOT_VALIDITY_YEARS = 20;
export const INTERMEDIATE_VALIDITY_YEARS = 5;

const ORGANIZATION = "Agent Name Service";

/** Subject of the root CA certificate. */
export const ROOT_SUBJECT: x509.JsonName = [
	{ CN: ["ANS Root CA"] },
	{ O: [ORGANIZATION] },
];

/** Returns the subject of intermediate CA certificate `id`. */
export function intermediateSubject(id: string): x509.JsonName {
	return [{ CN: [`ANS Intermediate CA ${id}`] }, { O: [ORGANIZATION] }];
}

/**
 * Creates the self-signed root certificate: CA:true with pathlen 1 and
 * keyCertSign|cRLSign, both critical, and a SubjectKeyIdentifier. It is valid
 * for {@link ROOT_VALIDITY_YEARS} years from `now`.
 */
export async function createRootCertificate(
	keys: CryptoKeyPair,
	now: Date,
): Promise<x509.X509Certificate> {
	return x509.X509CertificateGenerator.createSelfSigned({
		serialNumber: generateSerialNumber(),
		name: ROOT_SUBJECT,
		notBefore: new Date(now.getTime() - CLOCK_SKEW_MS),
		notAfter: addYears(now, ROOT_VALIDITY_YEARS),
		keys,
		signingAlgorithm: CA_SIGNING_ALGORITHM,
		extensions: [
			new x509.BasicConstraintsExtension(true, 1, true),
			new x509.KeyUsagesExtension(
				x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
				true,
			),
			await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
		],
	});
}

/** Input of {@link createIntermediateCertificate}. */
export interface IntermediateParams {
	id: string;
	publicKey: CryptoKey;
	root: x509.X509Certificate;
	rootPrivateKey: CryptoKey;
	now: Date;
}

/**
 * Creates intermediate certificate `id`, signed by the root: CA:true with
 * pathlen 0 and keyCertSign|cRLSign, both critical, a SubjectKeyIdentifier
 * and an AuthorityKeyIdentifier. It is valid for
 * {@link INTERMEDIATE_VALIDITY_YEARS} years, but never beyond the root.
 */
export async function createIntermediateCertificate(
	params: IntermediateParams,
): Promise<x509.X509Certificate> {
	const { root, now } = params;
	const notAfter = addYears(now, INTERMEDIATE_VALIDITY_YEARS);
	return x509.X509CertificateGenerator.create({
		serialNumber: generateSerialNumber(),
		subject: intermediateSubject(params.id),
		issuer: root.subjectName,
		notBefore: new Date(now.getTime() - CLOCK_SKEW_MS),
		notAfter: new Date(Math.min(notAfter.getTime(), root.notAfter.getTime())),
		publicKey: params.publicKey,
		signingKey: params.rootPrivateKey,
		signingAlgorithm: CA_SIGNING_ALGORITHM,
		extensions: [
			new x509.BasicConstraintsExtension(true, 0, true),
			new x509.KeyUsagesExtension(
				x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
				true,
			),
			await x509.SubjectKeyIdentifierExtension.create(params.publicKey),
			new x509.AuthorityKeyIdentifierExtension(subjectKeyId(root)),
		],
	});
}

/** Input of {@link agentExtensions}. */
export interface AgentExtensionParams {
	publicKey: x509.PublicKey;
	canonicalName: string;
	issuer: x509.X509Certificate;
	/** Id of the issuing intermediate, which selects its caIssuers and CRL URLs. */
	issuerId: string;
	/** Base URL for AIA and CRL distribution points, without a trailing slash. */
	publicBaseUrl: string | undefined;
}

/**
 * Builds the extensions of an agent certificate: CA:false and
 * digitalSignature (both critical), serverAuth and clientAuth, SKI, AKI, the
 * canonical name as SubjectAltName URI, and with a public base URL the OCSP
 * and caIssuers locations and a CRL distribution point. The caIssuers URI
 * and the distribution point name the issuing intermediate, so that after
 * a rotation they still lead to the issuer and the CRL that covers the
 * certificate.
 */
export async function agentExtensions(
	params: AgentExtensionParams,
): Promise<x509.Extension[]> {
	const extensions: x509.Extension[] = [
		new x509.BasicConstraintsExtension(false, undefined, true),
		new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
		new x509.ExtendedKeyUsageExtension([
			x509.ExtendedKeyUsage.serverAuth,
			x509.ExtendedKeyUsage.clientAuth,
		]),
		await x509.SubjectKeyIdentifierExtension.create(params.publicKey),
		new x509.AuthorityKeyIdentifierExtension(subjectKeyId(params.issuer)),
		new x509.SubjectAlternativeNameExtension([
			{ type: "url", value: params.canonicalName },
		]),
	];
	const base = params.publicBaseUrl;
	if (base !== undefined) {
		extensions.push(
			new x509.AuthorityInfoAccessExtension({
				ocsp: `${base}/v1/ca/ocsp`,
				// RFC 5280 (4.2.2.1): the URI returns the issuer as one DER certificate.
				caIssuers: `${base}/v1/ca/intermediates/${encodeURIComponent(params.issuerId)}.cer`,
			}),
			new x509.CRLDistributionPointsExtension([
				`${base}/v1/ca/crl?issuer=${encodeURIComponent(params.issuerId)}`,
			]),
		);
	}
	return extensions;
}

/**
 * Returns the SubjectKeyIdentifier of a CA certificate as hex. Raises
 * `CA_CERTIFICATE_INVALID` when the certificate has none.
 */
export function subjectKeyId(certificate: x509.X509Certificate): string {
	const extension = certificate.getExtension(
		x509.SubjectKeyIdentifierExtension,
	);
	if (extension === null) {
		throw new AnsError(
			"CA_CERTIFICATE_INVALID",
			`CA certificate "${certificate.subject}" has no SubjectKeyIdentifier extension; restore the CA directory from a backup`,
			{ status: 500 },
		);
	}
	return extension.keyId;
}

/** Adds calendar years in UTC. February 29 becomes March 1 in a non-leap year. */
export function addYears(date: Date, years: number): Date {
	const result = new Date(date.getTime());
	result.setUTCFullYear(result.getUTCFullYear() + years);
	return result;
}

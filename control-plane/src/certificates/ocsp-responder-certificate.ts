import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { AnsError } from "@ans/shared/errors";
import { decodePem, x509 } from "@ans/shared/keys";
import { id_kp_OCSPSigning, id_pkix_ocsp_nocheck } from "@peculiar/asn1-ocsp";
import {
	type KeyPairAlgorithm,
	loadKeyPair,
	saveKeyPair,
	writeFileAtomic,
} from "../keystore/index.ts";
import type { CaPaths } from "./ca-directory.ts";
import { toPem } from "./ca-files.ts";
import {
	CA_SIGNING_ALGORITHM,
	CLOCK_SKEW_MS,
	subjectKeyId,
} from "./ca-profiles.ts";
import { createDerSigner, type DerSigner } from "./der-signer.ts";
import { generateSerialNumber } from "./serial-number.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Validity of a delegated OCSP responder certificate in days. It carries
 * id-pkix-ocsp-nocheck, so clients never check its revocation, and a short
 * life limits the harm of a stolen responder key (RFC 6960, 4.2.2.2.1).
 */
export const OCSP_RESPONDER_VALIDITY_DAYS = 30;

/** A responder certificate is replaced once fewer than this many days remain. */
export const OCSP_RESPONDER_RENEW_DAYS = 10;

/** Key algorithm of responder keys. */
const RESPONDER_KEY_ALGORITHM: KeyPairAlgorithm = {
	name: "ECDSA",
	namedCurve: "P-256",
};

/** DER encoding of ASN.1 NULL, the value of id-pkix-ocsp-nocheck. */
const DER_NULL = new Uint8Array([0x05, 0x00]);

/** A delegated OCSP responder: its certificate and a signer for its key. */
export interface OcspResponderCredential {
	/** Id of the intermediate that issued the responder certificate. */
	issuerId: string;
	certificate: x509.X509Certificate;
	/** Signs OCSP `tbsResponseData` with ECDSA P-256 and SHA-256. */
	signer: DerSigner;
}

/** Input of {@link loadOrIssueOcspResponder}. */
export interface OcspResponderParams {
	paths: CaPaths;
	issuerId: string;
	issuer: x509.X509Certificate;
	issuerPrivateKey: CryptoKey;
	passphrase: string | undefined;
	now: Date;
}

/** Returns the key and certificate paths of the responder for intermediate `id`. */
export function ocspResponderPaths(
	paths: CaPaths,
	id: string,
): { key: string; certificate: string } {
	const dir = join(paths.dir, "ocsp");
	return { key: join(dir, `${id}.key`), certificate: join(dir, `${id}.pem`) };
}

/**
 * Loads the delegated OCSP responder of intermediate `issuerId` from
 * `ocsp/<id>.key` and `ocsp/<id>.pem` in the CA directory. When the files are
 * missing, do not belong together, were not issued by this intermediate, or
 * the certificate expires within {@link OCSP_RESPONDER_RENEW_DAYS} days,
 * issues a new key and certificate and replaces the files.
 *
 * The certificate is valid for {@link OCSP_RESPONDER_VALIDITY_DAYS} days but
 * never beyond the intermediate. Raises `CA_UNAVAILABLE` when the
 * intermediate is not valid at `now`.
 */
export async function loadOrIssueOcspResponder(
	params: OcspResponderParams,
): Promise<OcspResponderCredential> {
	const files = ocspResponderPaths(params.paths, params.issuerId);
	const keyOptions =
		params.passphrase === undefined ? {} : { passphrase: params.passphrase };

	const existing = await loadUsableResponder(params, files, keyOptions);
	if (existing !== undefined) {
		return existing;
	}

	const { issuer, now } = params;
	if (now < issuer.notBefore || now > issuer.notAfter) {
		throw new AnsError(
			"CA_UNAVAILABLE",
			`intermediate CA ${params.issuerId} is valid from ${issuer.notBefore.toISOString()} to ${issuer.notAfter.toISOString()}, so it cannot issue an OCSP responder certificate at ${now.toISOString()}`,
			{ status: 503 },
		);
	}
	const keys = (await crypto.subtle.generateKey(RESPONDER_KEY_ALGORITHM, true, [
		"sign",
		"verify",
	])) as CryptoKeyPair;
	const certificate = await createResponderCertificate(params, keys.publicKey);
	// The key goes first: a crash before the certificate is written leaves a
	// pair that does not match, which the next call replaces.
	await saveKeyPair(files.key, keys, { ...keyOptions, overwrite: true });
	await writeFileAtomic(files.certificate, toPem(certificate), {
		mode: 0o644,
		overwrite: true,
	});
	return credential(params.issuerId, certificate, keys.privateKey);
}

async function loadUsableResponder(
	params: OcspResponderParams,
	files: { key: string; certificate: string },
	keyOptions: { passphrase?: string },
): Promise<OcspResponderCredential | undefined> {
	const certificate = await readOptionalCertificate(files.certificate);
	if (certificate === undefined) {
		return undefined;
	}
	const renewAt =
		certificate.notAfter.getTime() - OCSP_RESPONDER_RENEW_DAYS * DAY_MS;
	const issuedByIntermediate =
		certificate.issuer === params.issuer.subject &&
		(await certificate.verify({
			publicKey: params.issuer.publicKey,
			signatureOnly: true,
		}));
	if (!issuedByIntermediate || params.now.getTime() >= renewAt) {
		return undefined;
	}

	let keys: CryptoKeyPair;
	try {
		keys = await loadKeyPair(files.key, RESPONDER_KEY_ALGORITHM, keyOptions);
	} catch {
		// The CA keys loaded with the same passphrase, so an unreadable
		// responder key is stale or damaged and gets replaced.
		return undefined;
	}
	const spki = await crypto.subtle.exportKey("spki", keys.publicKey);
	if (!Buffer.from(spki).equals(Buffer.from(certificate.publicKey.rawData))) {
		return undefined;
	}
	return credential(params.issuerId, certificate, keys.privateKey);
}

async function readOptionalCertificate(
	path: string,
): Promise<x509.X509Certificate | undefined> {
	let text: string;
	try {
		text = await readFile(path, "utf8");
	} catch (error) {
		if ((error as { code?: unknown }).code === "ENOENT") {
			return undefined;
		}
		throw error;
	}
	const block = decodePem(text);
	if (block?.label !== "CERTIFICATE") {
		return undefined;
	}
	try {
		return new x509.X509Certificate(block.der);
	} catch {
		return undefined;
	}
}

/**
 * Creates the responder certificate: CA:false and digitalSignature (both
 * critical), the id-kp-OCSPSigning extended key usage, id-pkix-ocsp-nocheck,
 * SKI and AKI (RFC 6960, 4.2.2.2).
 */
async function createResponderCertificate(
	params: OcspResponderParams,
	publicKey: CryptoKey,
): Promise<x509.X509Certificate> {
	const { issuer, now } = params;
	const notAfter = Math.min(
		now.getTime() + OCSP_RESPONDER_VALIDITY_DAYS * DAY_MS,
		issuer.notAfter.getTime(),
	);
	return x509.X509CertificateGenerator.create({
		serialNumber: generateSerialNumber(),
		subject: [
			{ CN: [`ANS OCSP Responder ${params.issuerId}`] },
			{ O: ["Agent Name Service"] },
		],
		issuer: issuer.subjectName,
		notBefore: new Date(now.getTime() - CLOCK_SKEW_MS),
		notAfter: new Date(notAfter),
		publicKey,
		signingKey: params.issuerPrivateKey,
		signingAlgorithm: CA_SIGNING_ALGORITHM,
		extensions: [
			new x509.BasicConstraintsExtension(false, undefined, true),
			new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
			new x509.ExtendedKeyUsageExtension([id_kp_OCSPSigning]),
			new x509.Extension(id_pkix_ocsp_nocheck, false, DER_NULL),
			await x509.SubjectKeyIdentifierExtension.create(publicKey),
			new x509.AuthorityKeyIdentifierExtension(subjectKeyId(issuer)),
		],
	});
}

function credential(
	issuerId: string,
	certificate: x509.X509Certificate,
	privateKey: CryptoKey,
): OcspResponderCredential {
	return {
		issuerId,
		certificate,
		signer: createDerSigner(privateKey, "SHA-256"),
	};
}

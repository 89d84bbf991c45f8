import type { x509 } from "@ans/shared/keys";
import { AsnConvert, OctetString } from "@peculiar/asn1-schema";
import {
	AuthorityKeyIdentifier,
	Certificate,
	CertificateList,
	CRLNumber,
	CRLReason,
	CRLReasons,
	Extension,
	id_ce_authorityKeyIdentifier,
	id_ce_cRLNumber,
	id_ce_cRLReasons,
	KeyIdentifier,
	RevokedCertificate,
	TBSCertList,
	Time,
	Version,
} from "@peculiar/asn1-x509";
import type { DerSigner } from "../certificates/index.ts";
import { crlReasonCode } from "./crl-reason.ts";

/** One revoked certificate on a CRL. */
export interface CrlEntry {
	/** Serial number as lowercase hex. */
	serial: string;
	/** Revocation time in epoch ms. */
	revokedAt: number;
	/** RFC 5280 CRLReason name; null or `unspecified` leaves the reason out. */
	reason: string | null;
}

/** Input of {@link buildCrl}. */
export interface BuildCrlParams {
	/** Certificate of the intermediate that issues the CRL. */
	issuer: x509.X509Certificate;
	/** Signer with the intermediate's private key. */
	signer: DerSigner;
	/** CRL number, greater than that of every earlier CRL of this issuer. */
	number: number;
	thisUpdate: Date;
	nextUpdate: Date;
	entries: readonly CrlEntry[];
}

/**
 * Builds and signs a version 2 CRL (RFC 5280, 5.1) and returns its DER
 * encoding. It carries the AuthorityKeyIdentifier and CRL number extensions,
 * and one entry per revoked certificate with the revocation date and, unless
 * it is `unspecified`, a reason code.
 *
 * Times are cut to whole seconds because UTCTime and GeneralizedTime in
 * certificates and CRLs carry no fractions (RFC 5280, 4.1.2.5).
 */
export async function buildCrl(
	params: BuildCrlParams,
): Promise<Uint8Array<ArrayBuffer>> {
	const issuerCertificate = AsnConvert.parse(
		params.issuer.rawData,
		Certificate,
	);
	const tbsCertList = new TBSCertList({
		version: Version.v2,
		signature: params.signer.algorithm,
		issuer: issuerCertificate.tbsCertificate.subject,
		thisUpdate: new Time(wholeSeconds(params.thisUpdate)),
		nextUpdate: new Time(wholeSeconds(params.nextUpdate)),
		crlExtensions: [
			authorityKeyIdentifier(issuerCertificate),
			extension(id_ce_cRLNumber, new CRLNumber(params.number)),
		],
	});
	if (params.entries.length > 0) {
		tbsCertList.revokedCertificates = params.entries.map(revokedCertificate);
	}

	const tbs = AsnConvert.serialize(tbsCertList);
	const crl = new CertificateList({
		tbsCertList,
		signatureAlgorithm: params.signer.algorithm,
		signature: await params.signer.sign(tbs),
	});
	return new Uint8Array(AsnConvert.serialize(crl));
}

function revokedCertificate(entry: CrlEntry): RevokedCertificate {
	const revoked = new RevokedCertificate({
		userCertificate: integerContent(entry.serial),
		revocationDate: new Time(wholeSeconds(new Date(entry.revokedAt))),
	});
	const reason = crlReasonCode(entry.reason);
	// RFC 5280 (5.3.1) recommends leaving the extension out rather than
	// using unspecified, and an empty extension list would be invalid DER.
	if (reason !== CRLReasons.unspecified) {
		revoked.crlEntryExtensions = [
			extension(id_ce_cRLReasons, new CRLReason(reason)),
		];
	}
	return revoked;
}

/** Copies the issuer certificate's SubjectKeyIdentifier into an AKI extension. */
function authorityKeyIdentifier(issuer: Certificate): Extension {
	const ski = issuer.tbsCertificate.extensions?.find(
		(item) => item.extnID === "2.5.29.14",
	);
	if (ski === undefined) {
		throw new Error(
			"the intermediate CA certificate has no SubjectKeyIdentifier, so the CRL cannot name its key",
		);
	}
	const keyId = AsnConvert.parse(ski.extnValue.buffer, KeyIdentifier);
	return extension(
		id_ce_authorityKeyIdentifier,
		new AuthorityKeyIdentifier({ keyIdentifier: keyId }),
	);
}

function extension(id: string, value: unknown): Extension {
	return new Extension({
		extnID: id,
		critical: false,
		extnValue: new OctetString(AsnConvert.serialize(value)),
	});
}

/**
 * Returns the content octets of a positive DER INTEGER for a lowercase hex
 * serial: a zero byte is prepended when the high bit is set.
 */
function integerContent(serialHex: string): ArrayBuffer {
	const even = serialHex.length % 2 === 0 ? serialHex : `0${serialHex}`;
	const bytes = Buffer.from(even, "hex");
	const content =
		(bytes[0] ?? 0) > 0x7f ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
	return new Uint8Array(content).buffer;
}

function wholeSeconds(date: Date): Date {
	return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

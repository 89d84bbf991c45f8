import { AnsError } from "../errors.ts";
import { sha256Hex } from "../records/digest.ts";
import type { EndpointRecordPayload } from "../records/types.ts";
import { x509 } from "./x509-provider.ts";

/**
 * Parses one PEM certificate.
 *
 * @param field Name of the input, used in the error (`certificate`, `chain[0]`, `trustAnchors[1]`).
 * @throws AnsError `CERT_MALFORMED` when the text is not a PEM or DER X.509 certificate.
 */
export function parseCertificate(
	pem: string,
	field: string,
): x509.X509Certificate {
	try {
		return new x509.X509Certificate(pem);
	} catch (cause) {
		throw new AnsError(
			"CERT_MALFORMED",
			`${field} is not a valid X.509 certificate: ${cause instanceof Error ? cause.message : String(cause)}. Pass a PEM with a "BEGIN CERTIFICATE" block.`,
			{ status: 400, field, cause },
		);
	}
}

/** Drops leading `00` pairs so that serials written with and without the DER sign byte compare equal. */
function normalizeSerial(serial: string): string {
	let normalized = serial.toLowerCase();
	while (normalized.length > 2 && normalized.startsWith("00")) {
		normalized = normalized.slice(2);
	}
	return normalized;
}

/**
 * Checks that the record names this certificate: its `certificate.sha256`
 * equals the SHA-256 of the certificate DER and the serial numbers match.
 *
 * @throws AnsError `RECORD_CERTIFICATE_MISMATCH` (field `certificate`).
 */
export async function checkCertificateBinding(
	payload: EndpointRecordPayload,
	certificate: x509.X509Certificate,
): Promise<void> {
	const actualSha256 = await sha256Hex(certificate.rawData);
	if (actualSha256 !== payload.certificate.sha256) {
		throw new AnsError(
			"RECORD_CERTIFICATE_MISMATCH",
			`Certificate SHA-256 ${actualSha256} does not match the record's certificate.sha256 ${payload.certificate.sha256}. The answer carries a certificate other than the one the record was signed for, so resolve the name again.`,
			{ status: 400, field: "certificate" },
		);
	}
	const actualSerial = normalizeSerial(certificate.serialNumber);
	if (actualSerial !== normalizeSerial(payload.certificate.serial)) {
		throw new AnsError(
			"RECORD_CERTIFICATE_MISMATCH",
			`Certificate serial ${actualSerial} does not match the record's certificate.serial ${payload.certificate.serial}, although the SHA-256 matches. The registry signed an inconsistent record. Report it to the registry operator.`,
			{ status: 400, field: "certificate" },
		);
	}
}

/** Returns the URI entries of the certificate's subjectAltName extension. */
export function uriSubjectAltNames(
	certificate: x509.X509Certificate,
): string[] {
	const extension = certificate.getExtension(
		x509.SubjectAlternativeNameExtension,
	);
	if (extension === null) {
		return [];
	}
	return extension.names.items
		.filter((name) => name.type === "url")
		.map((name) => name.value);
}

/**
 * Checks that the leaf is an end-entity certificate (basicConstraints absent
 * or CA:false) with a URI subjectAltName equal to the record's name. The
 * comparison ignores case because ANS names are case-insensitive.
 *
 * @throws AnsError `CERT_CHAIN_INVALID` for a CA leaf, `CERT_NAME_MISMATCH` when no URI SAN matches.
 */
export function checkLeafCertificate(
	leaf: x509.X509Certificate,
	recordName: string,
): void {
	const basicConstraints = leaf.getExtension(x509.BasicConstraintsExtension);
	if (basicConstraints?.ca === true) {
		throw new AnsError(
			"CERT_CHAIN_INVALID",
			`Agent certificate ${leaf.subject} is a CA certificate (basicConstraints CA:true), but an agent certificate must be CA:false.`,
			{ status: 400, field: "certificate" },
		);
	}
	const uris = uriSubjectAltNames(leaf);
	const expected = recordName.toLowerCase();
	if (!uris.some((uri) => uri.toLowerCase() === expected)) {
		const found =
			uris.length === 0
				? "no URI subjectAltName"
				: `URI subjectAltName ${uris.join(", ")}`;
		throw new AnsError(
			"CERT_NAME_MISMATCH",
			`Agent certificate has ${found}, but the record is for ${recordName}. The certificate was issued for another name.`,
			{ status: 400, field: "certificate" },
		);
	}
}

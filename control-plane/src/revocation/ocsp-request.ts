import {
	type CertID,
	id_pkix_ocsp_nonce,
	OCSPRequest,
} from "@peculiar/asn1-ocsp";
import { AsnConvert, OctetString } from "@peculiar/asn1-schema";
import type { Extension } from "@peculiar/asn1-x509";

/** Maximum number of certificates in one request; larger requests are malformed. */
export const MAX_OCSP_REQUEST_CERTIFICATES = 16;

/** Maximum size of a DER OCSP request in bytes. A request for 16 certificates with a nonce fits in well under 4 KiB. */
export const MAX_OCSP_REQUEST_BYTES = 8 * 1024;

/** Nonce length limits in octets (RFC 8954, section 2.1). */
const MIN_NONCE_OCTETS = 1;
const MAX_NONCE_OCTETS = 32;

/** A parsed OCSP request: the certificates asked about and the nonce extension. */
export interface ParsedOcspRequest {
	certIds: CertID[];
	/** The request's nonce extension, echoed unchanged in the response. */
	nonce: Extension | undefined;
}

/** Raised for a request that is not a well-formed OCSP request; the responder sends `malformedRequest`. */
export class MalformedOcspRequestError extends Error {
	constructor(message: string, options?: { cause?: unknown }) {
		super(message, options);
		this.name = "MalformedOcspRequestError";
	}
}

/**
 * Parses a DER OCSPRequest (RFC 6960, 4.1.1). Raises
 * {@link MalformedOcspRequestError} when the bytes are not one, when the
 * request lists no certificate or more than
 * {@link MAX_OCSP_REQUEST_CERTIFICATES}, when the nonce is not 1 to 32
 * octets, or when a critical extension is not the nonce.
 *
 * A request signature is accepted but not checked, because the responder
 * serves every client alike.
 */
export function parseOcspRequest(der: Uint8Array): ParsedOcspRequest {
	if (der.byteLength === 0 || der.byteLength > MAX_OCSP_REQUEST_BYTES) {
		throw new MalformedOcspRequestError(
			`the request is ${der.byteLength} bytes; expected 1 to ${MAX_OCSP_REQUEST_BYTES}`,
		);
	}
	let request: OCSPRequest;
	try {
		request = AsnConvert.parse(der, OCSPRequest);
	} catch (error) {
		throw new MalformedOcspRequestError("the body is not a DER OCSPRequest", {
			cause: error,
		});
	}

	const { requestList, requestExtensions } = request.tbsRequest;
	if (requestList.length === 0) {
		throw new MalformedOcspRequestError("the request lists no certificate");
	}
	if (requestList.length > MAX_OCSP_REQUEST_CERTIFICATES) {
		throw new MalformedOcspRequestError(
			`the request lists ${requestList.length} certificates; at most ${MAX_OCSP_REQUEST_CERTIFICATES} are allowed`,
		);
	}

	let nonce: Extension | undefined;
	for (const extension of requestExtensions ?? []) {
		if (extension.extnID === id_pkix_ocsp_nonce) {
			checkNonce(extension);
			nonce = extension;
		} else if (extension.critical) {
			throw new MalformedOcspRequestError(
				`the request has the critical extension ${extension.extnID}, which this responder does not support`,
			);
		}
	}
	for (const single of requestList) {
		for (const extension of single.singleRequestExtensions ?? []) {
			if (extension.critical) {
				throw new MalformedOcspRequestError(
					`a certificate in the request has the critical extension ${extension.extnID}, which this responder does not support`,
				);
			}
		}
	}

	return { certIds: requestList.map((single) => single.reqCert), nonce };
}

/**
 * Decodes the path segment of an OCSP GET request (RFC 6960, appendix A.1):
 * the base64 DER request, URL-encoded. The base64url alphabet and missing
 * padding are accepted too.
 */
export function decodeOcspGetRequest(segment: string): Uint8Array {
	let base64: string;
	try {
		base64 = decodeURIComponent(segment);
	} catch (error) {
		throw new MalformedOcspRequestError(
			"the GET path is not valid percent-encoding",
			{ cause: error },
		);
	}
	const standard = base64.replaceAll("-", "+").replaceAll("_", "/");
	if (!/^[A-Za-z0-9+/]*={0,2}$/.test(standard)) {
		throw new MalformedOcspRequestError(
			"the GET path is not base64 after URL decoding",
		);
	}
	return new Uint8Array(Buffer.from(standard, "base64"));
}

function checkNonce(extension: Extension): void {
	let nonce: OctetString;
	try {
		nonce = AsnConvert.parse(extension.extnValue.buffer, OctetString);
	} catch (error) {
		throw new MalformedOcspRequestError(
			"the nonce extension does not contain an OCTET STRING",
			{ cause: error },
		);
	}
	const length = nonce.byteLength;
	if (length < MIN_NONCE_OCTETS || length > MAX_NONCE_OCTETS) {
		throw new MalformedOcspRequestError(
			`the nonce is ${length} octets; RFC 8954 allows ${MIN_NONCE_OCTETS} to ${MAX_NONCE_OCTETS}`,
		);
	}
}

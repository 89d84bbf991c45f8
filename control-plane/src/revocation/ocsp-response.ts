import type { x509 } from "@ans/shared/keys";
import {
	BasicOCSPResponse,
	type CertID,
	CertStatus,
	id_pkix_ocsp_basic,
	KeyHash,
	OCSPResponse,
	OCSPResponseStatus,
	ResponderID,
	ResponseBytes,
	ResponseData,
	RevokedInfo,
	SingleResponse,
} from "@peculiar/asn1-ocsp";
import { AsnConvert, OctetString } from "@peculiar/asn1-schema";
import {
	Certificate,
	CRLReason,
	CRLReasons,
	type Extension,
} from "@peculiar/asn1-x509";
import type { OcspResponderCredential } from "../certificates/index.ts";
import { crlReasonCode } from "./crl-reason.ts";

/** The status to send for one CertID of a request. */
export interface SingleStatus {
	/** The CertID exactly as the request carried it. */
	certId: CertID;
	status: "good" | "revoked" | "unknown";
	/** Revocation time in epoch ms, for `revoked`. */
	revokedAt?: number;
	/** RFC 5280 CRLReason name, for `revoked`. */
	reason?: string;
	/** Time at which the status was known to be correct. */
	thisUpdate: Date;
	/** Time by which a newer status will be available. */
	nextUpdate: Date;
}

/** Input of {@link encodeSignedOcspResponse}. */
export interface SignedOcspResponseParams {
	/** Delegated responder that signs the response. */
	responder: OcspResponderCredential;
	/** Intermediate that issued the responder certificate, sent along so that clients can build its path. */
	issuer: x509.X509Certificate;
	producedAt: Date;
	responses: readonly SingleStatus[];
	/** The request's nonce extension, echoed when present. */
	nonce: Extension | undefined;
}

/**
 * Encodes an OCSPResponse without response bytes, for the statuses that
 * carry none: `malformedRequest`, `internalError`, `tryLater`,
 * `sigRequired` and `unauthorized` (RFC 6960, 4.2.1).
 */
export function encodeOcspStatusOnly(
	status: OCSPResponseStatus,
): Uint8Array<ArrayBuffer> {
	const response = new OCSPResponse({ responseStatus: status });
	return new Uint8Array(AsnConvert.serialize(response));
}

/**
 * Encodes a successful OCSPResponse with a BasicOCSPResponse signed by the
 * delegated responder. The responder is identified by key hash, and
 * `certs` contains the responder certificate and its issuer.
 */
export async function encodeSignedOcspResponse(
	params: SignedOcspResponseParams,
): Promise<Uint8Array<ArrayBuffer>> {
	const responderCertificate = AsnConvert.parse(
		params.responder.certificate.rawData,
		Certificate,
	);
	const issuerCertificate = AsnConvert.parse(
		params.issuer.rawData,
		Certificate,
	);
	const responderKey =
		responderCertificate.tbsCertificate.subjectPublicKeyInfo.subjectPublicKey;
	const keyHash = await crypto.subtle.digest("SHA-1", responderKey);

	const responseData = new ResponseData({
		responderID: new ResponderID({ byKey: new KeyHash(keyHash) }),
		producedAt: wholeSeconds(params.producedAt),
		responses: params.responses.map(singleResponse),
	});
	if (params.nonce !== undefined) {
		responseData.responseExtensions = [params.nonce];
	}

	const tbs = AsnConvert.serialize(responseData);
	const basic = new BasicOCSPResponse({
		tbsResponseData: responseData,
		signatureAlgorithm: params.responder.signer.algorithm,
		signature: await params.responder.signer.sign(tbs),
		certs: [responderCertificate, issuerCertificate],
	});
	const response = new OCSPResponse({
		responseStatus: OCSPResponseStatus.successful,
		responseBytes: new ResponseBytes({
			responseType: id_pkix_ocsp_basic,
			response: new OctetString(AsnConvert.serialize(basic)),
		}),
	});
	return new Uint8Array(AsnConvert.serialize(response));
}

function singleResponse(single: SingleStatus): SingleResponse {
	return new SingleResponse({
		certID: single.certId,
		certStatus: certStatus(single),
		thisUpdate: wholeSeconds(single.thisUpdate),
		nextUpdate: wholeSeconds(single.nextUpdate),
	});
}

function certStatus(single: SingleStatus): CertStatus {
	if (single.status === "good") {
		return new CertStatus({ good: null });
	}
	if (single.status === "unknown") {
		return new CertStatus({ unknown: null });
	}
	const revoked = new RevokedInfo({
		revocationTime: wholeSeconds(new Date(single.revokedAt ?? 0)),
	});
	const reason = crlReasonCode(single.reason);
	// Left out for unspecified, as on the CRL.
	if (reason !== CRLReasons.unspecified) {
		revoked.revocationReason = new CRLReason(reason);
	}
	return new CertStatus({ revoked });
}

/** GeneralizedTime in OCSP carries no fractions of a second (RFC 5280, 4.1.2.5.2). */
function wholeSeconds(date: Date): Date {
	return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

/**
 * OCSP (RFC 6960) on the client side: builds a request with a nonce for one
 * certificate and checks a response against the certificate's issuer.
 * WebCrypto only, so it runs in Node, browsers and workerd.
 *
 * @module
 */
import {
	BasicOCSPResponse,
	CertID,
	id_kp_OCSPSigning,
	id_pkix_ocsp_basic,
	id_pkix_ocsp_nonce,
	OCSPRequest,
	OCSPResponse,
	OCSPResponseStatus,
	Request,
	type SingleResponse,
	TBSRequest,
} from "@peculiar/asn1-ocsp";
import { AsnConvert, OctetString } from "@peculiar/asn1-schema";
import {
	AlgorithmIdentifier,
	Certificate,
	CRLReasons,
	Extension,
} from "@peculiar/asn1-x509";
import { x509 } from "./x509-provider.ts";

type X509Certificate = x509.X509Certificate;

/** OID of SHA-256, the hash of the CertIDs this client sends. */
const SHA256_OID = "2.16.840.1.101.3.4.2.1";

/** Nonce length in octets, within the 1 to 32 that RFC 8954 allows. */
const NONCE_OCTETS = 16;

/** A request built by {@link createOcspRequest}, kept to check the response. */
export interface OcspRequestContext {
	der: Uint8Array<ArrayBuffer>;
	certId: CertID;
	/** The nonce extension's value, which the response must echo. */
	nonceValue: Uint8Array<ArrayBuffer>;
}

/** Outcome of a checked OCSP response for the requested certificate. */
export interface OcspStatus {
	status: "good" | "revoked" | "unknown";
	/** RFC 5280 CRLReason name, for `revoked`; `unspecified` when the response gives none. */
	reason?: string;
	revokedAt?: Date;
	thisUpdate: Date;
	nextUpdate: Date;
}

/** Raised when an OCSP response cannot be trusted or does not cover the certificate. */
export class OcspCheckError extends Error {
	constructor(message: string, options?: { cause?: unknown }) {
		super(message, options);
		this.name = "OcspCheckError";
	}
}

/** Builds a DER OCSP request for `leaf` with a SHA-256 CertID and a random nonce. */
export async function createOcspRequest(
	leaf: X509Certificate,
	issuer: X509Certificate,
): Promise<OcspRequestContext> {
	const issuerTbs = AsnConvert.parse(
		issuer.rawData,
		Certificate,
	).tbsCertificate;
	const leafTbs = AsnConvert.parse(leaf.rawData, Certificate).tbsCertificate;
	const [nameHash, keyHash] = await Promise.all([
		crypto.subtle.digest("SHA-256", AsnConvert.serialize(issuerTbs.subject)),
		crypto.subtle.digest(
			"SHA-256",
			issuerTbs.subjectPublicKeyInfo.subjectPublicKey,
		),
	]);
	const certId = new CertID({
		hashAlgorithm: new AlgorithmIdentifier({
			algorithm: SHA256_OID,
			parameters: null,
		}),
		issuerNameHash: new OctetString(nameHash),
		issuerKeyHash: new OctetString(keyHash),
		serialNumber: leafTbs.serialNumber,
	});

	const nonce = crypto.getRandomValues(new Uint8Array(NONCE_OCTETS));
	const nonceValue = new Uint8Array(
		AsnConvert.serialize(new OctetString(nonce)),
	);
	const request = new OCSPRequest({
		tbsRequest: new TBSRequest({
			requestList: [new Request({ reqCert: certId })],
			requestExtensions: [
				new Extension({
					extnID: id_pkix_ocsp_nonce,
					critical: false,
					extnValue: new OctetString(nonceValue),
				}),
			],
		}),
	});
	return {
		der: new Uint8Array(AsnConvert.serialize(request)),
		certId,
		nonceValue,
	};
}

/**
 * Checks a DER OCSP response to `request` and returns the status it gives.
 * Raises {@link OcspCheckError} unless the response is successful, is
 * signed by the issuer or by a responder certificate that the issuer
 * issued for OCSP signing and that is valid at `now`, echoes the nonce,
 * contains the requested CertID, and is fresh: thisUpdate no later than
 * `now` plus the tolerance and a nextUpdate no earlier than `now` minus it.
 */
export async function checkOcspResponse(
	der: Uint8Array<ArrayBuffer>,
	request: OcspRequestContext,
	issuer: X509Certificate,
	now: Date,
	toleranceMs: number,
): Promise<OcspStatus> {
	const basic = parseBasicResponse(der);
	const signer = await findAuthorizedSigner(basic, issuer, now, toleranceMs);
	await checkSignature(basic, signer);
	checkNonce(basic, request.nonceValue);

	const single = basic.tbsResponseData.responses.find((response) =>
		sameCertId(response.certID, request.certId),
	);
	if (single === undefined) {
		throw new OcspCheckError(
			"the response does not contain a status for the requested certificate",
		);
	}
	return statusOf(single, now, toleranceMs);
}

function parseBasicResponse(der: Uint8Array<ArrayBuffer>): BasicOCSPResponse {
	let response: OCSPResponse;
	try {
		response = AsnConvert.parse(der, OCSPResponse);
	} catch (error) {
		throw new OcspCheckError("the body is not a DER OCSP response", {
			cause: error,
		});
	}
	if (response.responseStatus !== OCSPResponseStatus.successful) {
		const name =
			OCSPResponseStatus[response.responseStatus] ??
			String(response.responseStatus);
		throw new OcspCheckError(`the responder returned the status ${name}`);
	}
	const bytes = response.responseBytes;
	if (bytes === undefined || bytes.responseType !== id_pkix_ocsp_basic) {
		throw new OcspCheckError(
			`the response type is ${bytes?.responseType ?? "missing"}, not id-pkix-ocsp-basic`,
		);
	}
	try {
		return AsnConvert.parse(bytes.response.buffer, BasicOCSPResponse);
	} catch (error) {
		throw new OcspCheckError("the BasicOCSPResponse does not parse", {
			cause: error,
		});
	}
}

/**
 * Returns the certificate whose key signed the response: the issuer itself,
 * or a delegated responder certificate from `certs` (RFC 6960, 4.2.2.2).
 */
async function findAuthorizedSigner(
	basic: BasicOCSPResponse,
	issuer: X509Certificate,
	now: Date,
	toleranceMs: number,
): Promise<X509Certificate> {
	const { responderID } = basic.tbsResponseData;
	const candidates = [
		issuer,
		...(basic.certs ?? []).map(
			(certificate) =>
				new x509.X509Certificate(AsnConvert.serialize(certificate)),
		),
	];
	for (const candidate of candidates) {
		if (!(await matchesResponderId(candidate, responderID))) {
			continue;
		}
		if (equalBytes(candidate.rawData, issuer.rawData)) {
			return issuer;
		}
		await checkDelegatedResponder(candidate, issuer, now, toleranceMs);
		return candidate;
	}
	throw new OcspCheckError(
		"no certificate in the response matches its responder id, so its signer is unknown",
	);
}

async function matchesResponderId(
	certificate: X509Certificate,
	responderId: BasicOCSPResponse["tbsResponseData"]["responderID"],
): Promise<boolean> {
	const tbs = AsnConvert.parse(certificate.rawData, Certificate).tbsCertificate;
	if (responderId.byKey !== undefined) {
		const keyHash = await crypto.subtle.digest(
			"SHA-1",
			tbs.subjectPublicKeyInfo.subjectPublicKey,
		);
		return equalBytes(keyHash, responderId.byKey.buffer);
	}
	if (responderId.byName !== undefined) {
		return equalBytes(
			AsnConvert.serialize(tbs.subject),
			AsnConvert.serialize(responderId.byName),
		);
	}
	return false;
}

async function checkDelegatedResponder(
	responder: X509Certificate,
	issuer: X509Certificate,
	now: Date,
	toleranceMs: number,
): Promise<void> {
	const issuedByIssuer =
		responder.issuer === issuer.subject &&
		(await responder.verify({
			publicKey: issuer.publicKey,
			signatureOnly: true,
		}));
	if (!issuedByIssuer) {
		throw new OcspCheckError(
			`the responder certificate ${responder.subject} was not issued by ${issuer.subject}, so it may not sign for its certificates`,
		);
	}
	const usage = responder.getExtension(x509.ExtendedKeyUsageExtension);
	if (!usage?.usages.includes(id_kp_OCSPSigning)) {
		throw new OcspCheckError(
			`the responder certificate ${responder.subject} lacks the OCSPSigning extended key usage`,
		);
	}
	const time = now.getTime();
	if (
		time + toleranceMs < responder.notBefore.getTime() ||
		time - toleranceMs > responder.notAfter.getTime()
	) {
		throw new OcspCheckError(
			`the responder certificate ${responder.subject} is valid from ${responder.notBefore.toISOString()} to ${responder.notAfter.toISOString()}, not at ${now.toISOString()}`,
		);
	}
}

async function checkSignature(
	basic: BasicOCSPResponse,
	signer: X509Certificate,
): Promise<void> {
	const tbs =
		basic.tbsResponseDataRaw ?? AsnConvert.serialize(basic.tbsResponseData);
	let valid = false;
	try {
		const signatureAlgorithm = new x509.AlgorithmProvider().toWebAlgorithm(
			basic.signatureAlgorithm,
		) as Algorithm & { hash?: unknown };
		const keyAlgorithm = {
			...signer.publicKey.algorithm,
			...(signatureAlgorithm.hash === undefined
				? {}
				: { hash: signatureAlgorithm.hash }),
		};
		const algorithm = { ...keyAlgorithm, ...signatureAlgorithm };
		const key = await signer.publicKey.export(keyAlgorithm, ["verify"]);
		let signature: ArrayBuffer | null = basic.signature;
		if (algorithm.name === "ECDSA") {
			signature = new x509.AsnEcSignatureFormatter().toWebSignature(
				algorithm,
				basic.signature,
			);
		}
		valid =
			signature !== null &&
			(await crypto.subtle.verify(algorithm, key, signature, tbs));
	} catch (error) {
		throw new OcspCheckError(
			`the response signature could not be checked: ${error instanceof Error ? error.message : String(error)}`,
			{ cause: error },
		);
	}
	if (!valid) {
		throw new OcspCheckError(
			`the response signature does not verify with the key of ${signer.subject}`,
		);
	}
}

function checkNonce(
	basic: BasicOCSPResponse,
	expected: Uint8Array<ArrayBuffer>,
): void {
	const nonce = basic.tbsResponseData.responseExtensions?.find(
		(extension) => extension.extnID === id_pkix_ocsp_nonce,
	);
	if (nonce === undefined) {
		throw new OcspCheckError(
			"the response has no nonce, so it may be a replayed older response",
		);
	}
	if (!equalBytes(nonce.extnValue.buffer, expected)) {
		throw new OcspCheckError(
			"the response nonce differs from the request nonce",
		);
	}
}

function sameCertId(a: CertID, b: CertID): boolean {
	return (
		a.hashAlgorithm.algorithm === b.hashAlgorithm.algorithm &&
		equalBytes(a.issuerNameHash.buffer, b.issuerNameHash.buffer) &&
		equalBytes(a.issuerKeyHash.buffer, b.issuerKeyHash.buffer) &&
		equalBytes(
			withoutLeadingZeros(a.serialNumber),
			withoutLeadingZeros(b.serialNumber),
		)
	);
}

/** Returns a DER INTEGER's content octets without leading zero bytes. */
function withoutLeadingZeros(value: ArrayBuffer): Uint8Array {
	const bytes = new Uint8Array(value);
	let start = 0;
	while (start < bytes.length - 1 && bytes[start] === 0) {
		start++;
	}
	return bytes.subarray(start);
}

/** Compares two byte sequences. Uses no Buffer, so it runs outside Node too. */
function equalBytes(
	a: ArrayBuffer | Uint8Array,
	b: ArrayBuffer | Uint8Array,
): boolean {
	const left = toBytes(a);
	const right = toBytes(b);
	if (left.length !== right.length) {
		return false;
	}
	for (let i = 0; i < left.length; i++) {
		if (left[i] !== right[i]) {
			return false;
		}
	}
	return true;
}

function toBytes(value: ArrayBuffer | Uint8Array): Uint8Array {
	return value instanceof Uint8Array ? value : new Uint8Array(value);
}

function statusOf(
	single: SingleResponse,
	now: Date,
	toleranceMs: number,
): OcspStatus {
	const { thisUpdate, nextUpdate } = single;
	const time = now.getTime();
	if (thisUpdate.getTime() > time + toleranceMs) {
		throw new OcspCheckError(
			`the response's thisUpdate ${thisUpdate.toISOString()} is in the future; check the system clock`,
		);
	}
	if (nextUpdate === undefined) {
		throw new OcspCheckError(
			"the response has no nextUpdate, so its freshness cannot be checked",
		);
	}
	if (nextUpdate.getTime() < time - toleranceMs) {
		throw new OcspCheckError(
			`the response expired at its nextUpdate ${nextUpdate.toISOString()}`,
		);
	}

	const { certStatus } = single;
	if (certStatus.revoked !== undefined) {
		const code = certStatus.revoked.revocationReason?.reason;
		return {
			status: "revoked",
			reason:
				code === undefined
					? "unspecified"
					: (CRLReasons[code] ?? "unspecified"),
			revokedAt: certStatus.revoked.revocationTime,
			thisUpdate,
			nextUpdate,
		};
	}
	if (certStatus.good !== undefined) {
		return { status: "good", thisUpdate, nextUpdate };
	}
	return { status: "unknown", thisUpdate, nextUpdate };
}

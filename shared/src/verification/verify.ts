import type { JSONWebKeySet } from "jose";
import { AnsError, isAnsError } from "../errors.ts";
import type { EndpointRecordPayload } from "../records/types.ts";
import {
	checkCertificateBinding,
	checkLeafCertificate,
	parseCertificate,
} from "./certificate.ts";
import { validateCertificatePath } from "./chain.ts";
import { checkExpectedName, type ExpectedName } from "./expected-name.ts";
import {
	DEFAULT_CLOCK_TOLERANCE_SECONDS,
	type VerifiedRecordHeader,
	verifyRecordSignature,
} from "./record-signature.ts";
import type { x509 } from "./x509-provider.ts";

type Certificate = x509.X509Certificate;

/** Resolver response for one name: the signed record and the agent's certificate chain. */
export interface ResolutionAnswer {
	/** Compact JWS endpoint record. */
	record: string;
	/** Agent certificate PEM. */
	certificate: string;
	/** Issuer certificate PEMs, intermediate(s) first. The root may be included. */
	chain: string[];
}

/** Outcome of a revocation lookup (OCSP or CRL) for the agent certificate. */
export interface RevocationResult {
	status: "good" | "revoked" | "unknown";
	source: "ocsp" | "crl" | "none";
	reason?: string;
	revokedAt?: Date;
}

/** Inputs of {@link verifyResolution} besides the answer. */
export interface VerifyOptions {
	/** Registry JWKS, as served at its JWKS URL. */
	jwks: JSONWebKeySet;
	/** ANS root certificate PEMs. */
	trustAnchors: string[];
	/** Verification time. Defaults to the current time. */
	now?: Date;
	/**
	 * Name that was requested: a canonical full name, or `{ base }` when a
	 * version range was resolved. Compared ignoring case.
	 */
	expectedName?: ExpectedName;
	/**
	 * Revocation lookup for the agent certificate. A `revoked` result fails
	 * verification, while `unknown` passes and is returned in `revocation`.
	 */
	checkRevocation?: (
		leaf: Certificate,
		issuer: Certificate,
	) => Promise<RevocationResult>;
	/** Allowed clock difference for the record's `iat` and `exp`, in seconds. Defaults to 60. */
	clockToleranceSeconds?: number;
}

/** One passed check of {@link verifyResolution}, for display. */
export interface VerificationCheck {
	name: string;
	ok: true;
	detail?: string;
}

/** Result of a successful {@link verifyResolution}. */
export interface VerifiedResolution {
	payload: EndpointRecordPayload;
	header: VerifiedRecordHeader;
	certificate: Certificate;
	/** Validated path above the agent certificate, intermediates first and the trust anchor last. Empty for tombstones. */
	chain: Certificate[];
	revocation: RevocationResult;
	/** Checks that ran and passed, in order. Checks skipped for tombstones are not listed. */
	checks: VerificationCheck[];
}

const NOT_CHECKED: RevocationResult = { status: "unknown", source: "none" };

function parseAll(pems: readonly string[], field: string): Certificate[] {
	if (!Array.isArray(pems)) {
		throw new AnsError(
			"CERT_MALFORMED",
			`${field} must be an array of PEM strings.`,
			{
				status: 400,
				field,
			},
		);
	}
	return pems.map((pem, index) => parseCertificate(pem, `${field}[${index}]`));
}

async function runRevocationCheck(
	checkRevocation: NonNullable<VerifyOptions["checkRevocation"]>,
	leaf: Certificate,
	issuer: Certificate,
): Promise<RevocationResult> {
	let result: RevocationResult;
	try {
		result = await checkRevocation(leaf, issuer);
	} catch (error) {
		if (isAnsError(error)) {
			throw error;
		}
		throw new AnsError(
			"REVOCATION_CHECK_FAILED",
			`Revocation check for certificate serial ${leaf.serialNumber} failed: ${error instanceof Error ? error.message : String(error)}.`,
			{ status: 400, field: "certificate", cause: error },
		);
	}
	if (result.status === "revoked") {
		const reason = result.reason ?? "unspecified";
		const time = result.revokedAt?.toISOString() ?? "an unknown time";
		throw new AnsError(
			"CERT_REVOKED",
			`Agent certificate serial ${leaf.serialNumber} was revoked at ${time} (reason: ${reason}, source: ${result.source}). Do not connect to this agent.`,
			{ status: 400, field: "certificate" },
		);
	}
	return result;
}

/**
 * Verifies a resolution answer offline: the signed record, the agent
 * certificate it names, and the certificate path to an ANS root. Checks run in
 * this order and the first failure throws:
 *
 * 1. record JWS: `typ`, `alg` allow-list, `kid` in the JWKS, signature,
 *    payload shape, and `iat`/`exp` against `now` with the clock tolerance;
 * 2. the record's `certificate.sha256` and `serial` match the answer's certificate;
 * 3. the path from the certificate through `chain` to a trust anchor;
 * 4. the certificate is CA:false and has a URI subjectAltName equal to the record's name;
 * 5. the record is for `expectedName`, when given;
 * 6. `checkRevocation`, when given, does not report the certificate revoked.
 *
 * A tombstone (a record whose status is not `active`) still verifies as a
 * signed statement of the registry. Steps 3 and 6 are skipped for it, because
 * the certificate of a revoked or expired agent may be revoked, expired or
 * issued under a retired intermediate. The registry's signature over the
 * certificate's SHA-256 still binds it to the record. The result's `chain` is
 * then empty and `revocation` is `{ status: "unknown", source: "none" }`.
 *
 * @throws AnsError with one of the codes `RECORD_MALFORMED`,
 * `RECORD_TYPE_INVALID`, `RECORD_ALG_FORBIDDEN`, `RECORD_KEY_UNKNOWN`,
 * `JWKS_INVALID`, `RECORD_SIGNATURE_INVALID`, `RECORD_NOT_YET_VALID`,
 * `RECORD_EXPIRED`, `CERT_MALFORMED`, `RECORD_CERTIFICATE_MISMATCH`,
 * `CERT_CHAIN_INVALID`, `CERT_UNTRUSTED_ROOT`, `CERT_EXPIRED`,
 * `CERT_NOT_YET_VALID`, `CERT_NAME_MISMATCH`, `NAME_MISMATCH`,
 * `CERT_REVOKED`, `REVOCATION_CHECK_FAILED` or `VERIFY_OPTIONS_INVALID`.
 */
export async function verifyResolution(
	answer: ResolutionAnswer,
	options: VerifyOptions,
): Promise<VerifiedResolution> {
	const now = options.now ?? new Date();
	const tolerance =
		options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
	const checks: VerificationCheck[] = [];

	const { header, payload } = await verifyRecordSignature(
		answer.record,
		options.jwks,
		now,
		tolerance,
	);
	checks.push({
		name: "record-signature",
		ok: true,
		detail: `${header.alg} key ${header.kid}`,
	});
	checks.push({
		name: "record-validity",
		ok: true,
		detail: `valid until ${new Date(payload.exp * 1000).toISOString()}`,
	});

	const certificate = parseCertificate(answer.certificate, "certificate");
	await checkCertificateBinding(payload, certificate);
	checks.push({
		name: "certificate-binding",
		ok: true,
		detail: `serial ${certificate.serialNumber}`,
	});

	const tombstone = payload.status !== "active";
	let chain: Certificate[] = [];
	if (!tombstone) {
		const intermediates = parseAll(answer.chain, "chain");
		const anchors = parseAll(options.trustAnchors, "trustAnchors");
		const path = await validateCertificatePath(
			certificate,
			intermediates,
			anchors,
			now,
		);
		chain = path.slice(1);
		checks.push({
			name: "certificate-chain",
			ok: true,
			detail: `trust anchor ${chain[chain.length - 1]?.subject}`,
		});
	}

	checkLeafCertificate(certificate, payload.name);
	checks.push({ name: "certificate-name", ok: true, detail: payload.name });

	if (options.expectedName !== undefined) {
		const detail = checkExpectedName(payload, options.expectedName);
		checks.push({ name: "expected-name", ok: true, detail });
	}

	let revocation = NOT_CHECKED;
	const issuer = chain[0];
	if (
		!tombstone &&
		options.checkRevocation !== undefined &&
		issuer !== undefined
	) {
		revocation = await runRevocationCheck(
			options.checkRevocation,
			certificate,
			issuer,
		);
		checks.push({
			name: "certificate-revocation",
			ok: true,
			detail: `${revocation.status} (${revocation.source})`,
		});
	}

	return { payload, header, certificate, chain, revocation, checks };
}

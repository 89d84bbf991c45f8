import { AnsError } from "../errors.ts";
import { x509 } from "./x509-provider.ts";

type Certificate = x509.X509Certificate;

/**
 * Extensions that path validation processes or that carry no constraint.
 * RFC 5280 (section 4.2) requires rejecting a certificate with any other
 * extension marked critical.
 */
const RECOGNIZED_EXTENSIONS = new Set([
	"2.5.29.14", // subjectKeyIdentifier
	"2.5.29.15", // keyUsage
	"2.5.29.17", // subjectAltName
	"2.5.29.19", // basicConstraints
	"2.5.29.35", // authorityKeyIdentifier
	"2.5.29.37", // extKeyUsage
]);

function chainInvalid(message: string, field: string): AnsError {
	return new AnsError("CERT_CHAIN_INVALID", message, { status: 400, field });
}

async function signedBy(
	child: Certificate,
	issuer: Certificate,
): Promise<boolean> {
	try {
		return await child.verify({
			publicKey: issuer.publicKey,
			signatureOnly: true,
		});
	} catch {
		// The library throws when the issuer's key type cannot check this signature algorithm.
		return false;
	}
}

function isSelfIssued(certificate: Certificate): boolean {
	return certificate.subject === certificate.issuer;
}

interface IssuerSearch {
	issuer?: Certificate;
	/** A candidate had the issuer's name but its key did not verify the signature. */
	nameMatchedOnly: boolean;
}

async function findIssuer(
	child: Certificate,
	candidates: readonly Certificate[],
): Promise<IssuerSearch> {
	let nameMatchedOnly = false;
	for (const candidate of candidates) {
		if (candidate.subject !== child.issuer) {
			continue;
		}
		if (await signedBy(child, candidate)) {
			return { issuer: candidate, nameMatchedOnly: false };
		}
		nameMatchedOnly = true;
	}
	return { nameMatchedOnly };
}

/**
 * Builds the path leaf → intermediates → trust anchor, with the issuer of
 * each certificate found by subject name and a verifying signature.
 * Trust anchors are preferred over chain certificates, so a chain that also
 * carries the root still ends at the configured anchor.
 */
async function buildPath(
	leaf: Certificate,
	intermediates: readonly Certificate[],
	trustAnchors: readonly Certificate[],
): Promise<Certificate[]> {
	const path = [leaf];
	const unused = [...intermediates];
	let current = leaf;

	// Each round either ends at an anchor or uses up one intermediate.
	for (let round = 0; round <= intermediates.length; round++) {
		const anchorSearch = await findIssuer(current, trustAnchors);
		if (anchorSearch.issuer !== undefined) {
			path.push(anchorSearch.issuer);
			return path;
		}

		if (await current.isSelfSigned()) {
			throw new AnsError(
				"CERT_UNTRUSTED_ROOT",
				`Certificate chain ends at the self-signed ${current.subject}, which is not one of the ${trustAnchors.length} trust anchors. Check that the trust anchors are the ANS root certificates of this registry.`,
				{ status: 400, field: "chain" },
			);
		}

		const chainSearch = await findIssuer(current, unused);
		if (chainSearch.issuer !== undefined) {
			path.push(chainSearch.issuer);
			unused.splice(unused.indexOf(chainSearch.issuer), 1);
			current = chainSearch.issuer;
			continue;
		}

		if (chainSearch.nameMatchedOnly) {
			throw chainInvalid(
				`Signature of ${current.subject} does not verify with the key of the chain certificate named ${current.issuer}. The chain was altered or belongs to another certificate.`,
				"chain",
			);
		}
		if (anchorSearch.nameMatchedOnly) {
			throw new AnsError(
				"CERT_UNTRUSTED_ROOT",
				`Issuer ${current.issuer} of ${current.subject} is not a trust anchor: a trust anchor has that name, but its key did not sign the certificate. The chain ends at another root than the configured ANS roots.`,
				{ status: 400, field: "chain" },
			);
		}
		throw chainInvalid(
			`No certificate named ${current.issuer} (the issuer of ${current.subject}) is among the ${intermediates.length} chain certificates and ${trustAnchors.length} trust anchors. The answer must carry every intermediate certificate.`,
			"chain",
		);
	}

	throw chainInvalid(
		`Certificate chain of ${leaf.subject} does not reach a trust anchor after using all ${intermediates.length} chain certificates.`,
		"chain",
	);
}

function describe(path: readonly Certificate[], index: number): string {
	if (index === 0) {
		return `agent certificate ${path[index]?.subject}`;
	}
	if (index === path.length - 1) {
		return `trust anchor ${path[index]?.subject}`;
	}
	return `intermediate certificate ${path[index]?.subject}`;
}

function checkCriticalExtensions(path: readonly Certificate[]): void {
	// The trust anchor is configured by the caller, so its extensions are not processed.
	for (let index = 0; index < path.length - 1; index++) {
		const certificate = path[index] as Certificate;
		for (const extension of certificate.extensions) {
			if (extension.critical && !RECOGNIZED_EXTENSIONS.has(extension.type)) {
				throw chainInvalid(
					`${describe(path, index)} has the critical extension ${extension.type}, which this verifier does not process.`,
					"chain",
				);
			}
		}
	}
}

function checkIssuerConstraints(path: readonly Certificate[]): void {
	// Counts non-self-issued intermediates below the issuer being checked, as RFC 5280 pathLenConstraint does.
	let intermediatesBelow = 0;
	for (let index = 1; index < path.length; index++) {
		const issuer = path[index] as Certificate;
		const basicConstraints = issuer.getExtension(
			x509.BasicConstraintsExtension,
		);
		if (basicConstraints?.ca !== true) {
			throw chainInvalid(
				`${describe(path, index)} issued a certificate but is not a CA (basicConstraints CA:true is missing).`,
				"chain",
			);
		}
		const keyUsage = issuer.getExtension(x509.KeyUsagesExtension);
		if (
			keyUsage === null ||
			(keyUsage.usages & x509.KeyUsageFlags.keyCertSign) === 0
		) {
			throw chainInvalid(
				`${describe(path, index)} issued a certificate but its keyUsage lacks keyCertSign.`,
				"chain",
			);
		}
		if (
			basicConstraints.pathLength !== undefined &&
			intermediatesBelow > basicConstraints.pathLength
		) {
			throw chainInvalid(
				`${describe(path, index)} allows ${basicConstraints.pathLength} intermediate certificates below it (pathLenConstraint), but the path has ${intermediatesBelow}.`,
				"chain",
			);
		}
		if (!isSelfIssued(issuer)) {
			intermediatesBelow++;
		}
	}
}

function checkValidityPeriods(path: readonly Certificate[], now: Date): void {
	for (let index = 0; index < path.length; index++) {
		const certificate = path[index] as Certificate;
		if (now.getTime() < certificate.notBefore.getTime()) {
			throw new AnsError(
				"CERT_NOT_YET_VALID",
				`${describe(path, index)} is not valid before ${certificate.notBefore.toISOString()} (now is ${now.toISOString()}). Check the local clock.`,
				{ status: 400, field: index === 0 ? "certificate" : "chain" },
			);
		}
		if (now.getTime() > certificate.notAfter.getTime()) {
			throw new AnsError(
				"CERT_EXPIRED",
				`${describe(path, index)} expired at ${certificate.notAfter.toISOString()} (now is ${now.toISOString()}). Resolve the name again after the registry has renewed it.`,
				{ status: 400, field: index === 0 ? "certificate" : "chain" },
			);
		}
	}
}

/**
 * Validates the certification path from `leaf` through `intermediates` to one
 * of `trustAnchors` and returns it, leaf first and anchor last.
 *
 * Checks that:
 * - each issuer's name equals its subject's issuer name, and its key verifies the signature;
 * - each issuer is a CA with keyCertSign, and its pathLenConstraint holds;
 * - no certificate below the anchor has an unknown critical extension;
 * - every certificate, the anchor included, is valid at `now`.
 *
 * It does not check revocation, name constraints or certificate policies.
 *
 * @throws AnsError `CERT_CHAIN_INVALID`, `CERT_UNTRUSTED_ROOT`, `CERT_EXPIRED` or `CERT_NOT_YET_VALID`.
 */
export async function validateCertificatePath(
	leaf: Certificate,
	intermediates: readonly Certificate[],
	trustAnchors: readonly Certificate[],
	now: Date,
): Promise<Certificate[]> {
	if (trustAnchors.length === 0) {
		throw new AnsError(
			"CERT_UNTRUSTED_ROOT",
			"No trust anchors were given, so no certificate chain can be trusted. Pass the ANS root certificate PEMs in trustAnchors.",
			{ status: 400, field: "trustAnchors" },
		);
	}
	const path = await buildPath(leaf, intermediates, trustAnchors);
	checkCriticalExtensions(path);
	checkIssuerConstraints(path);
	checkValidityPeriods(path, now);
	return path;
}

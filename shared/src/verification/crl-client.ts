/**
 * CRL checks on the client side: signature by the issuer, freshness, and
 * the entry of one certificate. WebCrypto only, so it runs in Node,
 * browsers and workerd.
 *
 * @module
 */
import { CRLReasons } from "@peculiar/asn1-x509";
import { x509 } from "./x509-provider.ts";

type X509Certificate = x509.X509Certificate;

/** Outcome of a checked CRL for one certificate. */
export interface CrlStatus {
	status: "good" | "revoked";
	/** RFC 5280 CRLReason name, for `revoked`; `unspecified` when the entry gives none. */
	reason?: string;
	revokedAt?: Date;
	thisUpdate: Date;
	nextUpdate: Date;
}

/** Raised when a CRL cannot be trusted or is not fresh. */
export class CrlCheckError extends Error {
	constructor(message: string, options?: { cause?: unknown }) {
		super(message, options);
		this.name = "CrlCheckError";
	}
}

/**
 * Checks a DER or PEM CRL and returns whether it lists `leaf`. Raises
 * {@link CrlCheckError} unless the CRL parses, names `issuer` as its issuer,
 * carries a signature that verifies with the issuer's key, and is fresh:
 * thisUpdate no later than `now` plus the tolerance and a nextUpdate no
 * earlier than `now` minus it.
 */
export async function checkCrl(
	encoded: Uint8Array<ArrayBuffer>,
	leaf: X509Certificate,
	issuer: X509Certificate,
	now: Date,
	toleranceMs: number,
): Promise<CrlStatus> {
	let crl: x509.X509Crl;
	try {
		crl = new x509.X509Crl(encoded);
	} catch (error) {
		throw new CrlCheckError("the body is not a CRL", { cause: error });
	}
	if (crl.issuer !== issuer.subject) {
		throw new CrlCheckError(
			`the CRL is issued by ${crl.issuer}, not by the certificate's issuer ${issuer.subject}`,
		);
	}
	let signed = false;
	try {
		signed = await crl.verify({ publicKey: issuer });
	} catch (error) {
		throw new CrlCheckError(
			`the CRL signature could not be checked: ${error instanceof Error ? error.message : String(error)}`,
			{ cause: error },
		);
	}
	if (!signed) {
		throw new CrlCheckError(
			`the CRL signature does not verify with the key of ${issuer.subject}`,
		);
	}

	const { thisUpdate, nextUpdate } = crl;
	const time = now.getTime();
	if (thisUpdate.getTime() > time + toleranceMs) {
		throw new CrlCheckError(
			`the CRL's thisUpdate ${thisUpdate.toISOString()} is in the future; check the system clock`,
		);
	}
	if (nextUpdate === undefined) {
		throw new CrlCheckError(
			"the CRL has no nextUpdate, so its freshness cannot be checked",
		);
	}
	if (nextUpdate.getTime() < time - toleranceMs) {
		throw new CrlCheckError(
			`the CRL expired at its nextUpdate ${nextUpdate.toISOString()}`,
		);
	}

	const entry = crl.findRevoked(leaf);
	if (entry === null) {
		return { status: "good", thisUpdate, nextUpdate };
	}
	const code = entry.reason;
	return {
		status: "revoked",
		reason:
			code === undefined ? "unspecified" : (CRLReasons[code] ?? "unspecified"),
		revokedAt: entry.revocationDate,
		thisUpdate,
		nextUpdate,
	};
}

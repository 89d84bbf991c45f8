import { CRLReasons } from "@peculiar/asn1-x509";

/**
 * Returns the RFC 5280 (5.3.1) CRLReason code of a stored reason name such
 * as `keyCompromise`. A missing or unrecognized name maps to `unspecified`.
 */
export function crlReasonCode(name: string | null | undefined): CRLReasons {
	if (name === null || name === undefined) {
		return CRLReasons.unspecified;
	}
	const code = (CRLReasons as unknown as Record<string, unknown>)[name];
	return typeof code === "number"
		? (code as CRLReasons)
		: CRLReasons.unspecified;
}

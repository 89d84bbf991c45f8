/**
 * Offline verification of resolution answers: record signature, certificate
 * binding, certificate path and name checks.
 *
 * @module
 */
export {
	checkCertificateBinding,
	checkLeafCertificate,
	parseCertificate,
	uriSubjectAltNames,
} from "./certificate.ts";
export { validateCertificatePath } from "./chain.ts";
export { type ExpectedName, recordBaseName } from "./expected-name.ts";
export {
	checkRecordValidity,
	DEFAULT_CLOCK_TOLERANCE_SECONDS,
	type VerifiedRecord,
	type VerifiedRecordHeader,
	verifyRecordSignature,
} from "./record-signature.ts";
export {
	checkRevocationOnline,
	DEFAULT_REVOCATION_CLOCK_TOLERANCE_SECONDS,
	DEFAULT_REVOCATION_TIMEOUT_MS,
	type OnlineRevocationOptions,
	type OnlineRevocationResult,
	onlineRevocationCheck,
} from "./revocation-online.ts";
export type {
	ResolutionAnswer,
	RevocationResult,
	VerificationCheck,
	VerifiedResolution,
	VerifyOptions,
} from "./verify.ts";
export { verifyResolution } from "./verify.ts";

/**
 * The certificate authority: root and intermediate CA files, agent
 * certificate issuance, CSR checks, intermediate rotation and the delegated
 * OCSP responder certificates.
 *
 * @module
 */
export type { CaHealth } from "./ca-health.ts";
export { EXPIRY_WARNING_DAYS } from "./ca-health.ts";
export * from "./certificate-authority.ts";
export * from "./compromised-key.ts";
export type { DerSigner } from "./der-signer.ts";
export {
	OCSP_RESPONDER_RENEW_DAYS,
	OCSP_RESPONDER_VALIDITY_DAYS,
	type OcspResponderCredential,
} from "./ocsp-responder-certificate.ts";
export * from "./parse-csr.ts";
export * from "./public-key-type.ts";

/**
 * The certificate authority: root and intermediate CA files, agent
 * certificate issuance and CSR checks.
 *
 * @module
 */
export type { CaHealth } from "./ca-health.ts";
export { EXPIRY_WARNING_DAYS } from "./ca-health.ts";
export * from "./certificate-authority.ts";
export * from "./parse-csr.ts";
export * from "./public-key-type.ts";

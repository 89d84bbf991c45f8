/**
 * Agent key pairs, CSRs and PEM handling on WebCrypto, for Node and browsers.
 *
 * @module
 */
export * from "./agent-key-type.ts";
export * from "./certificate-names.ts";
export * from "./create-csr.ts";
export * from "./generate-agent-key-pair.ts";
export * from "./pem.ts";
export * from "./private-key-pem.ts";
export { x509 } from "./x509.ts";

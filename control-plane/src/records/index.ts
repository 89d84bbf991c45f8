/**
 * Signing of endpoint records and the registry JWKS that verifies them.
 *
 * @module
 */
export {
	buildJwks,
	type PublishedKey,
	publicJwk,
	type RegistryJwk,
	type RegistryJwks,
} from "./jwks.ts";
export { type SignRecordOptions, signRecord } from "./sign.ts";

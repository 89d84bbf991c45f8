/**
 * Signed endpoint records: types, decoding, shape checks and canonical JSON.
 *
 * @module
 */
export { canonicalJson } from "./canonical-json.ts";
export { decodeRecord, decodeRecordHeader } from "./decode.ts";
export { bytesToHex, metadataDigest, sha256Hex } from "./digest.ts";
export * from "./types.ts";
export { validateRecordPayload } from "./validate.ts";

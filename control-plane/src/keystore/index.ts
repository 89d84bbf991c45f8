/**
 * Private key files: PKCS#8 PEM, optionally encrypted, written atomically
 * with owner-only permissions. Used for CA keys and JWS signing keys.
 *
 * @module
 */
export * from "./atomic-write.ts";
export * from "./key-algorithm.ts";
export * from "./key-file.ts";

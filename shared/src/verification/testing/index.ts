/**
 * Test PKI helpers, importable as `@ans/shared/verification/testing`.
 * For tests only.
 *
 * @module
 */
export * from "../test-ca.ts";

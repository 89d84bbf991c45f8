/**
 * Test fixtures for records, importable as `@ans/shared/records/testing`.
 * For tests only.
 *
 * @module
 */
export { SAMPLE_RECORD_NAME, sampleRecordPayload } from "../test-payload.ts";

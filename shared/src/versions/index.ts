/**
 * Version selection: picks the version of a base name that a semver range
 * resolves to, or the tombstone of a withdrawn version.
 *
 * @module
 */

export { MAX_RANGE_LENGTH, parseRange } from "./range.ts";
export { selectVersion } from "./select.ts";
export type { Selection, VersionCandidate, VersionStatus } from "./types.ts";

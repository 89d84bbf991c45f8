/**
 * Lifecycle status of one registered version. Only `active` versions are
 * selected. `revoked`, `deregistered` and `expired` ones can produce a
 * tombstone, and any other status is skipped.
 */
export type VersionStatus =
	| "active"
	| "revoked"
	| "deregistered"
	| "expired"
	// Keeps the named statuses as editor hints while accepting any string.
	| (string & {});

/** One registered version of a base name. */
export interface VersionCandidate {
	/** Canonical semver string, such as `2.1.0` or `1.0.0-rc.1`. */
	version: string;
	/** Lifecycle status of this version. */
	status: VersionStatus;
}

/**
 * Result of version selection. `active` is a version to serve. `tombstone` is
 * a revoked, deregistered or expired version, which the caller reports as
 * gone (410) with a signed tombstone.
 */
export type Selection<T extends VersionCandidate> =
	| { kind: "active"; candidate: T }
	| { kind: "tombstone"; candidate: T };

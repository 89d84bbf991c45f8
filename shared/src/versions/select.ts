import semver from "semver";
import { AnsError } from "../errors.ts";
import { parseRange } from "./range.ts";
import type { Selection, VersionCandidate } from "./types.ts";

/** Maximum number of versions that the VERSION_NOT_FOUND message lists. */
const MAX_LISTED_VERSIONS = 10;

/** Statuses answered with a signed tombstone (HTTP 410) instead of 404. */
const TOMBSTONE_STATUSES: ReadonlySet<string> = new Set([
	"revoked",
	"deregistered",
	"expired",
]);

/**
 * Selects the highest `active` version that satisfies `range`, using npm
 * range semantics. Pre-release versions match only when the range names a
 * pre-release of the same major.minor.patch (semver's default, without
 * includePrerelease). When no active version matches, selects the highest
 * matching `revoked`, `deregistered` or `expired` version as a tombstone. Candidates
 * whose version is not valid semver never match.
 *
 * @throws AnsError RANGE_INVALID (400, field `range`) for an invalid range,
 * NAME_NOT_FOUND (404, field `name`) for an empty candidate list and
 * VERSION_NOT_FOUND (404, field `range`) when nothing matches.
 */
export function selectVersion<T extends VersionCandidate>(
	candidates: T[],
	range: string | undefined,
): Selection<T> {
	const parsedRange = parseRange(range);
	if (candidates.length === 0) {
		throw new AnsError(
			"NAME_NOT_FOUND",
			"No versions are registered under this name. Check the name, or register a version first.",
			{ status: 404, field: "name" },
		);
	}

	const matching = candidates.filter((candidate) =>
		semver.satisfies(candidate.version, parsedRange),
	);
	const active = highest(
		matching.filter((candidate) => candidate.status === "active"),
	);
	if (active !== undefined) {
		return { kind: "active", candidate: active };
	}
	const tombstone = highest(
		matching.filter((candidate) => TOMBSTONE_STATUSES.has(candidate.status)),
	);
	if (tombstone !== undefined) {
		return { kind: "tombstone", candidate: tombstone };
	}

	const requested =
		range === undefined || range.trim() === ""
			? "No release version is registered (no range was given, so any release matches)."
			: `No registered version matches range ${JSON.stringify(parsedRange)}.`;
	throw new AnsError(
		"VERSION_NOT_FOUND",
		`${requested} Registered versions: ${listVersions(candidates)}. ${hint(candidates, parsedRange)}`,
		{ status: 404, field: "range" },
	);
}

/**
 * Says how to reach what exists: pre-releases match only a range that
 * names a pre-release of the same major.minor.patch, which surprises users
 * whose every version is one.
 */
function hint(candidates: VersionCandidate[], range: string): string {
	const preRelease = highest(
		candidates.filter(
			(candidate) =>
				candidate.status === "active" &&
				semver.prerelease(candidate.version) !== null &&
				semver.satisfies(candidate.version, range, { includePrerelease: true }),
		),
	);
	if (preRelease !== undefined) {
		return `Pre-release ${preRelease.version} matches only when the range names a pre-release, for example range=^${preRelease.version} or the full name with v${preRelease.version}.`;
	}
	return "Use a range that matches an active version.";
}

/** Returns the candidate with the highest version, keeping the first of equal ones. */
function highest<T extends VersionCandidate>(candidates: T[]): T | undefined {
	let best: T | undefined;
	for (const candidate of candidates) {
		if (best === undefined || semver.gt(candidate.version, best.version)) {
			best = candidate;
		}
	}
	return best;
}

/** Formats up to 10 versions, highest first, with the status in parentheses unless it is `active`. */
function listVersions(candidates: VersionCandidate[]): string {
	const sorted = [...candidates].sort(compareDescending);
	const listed = sorted.slice(0, MAX_LISTED_VERSIONS).map((candidate) => {
		const status =
			candidate.status === "active" ? "" : ` (${candidate.status})`;
		return `${candidate.version}${status}`;
	});
	const hidden = sorted.length - listed.length;
	return hidden > 0
		? `${listed.join(", ")} and ${hidden} more`
		: listed.join(", ");
}

/** Orders valid versions highest first, then invalid ones by text. */
function compareDescending(a: VersionCandidate, b: VersionCandidate): number {
	const aValid = semver.valid(a.version) !== null;
	const bValid = semver.valid(b.version) !== null;
	if (aValid && bValid) {
		return semver.rcompare(a.version, b.version);
	}
	if (aValid !== bValid) {
		return aValid ? -1 : 1;
	}
	return a.version.localeCompare(b.version);
}

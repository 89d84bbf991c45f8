/** A version that maps to an ANS name, or the reason it does not. */
export type VersionResult =
	| { ok: true; version: string }
	| { ok: false; message: string };

/** `major[.minor[.patch]]` with an optional pre-release, after an optional `v`. */
const SHORT_VERSION =
	/^[vV]?(0|[1-9][0-9]*)(?:\.(0|[1-9][0-9]*))?(?:\.(0|[1-9][0-9]*))?(-[0-9A-Za-z.-]+)?$/;

/**
 * Normalises a document's version to the full semver that an ANS name
 * carries: a leading `v` is dropped and missing minor and patch numbers
 * become 0, so `1.0` gives `1.0.0` and `v2` gives `2.0.0`. A pre-release
 * needs all three numbers, as in the name grammar.
 *
 * Everything else is rejected rather than guessed: dates such as
 * `2024-01-15`, words such as `latest`, ranges, leading zeros, and build
 * metadata (`+build.5`), which names cannot carry because semver ignores it
 * when comparing versions.
 */
export function normalizeVersion(text: string): VersionResult {
	const trimmed = text.trim();
	const match = SHORT_VERSION.exec(trimmed);
	if (match === null) {
		return {
			ok: false,
			message: `version ${JSON.stringify(text)} is not a semantic version such as 1.2.3, v2 or 1.0`,
		};
	}
	const [, major, minor, patch, prerelease] = match;
	if (prerelease !== undefined && patch === undefined) {
		return {
			ok: false,
			message: `version ${JSON.stringify(text)} has a pre-release after a short version; write all three numbers, such as 1.0.0-beta`,
		};
	}
	if (prerelease !== undefined && !isPrerelease(prerelease.slice(1))) {
		return {
			ok: false,
			message: `version ${JSON.stringify(text)} has an invalid pre-release; its dot-separated identifiers must be non-empty, and numeric ones have no leading zeros`,
		};
	}
	return {
		ok: true,
		version: `${major}.${minor ?? "0"}.${patch ?? "0"}${prerelease ?? ""}`,
	};
}

/** Checks pre-release identifiers as semver 2.0.0 defines them. */
function isPrerelease(prerelease: string): boolean {
	return prerelease
		.split(".")
		.every(
			(identifier) =>
				identifier !== "" &&
				!(/^[0-9]+$/.test(identifier) && /^0[0-9]/.test(identifier)),
		);
}

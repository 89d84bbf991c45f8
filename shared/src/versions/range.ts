import semver from "semver";
import { AnsError } from "../errors.ts";

/** Maximum length of a version range. semver uses the same bound (MAX_LENGTH) for versions. */
export const MAX_RANGE_LENGTH = 256;

/**
 * Validates an npm-style semver range and returns it trimmed. An undefined,
 * empty or blank range means any version and returns `*`.
 *
 * @throws AnsError RANGE_INVALID (status 400, field `range`) when the range is
 * longer than 256 characters or semver cannot parse it.
 */
export function parseRange(range: string | undefined): string {
	if (range === undefined) {
		return "*";
	}
	if (typeof range !== "string") {
		throw rangeError(
			`Invalid version range: expected a string, but got ${range === null ? "null" : typeof range}.`,
		);
	}
	if (range.length > MAX_RANGE_LENGTH) {
		throw rangeError(
			`Invalid version range: it is ${range.length} characters long, but the maximum is ${MAX_RANGE_LENGTH}. Use a shorter range such as "^2.1".`,
		);
	}
	const trimmed = range.trim();
	if (trimmed.length === 0) {
		return "*";
	}
	if (semver.validRange(trimmed) === null) {
		throw rangeError(
			`Invalid version range ${JSON.stringify(trimmed)}. Use an npm semver range such as "^2.1", "~1.4.0", "1.x", "1.0.0 - 2.0.0" or ">=1.2 <3".`,
		);
	}
	return trimmed;
}

function rangeError(message: string): AnsError {
	return new AnsError("RANGE_INVALID", message, {
		status: 400,
		field: "range",
	});
}

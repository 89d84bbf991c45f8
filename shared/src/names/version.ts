import { checkLabel } from "./label.ts";
import { nameError, quote } from "./name-error.ts";
import { MAX_VERSION_DIGITS } from "./types.ts";

/** Version and extension read from the labels after the provider. */
export interface ParsedVersion {
	/** Canonical semver string, lowercase, always major.minor.patch. */
	version: string;
	/** Version as written, without the leading `v`. */
	versionText: string;
	/** Extension label in display case, when present. */
	extension?: string;
}

const PRERELEASE_IDENTIFIER = /^[0-9A-Za-z-]+$/;
const NUMERIC = /^[0-9]+$/;

function isDigit(character: string): boolean {
	return character >= "0" && character <= "9";
}

/**
 * Parses `v<major>[.<minor>[.<patch>]][-<pre-release>][.<extension>]`.
 *
 * Digits after a dot continue the version, and a letter after a dot starts
 * the extension. A pre-release runs to the end of the name, so a pre-release
 * version has no extension. Missing minor and patch numbers become 0.
 *
 * @param input Whole name, quoted in messages.
 * @param tail Text after the dot that ends the provider label.
 * @param offset UTF-16 index of `tail` in `input`.
 */
export function parseVersionTail(
	input: string,
	tail: string,
	offset: number,
): ParsedVersion {
	const prefix = `Invalid ANS name ${quote(input)}:`;
	const first = tail.charAt(0);
	if (first !== "v" && first !== "V") {
		throw notAVersion(input, tail);
	}

	const numbers: string[] = [];
	let position = 1;
	let versionEnd = tail.length;
	let prerelease: string | undefined;
	let extension: string | undefined;

	for (;;) {
		const start = position;
		while (position < tail.length && isDigit(tail.charAt(position))) {
			position++;
		}
		const digits = tail.slice(start, position);
		if (digits.length === 0) {
			throw numbers.length === 0
				? notAVersion(input, tail)
				: nameError(
						"NAME_VERSION_INVALID",
						`${prefix} expected a number at index ${offset + start} in version ${quote(tail)}. Write the version as v<major>[.<minor>[.<patch>]], such as v2.1.`,
					);
		}
		checkVersionNumber(input, digits);
		numbers.push(digits);
		if (position === tail.length) {
			break;
		}

		const separator = tail.charAt(position);
		if (separator === ".") {
			const next = tail.charAt(position + 1);
			if (!isDigit(next)) {
				versionEnd = position;
				extension = tail.slice(position + 1);
				break;
			}
			if (numbers.length === 3) {
				throw nameError(
					"NAME_VERSION_INVALID",
					`${prefix} version ${quote(tail.slice(0, position))} is followed by another number at index ${offset + position + 1}. A version has at most three numbers (major.minor.patch), and an extension must start with a letter.`,
				);
			}
			position++;
			continue;
		}
		if (separator === "-") {
			if (numbers.length < 3) {
				throw nameError(
					"NAME_PRERELEASE_INVALID",
					`${prefix} pre-release ${quote(tail.slice(position))} follows a short version ${quote(tail.slice(0, position))}. A pre-release needs all three numbers, such as v1.0.0-beta.1.`,
				);
			}
			prerelease = tail.slice(position + 1);
			const buildIndex = prerelease.indexOf("+");
			if (buildIndex >= 0) {
				throw buildMetadataError(input, prerelease.slice(buildIndex));
			}
			checkPrerelease(input, prerelease);
			break;
		}
		if (separator === "+") {
			throw buildMetadataError(input, tail.slice(position));
		}
		throw nameError(
			"NAME_VERSION_INVALID",
			`${prefix} unexpected ${quote(separator)} at index ${offset + position} in version ${quote(tail)}. Write the version as v<major>[.<minor>[.<patch>]], optionally followed by -<pre-release> or .<extension>.`,
		);
	}

	while (numbers.length < 3) {
		numbers.push("0");
	}
	let version = numbers.join(".");
	if (prerelease !== undefined) {
		version += `-${prerelease.toLowerCase()}`;
	}
	const parsed: ParsedVersion = {
		version,
		versionText: tail.slice(1, versionEnd),
	};
	if (extension !== undefined) {
		checkExtension(input, extension, offset + versionEnd + 1);
		parsed.extension = extension;
	}
	return parsed;
}

function buildMetadataError(input: string, build: string) {
	return nameError(
		"NAME_BUILD_METADATA",
		`Invalid ANS name ${quote(input)}: build metadata ${quote(build)} is not allowed in a version. Semver ignores build metadata when comparing versions, so two names would mean the same version. Remove the "+" and what follows.`,
	);
}

function notAVersion(input: string, tail: string) {
	const label = tail.split(".")[0] ?? tail;
	return nameError(
		"NAME_VERSION_INVALID",
		`Invalid ANS name ${quote(input)}: the label after the provider must be the version, "v" followed by <major>[.<minor>[.<patch>]] such as v2.1, but it is ${quote(label)}.`,
	);
}

/** Rejects leading zeros and numbers above Number.MAX_SAFE_INTEGER, which semver also rejects. */
function checkVersionNumber(input: string, digits: string): void {
	const prefix = `Invalid ANS name ${quote(input)}:`;
	if (digits.length > 1 && digits.startsWith("0")) {
		throw nameError(
			"NAME_VERSION_INVALID",
			`${prefix} version number ${quote(digits)} has a leading zero. Write it without leading zeros.`,
		);
	}
	// Number() rounds, but rounding is monotonic, so any 16-digit value above
	// MAX_SAFE_INTEGER still converts to a number above it.
	if (
		digits.length > MAX_VERSION_DIGITS ||
		Number(digits) > Number.MAX_SAFE_INTEGER
	) {
		throw nameError(
			"NAME_VERSION_INVALID",
			`${prefix} version number ${quote(digits)} is larger than ${Number.MAX_SAFE_INTEGER}, the maximum that semver accepts. Use a smaller number.`,
		);
	}
}

function checkPrerelease(input: string, prerelease: string): void {
	const prefix = `Invalid ANS name ${quote(input)}:`;
	if (prerelease.length === 0) {
		throw nameError(
			"NAME_PRERELEASE_INVALID",
			`${prefix} the pre-release after "-" is empty. Add identifiers such as beta.1, or remove the "-".`,
		);
	}
	for (const identifier of prerelease.split(".")) {
		if (!PRERELEASE_IDENTIFIER.test(identifier)) {
			throw nameError(
				"NAME_PRERELEASE_INVALID",
				`${prefix} pre-release identifier ${quote(identifier)} is invalid. Identifiers are non-empty and use only ASCII letters, digits and "-".`,
			);
		}
		if (
			NUMERIC.test(identifier) &&
			identifier.length > 1 &&
			identifier.startsWith("0")
		) {
			throw nameError(
				"NAME_PRERELEASE_INVALID",
				`${prefix} numeric pre-release identifier ${quote(identifier)} has a leading zero. Write it without leading zeros.`,
			);
		}
	}
}

function checkExtension(
	input: string,
	extension: string,
	offset: number,
): void {
	const dot = extension.indexOf(".");
	if (dot >= 0) {
		throw nameError(
			"NAME_EXTRA_LABEL",
			`Invalid ANS name ${quote(input)}: ${quote(extension.slice(dot + 1))} follows the extension ${quote(extension.slice(0, dot))}. A name has at most one extension label after the version.`,
		);
	}
	checkLabel(input, extension, "extension", offset);
}

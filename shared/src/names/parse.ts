import { formatName } from "./format.ts";
import { checkLabel, type LabelPart } from "./label.ts";
import { nameError, quote } from "./name-error.ts";
import { rejectNonAscii } from "./non-ascii.ts";
import {
	type AnsBaseName,
	type AnsName,
	MAX_NAME_LENGTH,
	MAX_PROTOCOL_LENGTH,
} from "./types.ts";
import { parseVersionTail } from "./version.ts";

const SEPARATOR = "://";
const PROTOCOL = /^[A-Za-z][A-Za-z0-9-]*$/;
const BASE_PARTS: readonly LabelPart[] = ["agentId", "capability", "provider"];
const EXAMPLE = "a2a://textProcessor.DocumentTranslation.AcmeCorp.v2.1";

/** A name split at `://` and at dots, with the three base labels checked. */
interface SplitName {
	base: AnsBaseName;
	/** Every dot-separated label after `://`, including those of the version. */
	labels: string[];
	/** UTF-16 index of each label in the input. */
	offsets: number[];
}

/**
 * Parses a versioned ANS name,
 * `protocol://agentId.capability.provider.v<version>[.<extension>]`.
 *
 * @throws AnsError with status 400 and field `name` when the input breaks the
 * grammar in docs/names.md. The error code identifies the rule that failed.
 */
export function parseName(input: string): AnsName {
	return parseVersioned(input, splitName(input));
}

/**
 * Parses a version-less name, `protocol://agentId.capability.provider`.
 *
 * @throws AnsError with status 400 and field `name`, including
 * NAME_EXTRA_LABEL when a version or other label follows the provider.
 */
export function parseBaseName(input: string): AnsBaseName {
	const split = splitName(input);
	if (split.labels.length > BASE_PARTS.length) {
		const offset = split.offsets[BASE_PARTS.length] ?? input.length;
		throw nameError(
			"NAME_EXTRA_LABEL",
			`Invalid ANS base name ${quote(input)}: ${quote(input.slice(offset))} follows the provider. A base name ends after the provider, so remove the version and extension.`,
		);
	}
	return split.base;
}

/**
 * Parses either a versioned name or a base name. `name` is set only when the
 * input carries a version.
 *
 * @throws AnsError with status 400 and field `name`.
 */
export function parseNameOrBase(input: string): {
	base: AnsBaseName;
	name?: AnsName;
} {
	const split = splitName(input);
	if (split.labels.length === BASE_PARTS.length) {
		return { base: split.base };
	}
	return { base: split.base, name: parseVersioned(input, split) };
}

function parseVersioned(input: string, split: SplitName): AnsName {
	const versionOffset = split.offsets[BASE_PARTS.length];
	if (versionOffset === undefined) {
		throw nameError(
			"NAME_MISSING_PART",
			`Invalid ANS name ${quote(input)}: the version is missing. Add ".v<major>[.<minor>[.<patch>]]" after the provider, as in ${EXAMPLE}.`,
		);
	}
	const parsed = parseVersionTail(
		input,
		input.slice(versionOffset),
		versionOffset,
	);
	const name: AnsName = { ...split.base, ...parsed };

	// Completing a short version adds up to four characters ("v2" becomes
	// "v2.0.0"), so a name within the limit can have a longer canonical form.
	const canonical = formatName(name);
	if (canonical.length > MAX_NAME_LENGTH) {
		throw nameError(
			"NAME_TOO_LONG",
			`Invalid ANS name ${quote(input)}: its canonical form with the full version is ${canonical.length} characters long, but the maximum is ${MAX_NAME_LENGTH}. Shorten a label.`,
		);
	}
	return name;
}

/** Applies the checks shared by versioned and base names. */
function splitName(input: string): SplitName {
	if (typeof input !== "string") {
		throw nameError(
			"NAME_NOT_STRING",
			`Invalid ANS name: expected a string, but got ${input === null ? "null" : typeof input}.`,
		);
	}
	if (input.length === 0) {
		throw nameError(
			"NAME_EMPTY",
			`Invalid ANS name: the name is empty. Write protocol://agentId.capability.provider.v<version>, as in ${EXAMPLE}.`,
		);
	}
	if (/^\s/.test(input) || /\s$/.test(input)) {
		const where = /^\s/.test(input) ? "leading" : "trailing";
		throw nameError(
			"NAME_WHITESPACE",
			`Invalid ANS name ${quote(input)}: it has ${where} whitespace. Remove the whitespace around the name.`,
		);
	}
	rejectNonAscii(input);
	if (input.length > MAX_NAME_LENGTH) {
		throw nameError(
			"NAME_TOO_LONG",
			`Invalid ANS name ${quote(input)}: it is ${input.length} characters long, but the maximum is ${MAX_NAME_LENGTH}. Shorten a label.`,
		);
	}

	const separatorIndex = input.indexOf(SEPARATOR);
	if (separatorIndex < 0) {
		throw nameError(
			"NAME_SEPARATOR_MISSING",
			`Invalid ANS name ${quote(input)}: "://" after the protocol is missing. Write protocol://agentId.capability.provider…, as in ${EXAMPLE}.`,
		);
	}
	const protocol = input.slice(0, separatorIndex);
	checkProtocol(input, protocol);

	const restOffset = separatorIndex + SEPARATOR.length;
	const rest = input.slice(restOffset);
	if (rest.length === 0) {
		throw nameError(
			"NAME_MISSING_PART",
			`Invalid ANS name ${quote(input)}: nothing follows "://". Add agentId.capability.provider and the version, as in ${EXAMPLE}.`,
		);
	}
	if (rest.endsWith(".")) {
		throw nameError(
			"NAME_TRAILING_DOT",
			`Invalid ANS name ${quote(input)}: it ends with ".". Remove the trailing dot.`,
		);
	}

	const labels = rest.split(".");
	const offsets: number[] = [];
	let offset = restOffset;
	for (const label of labels) {
		offsets.push(offset);
		offset += label.length + 1;
	}
	const emptyIndex = labels.indexOf("");
	if (emptyIndex >= 0) {
		const part = BASE_PARTS[emptyIndex] ?? "version or extension";
		throw nameError(
			"NAME_EMPTY_LABEL",
			`Invalid ANS name ${quote(input)}: the ${part} label at index ${offsets[emptyIndex]} is empty. Remove the extra "." or fill in the missing label.`,
		);
	}
	if (labels.length < BASE_PARTS.length) {
		const missing = BASE_PARTS.slice(labels.length).join(" and ");
		throw nameError(
			"NAME_MISSING_PART",
			`Invalid ANS name ${quote(input)}: the ${missing} ${labels.length === 1 ? "are" : "is"} missing. A name has the labels agentId.capability.provider after "://", as in ${EXAMPLE}.`,
		);
	}

	BASE_PARTS.forEach((part, index) => {
		checkLabel(input, labels[index] ?? "", part, offsets[index] ?? 0);
	});
	const base: AnsBaseName = {
		protocol: protocol.toLowerCase(),
		agentId: labels[0] ?? "",
		capability: labels[1] ?? "",
		provider: labels[2] ?? "",
	};
	return { base, labels, offsets };
}

function checkProtocol(input: string, protocol: string): void {
	if (protocol.length === 0) {
		throw nameError(
			"NAME_MISSING_PART",
			`Invalid ANS name ${quote(input)}: the protocol before "://" is missing. Start the name with a protocol such as a2a or mcp.`,
		);
	}
	if (protocol.length > MAX_PROTOCOL_LENGTH || !PROTOCOL.test(protocol)) {
		throw nameError(
			"NAME_PROTOCOL_INVALID",
			`Invalid ANS name ${quote(input)}: protocol ${quote(protocol)} is invalid. A protocol has 1 to ${MAX_PROTOCOL_LENGTH} characters, starts with a letter and continues with letters, digits or "-".`,
		);
	}
}

import { nameError, quote } from "./name-error.ts";
import { MAX_LABEL_LENGTH } from "./types.ts";

/** Name parts that are single labels. */
export type LabelPart = "agentId" | "capability" | "provider" | "extension";

const LABEL_CHARACTER = /[A-Za-z0-9_-]/;
const LETTER = /[A-Za-z]/;

/** Punycode prefix (RFC 3492 via IDNA), matched case-insensitively. */
const PUNYCODE_PREFIX = "xn--";

/**
 * Checks one label of `input` and throws an AnsError naming the part when it
 * breaks the label rules. A label has 1–63 characters from `[A-Za-z0-9_-]`,
 * does not start or end with `-` or `_`, and does not start with `xn--`.
 * An extension must also start with a letter.
 *
 * @param offset UTF-16 index of the label in `input`, used in messages.
 */
export function checkLabel(
	input: string,
	label: string,
	part: LabelPart,
	offset: number,
): void {
	const prefix = `Invalid ANS name ${quote(input)}:`;
	const rule = `Labels use ASCII letters, digits, "-" and "_", and start and end with a letter or digit.`;

	if (label.length === 0) {
		throw nameError(
			"NAME_EMPTY_LABEL",
			`${prefix} the ${part} label at index ${offset} is empty. Remove the extra "." or fill in the ${part}.`,
		);
	}
	if (label.length > MAX_LABEL_LENGTH) {
		throw nameError(
			"NAME_LABEL_TOO_LONG",
			`${prefix} the ${part} label is ${label.length} characters long, but the maximum is ${MAX_LABEL_LENGTH}. Shorten it.`,
		);
	}
	if (
		label.slice(0, PUNYCODE_PREFIX.length).toLowerCase() === PUNYCODE_PREFIX
	) {
		throw nameError(
			"NAME_PUNYCODE_LABEL",
			`${prefix} the ${part} label ${quote(label)} starts with "xn--", which marks punycode and can hide Unicode lookalike letters. Use a plain ASCII label.`,
		);
	}
	for (let index = 0; index < label.length; index++) {
		const character = label.charAt(index);
		if (!LABEL_CHARACTER.test(character)) {
			throw nameError(
				"NAME_LABEL_INVALID",
				`${prefix} the ${part} label ${quote(label)} contains ${quote(character)} at index ${offset + index}. ${rule}`,
			);
		}
	}
	const first = label.charAt(0);
	const last = label.charAt(label.length - 1);
	if (part === "extension" && !LETTER.test(first)) {
		throw nameError(
			"NAME_EXTENSION_INVALID",
			`${prefix} the extension ${quote(label)} must start with a letter. A label after the version that starts with a digit continues the version instead.`,
		);
	}
	if (first === "-" || first === "_" || last === "-" || last === "_") {
		const where = first === "-" || first === "_" ? "starts" : "ends";
		const character = where === "starts" ? first : last;
		throw nameError(
			"NAME_LABEL_INVALID",
			`${prefix} the ${part} label ${quote(label)} ${where} with ${quote(character)}. ${rule}`,
		);
	}
}

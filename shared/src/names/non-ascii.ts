import { asciiLookalikeOf } from "./lookalikes.ts";
import { nameError, quote } from "./name-error.ts";

/** Control, format, separator and combining characters, whose glyphs messages omit because they print as nothing. */
const INVISIBLE = /^[\p{C}\p{Z}\p{M}]$/u;

/**
 * Throws NAME_NON_ASCII at the first character above U+007F. The message gives
 * the code point, its UTF-16 index in the input and, for a known lookalike,
 * the ASCII character it imitates.
 */
export function rejectNonAscii(input: string): void {
	for (let index = 0; index < input.length; index++) {
		if (input.charCodeAt(index) <= 0x7f) {
			continue;
		}
		const codePoint = input.codePointAt(index) ?? 0;
		const character = String.fromCodePoint(codePoint);
		const hex = codePoint.toString(16).toUpperCase().padStart(4, "0");
		const glyph = INVISIBLE.test(character) ? "" : ` ${quote(character)}`;
		const lookalike = asciiLookalikeOf(codePoint);
		const hint =
			lookalike === undefined
				? ""
				: ` It looks like the ASCII character "${lookalike}" but is a different character.`;
		throw nameError(
			"NAME_NON_ASCII",
			`Invalid ANS name ${quote(input)}: character U+${hex}${glyph} at index ${index} is not ASCII.${hint} ANS names allow only ASCII letters, digits, "-", "_", "." and "://", so retype the name in ASCII.`,
		);
	}
}

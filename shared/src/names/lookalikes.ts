/**
 * Non-ASCII letters, mostly Cyrillic and Greek, that render like an ASCII
 * letter in common fonts, keyed by code point. The parser rejects every
 * non-ASCII character anyway. This table only lets the error message name
 * the letter being imitated.
 */
const ASCII_LOOKALIKES: ReadonlyMap<number, string> = new Map([
	// Cyrillic small letters
	[0x0430, "a"],
	[0x0441, "c"],
	[0x0501, "d"],
	[0x0435, "e"],
	[0x04bb, "h"],
	[0x0456, "i"],
	[0x0458, "j"],
	[0x04cf, "l"],
	[0x043e, "o"],
	[0x0440, "p"],
	[0x051b, "q"],
	[0x0455, "s"],
	[0x0475, "v"],
	[0x051d, "w"],
	[0x0445, "x"],
	[0x0443, "y"],
	[0x04af, "y"],
	// Cyrillic capital letters
	[0x0410, "A"],
	[0x0412, "B"],
	[0x0421, "C"],
	[0x0415, "E"],
	[0x041d, "H"],
	[0x0406, "I"],
	[0x0408, "J"],
	[0x041a, "K"],
	[0x041c, "M"],
	[0x041e, "O"],
	[0x0420, "P"],
	[0x0405, "S"],
	[0x0422, "T"],
	[0x0474, "V"],
	[0x051c, "W"],
	[0x0425, "X"],
	[0x0423, "Y"],
	[0x04ae, "Y"],
	// Greek small letters
	[0x03b1, "a"],
	[0x03b9, "i"],
	[0x03f3, "j"],
	[0x03bf, "o"],
	[0x03c1, "p"],
	[0x03c5, "u"],
	[0x03bd, "v"],
	[0x03b3, "y"],
	// Greek capital letters
	[0x0391, "A"],
	[0x0392, "B"],
	[0x0395, "E"],
	[0x0397, "H"],
	[0x0399, "I"],
	[0x037f, "J"],
	[0x039a, "K"],
	[0x039c, "M"],
	[0x039d, "N"],
	[0x039f, "O"],
	[0x03a1, "P"],
	[0x03a4, "T"],
	[0x03a7, "X"],
	[0x03a5, "Y"],
	[0x0396, "Z"],
	// Latin letters outside ASCII that imitate ASCII ones
	[0x0131, "i"],
	[0x0251, "a"],
	[0x0261, "g"],
]);

const FULLWIDTH_DIGIT_ZERO = 0xff10;
const FULLWIDTH_CAPITAL_A = 0xff21;
const FULLWIDTH_SMALL_A = 0xff41;

/**
 * Returns the ASCII letter or digit that a code point imitates, or undefined
 * when the code point is not a known lookalike. Covers the table above and
 * the fullwidth forms U+FF10–U+FF19, U+FF21–U+FF3A and U+FF41–U+FF5A.
 */
export function asciiLookalikeOf(codePoint: number): string | undefined {
	const listed = ASCII_LOOKALIKES.get(codePoint);
	if (listed !== undefined) {
		return listed;
	}
	if (
		codePoint >= FULLWIDTH_DIGIT_ZERO &&
		codePoint < FULLWIDTH_DIGIT_ZERO + 10
	) {
		return String.fromCharCode(0x30 + codePoint - FULLWIDTH_DIGIT_ZERO);
	}
	if (
		codePoint >= FULLWIDTH_CAPITAL_A &&
		codePoint < FULLWIDTH_CAPITAL_A + 26
	) {
		return String.fromCharCode(0x41 + codePoint - FULLWIDTH_CAPITAL_A);
	}
	if (codePoint >= FULLWIDTH_SMALL_A && codePoint < FULLWIDTH_SMALL_A + 26) {
		return String.fromCharCode(0x61 + codePoint - FULLWIDTH_SMALL_A);
	}
	return undefined;
}

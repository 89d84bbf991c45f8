import { MAX_LABEL_LENGTH } from "@ans/shared/names";

/** Combining marks that NFKD splits off letters, such as the accent of `é`. */
const COMBINING_MARKS = /\p{M}+/gu;
/** Runs of characters that a label cannot contain; `_` stays because labels allow it. */
const SEPARATOR_RUN = /[^A-Za-z0-9_]+/g;
const EDGE_SEPARATORS = /^[-_]+|[-_]+$/g;

/**
 * Turns free text, such as an agent card's `name`, into an ANS name label,
 * keeping the letter case. NFKD splits accented letters, the accents are
 * removed, and every run of other characters, non-ASCII ones included,
 * becomes one `-`. Leading and trailing `-` and `_` are trimmed, and the
 * result is cut to 63 characters. Returns undefined when nothing is left.
 *
 * @example slugLabel("Hello World Agent - Extended Edition") // "Hello-World-Agent-Extended-Edition"
 */
export function slugLabel(text: string): string | undefined {
	const ascii = text.normalize("NFKD").replace(COMBINING_MARKS, "");
	const label = ascii
		.replace(SEPARATOR_RUN, "-")
		.replace(EDGE_SEPARATORS, "")
		.slice(0, MAX_LABEL_LENGTH)
		.replace(EDGE_SEPARATORS, "");
	return label === "" ? undefined : label;
}

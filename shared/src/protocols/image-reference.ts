import { type DocumentReader, quoteValue } from "./document-reader.ts";
import { parseOciReference } from "./package-url.ts";

/**
 * Reports an issue at `pointer` unless `reference` is a container image
 * reference that {@link parseOciReference} accepts. Does nothing for an
 * absent reference, which the caller reports.
 */
export function checkImageReference(
	reader: DocumentReader,
	reference: string | undefined,
	pointer: string,
): void {
	if (reference !== undefined && parseOciReference(reference) === undefined) {
		reader.report(
			pointer,
			"VALUE_INVALID",
			`must be a container image reference such as "ghcr.io/owner/image:1.0" (lowercase repository), but it is ${quoteValue(reference)}`,
		);
	}
}

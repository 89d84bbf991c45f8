/**
 * Reasons for not importing an entry. Each reason is one rule of
 * docs/import.md, and the summary counts entries per reason.
 */
export const SKIP_REASONS = [
	"not-an-object",
	"metadata-invalid",
	"name-unusable",
	"version-missing",
	"version-not-semver",
	"provider-missing",
	"endpoint-missing",
	"endpoint-unreachable",
	"endpoint-loopback",
	"endpoint-rejected",
	"duplicate-name",
	"name-taken",
	"metadata-too-large",
	"rejected",
] as const;

/** One of {@link SKIP_REASONS}. */
export type SkipReason = (typeof SKIP_REASONS)[number];

/** An entry that was not imported, with the rule that decided it and the detail. */
export interface Skip {
	reason: SkipReason;
	message: string;
}

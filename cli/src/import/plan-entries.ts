import { type ImportPlan, type MappingOptions, mapEntry } from "./map-entry.ts";
import type { ImportProtocol } from "./protocols.ts";
import type { ImportEntry } from "./read-entries.ts";
import type { Skip } from "./skip-reason.ts";

/** An entry that mapped to a name that no earlier entry took. */
export interface PlannedEntry {
	source: string;
	plan: ImportPlan;
}

/** An entry that will not be registered. */
export interface SkippedEntry extends Skip {
	source: string;
	/** The name it mapped to, for duplicates. */
	name?: string;
}

/**
 * Maps every entry in order and keeps the first entry of each canonical
 * name. A later entry with the same canonical name, which includes the
 * version and ignores case, is skipped as `duplicate-name`, because the
 * control plane would reject it with 409 NAME_TAKEN anyway.
 */
export function planEntries(
	protocol: ImportProtocol,
	entries: ImportEntry[],
	options: MappingOptions,
): { planned: PlannedEntry[]; skipped: SkippedEntry[] } {
	const planned: PlannedEntry[] = [];
	const skipped: SkippedEntry[] = [];
	const firstSource = new Map<string, string>();
	for (const entry of entries) {
		const mapped = mapEntry(protocol, entry.document, options);
		if (!mapped.ok) {
			skipped.push({
				source: entry.source,
				reason: mapped.reason,
				message: mapped.message,
			});
			continue;
		}
		const { plan } = mapped;
		const earlier = firstSource.get(plan.canonicalName);
		if (earlier !== undefined) {
			skipped.push({
				source: entry.source,
				name: plan.name,
				reason: "duplicate-name",
				message: `${plan.canonicalName} is also the name of ${earlier}, which comes first (names compare case-insensitively)`,
			});
			continue;
		}
		firstSource.set(plan.canonicalName, entry.source);
		planned.push({ source: entry.source, plan });
	}
	return { planned, skipped };
}

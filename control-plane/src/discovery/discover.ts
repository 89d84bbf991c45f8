import type { RecordEndpoint } from "@ans/shared/records";
import semver from "semver";
import type { AgentRow, AgentSearchAfter, Store } from "../storage/types.ts";
import { encodeCursor } from "./cursor.ts";
import type { DiscoveryQuery } from "./query.ts";

/**
 * Rows one request reads at most while a version range filters them out.
 * A page can then hold fewer agents than `limit` and still have a `next`
 * cursor, so one request never scans the whole table.
 */
export const MAX_ROWS_SCANNED = 1000;

/** Rows fetched per store call when a range filters in memory. */
const RANGE_BATCH_SIZE = 200;

/** One agent in a discovery page. */
export interface AgentSummary {
	id: string;
	name: string;
	displayName: string;
	protocol: string;
	version: string;
	status: string;
	description: string;
	capabilities: string[];
	/** Provider label of the name, in display case. */
	provider: string;
	endpoints: RecordEndpoint[];
}

/** A page of discovery results; `next` is the cursor of the following page, or null after the last. */
export interface DiscoveryPage {
	agents: AgentSummary[];
	next: string | null;
}

/**
 * Returns one page of agents that match `query`, in registration order
 * (createdAt, then id). The store applies every filter except the semver
 * range, which is checked here with npm semantics: a pre-release matches
 * only a range that names a pre-release of the same version, as in
 * resolution.
 */
export async function discoverAgents(
	store: Store,
	query: DiscoveryQuery,
): Promise<DiscoveryPage> {
	const { range, limit } = query;
	const batchSize = range === undefined ? limit + 1 : RANGE_BATCH_SIZE;
	const matches: AgentRow[] = [];
	let position = query.after;
	let scanned = 0;

	// Each pass either returns or reads at least one more row, so the scan
	// budget bounds the loop.
	while (scanned < MAX_ROWS_SCANNED) {
		const requested = Math.min(batchSize, MAX_ROWS_SCANNED - scanned);
		const rows = await store.searchAgents({
			...query.filters,
			...(position === undefined ? {} : { after: position }),
			limit: requested,
		});
		for (const row of rows) {
			scanned += 1;
			position = sortKey(row);
			if (range === undefined || semver.satisfies(row.version, range)) {
				matches.push(row);
				if (matches.length > limit) {
					break;
				}
			}
		}

		if (matches.length > limit) {
			// One match beyond the page proves that more follow.
			const pageRows = matches.slice(0, limit);
			return page(pageRows, cursorAfter(pageRows, query));
		}
		if (rows.length < requested) {
			return page(matches, null);
		}
	}
	// The scan budget ran out: the next page continues after the last row read.
	return page(
		matches,
		position === undefined ? null : encodeCursor(position, query.filterKey),
	);
}

function page(rows: AgentRow[], next: string | null): DiscoveryPage {
	return { agents: rows.map(toSummary), next };
}

function cursorAfter(rows: AgentRow[], query: DiscoveryQuery): string | null {
	const last = rows.at(-1);
	return last === undefined
		? null
		: encodeCursor(sortKey(last), query.filterKey);
}

function sortKey(row: AgentRow): AgentSearchAfter {
	return { createdAt: row.createdAt, id: row.id };
}

function toSummary(row: AgentRow): AgentSummary {
	return {
		id: row.id,
		name: row.name,
		displayName: row.displayName,
		protocol: row.protocol,
		version: row.version,
		status: row.status,
		description: row.description,
		capabilities: JSON.parse(row.capabilitiesJson) as string[],
		provider: row.provider,
		endpoints: JSON.parse(row.endpointsJson) as RecordEndpoint[],
	};
}

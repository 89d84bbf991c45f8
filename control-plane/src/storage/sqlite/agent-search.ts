/**
 * Discovery queries on libSQL: filters on agent columns, the
 * `agent_capabilities` index and the FTS5 table `agents_fts` (created by
 * the `search` migration), with keyset paging on (created_at, id).
 *
 * @module
 */
import { and, asc, eq, gt, or, type SQL, sql } from "drizzle-orm";
import type { LibSQLDatabase } from "drizzle-orm/libsql";
import type { AgentRow, AgentSearch } from "../types.ts";
import * as schema from "./schema.ts";

type Db = LibSQLDatabase<typeof schema>;

/** Runs {@link AgentSearch} against `db`. */
export async function searchAgents(
	db: Pick<Db, "select">,
	search: AgentSearch,
): Promise<AgentRow[]> {
	const agents = schema.agents;
	const conditions: SQL[] = [];
	if (search.protocol !== undefined) {
		conditions.push(eq(agents.protocol, search.protocol.toLowerCase()));
	}
	if (search.status !== undefined) {
		conditions.push(eq(agents.status, search.status));
	}
	if (search.provider !== undefined) {
		// Name labels are ASCII, so SQLite's ASCII-only lower() folds them fully.
		conditions.push(
			sql`lower(${agents.provider}) = ${search.provider.toLowerCase()}`,
		);
	}
	if (search.capability !== undefined) {
		const capability = search.capability.toLowerCase();
		conditions.push(
			sql`${agents.id} IN (SELECT ${schema.agentCapabilities.agentId} FROM ${schema.agentCapabilities} WHERE ${schema.agentCapabilities.capability} = ${capability})`,
		);
	}
	if (search.terms !== undefined && search.terms.length > 0) {
		conditions.push(
			sql`${agents.id} IN (SELECT agent_id FROM agents_fts WHERE agents_fts MATCH ${ftsQuery(search.terms)})`,
		);
	}
	const after = search.after;
	if (after !== undefined) {
		const later = or(
			gt(agents.createdAt, after.createdAt),
			and(eq(agents.createdAt, after.createdAt), gt(agents.id, after.id)),
		);
		if (later !== undefined) {
			conditions.push(later);
		}
	}

	const rows = await db
		.select()
		.from(agents)
		.where(and(...conditions))
		.orderBy(asc(agents.createdAt), asc(agents.id))
		.limit(search.limit);
	return rows as AgentRow[];
}

/**
 * Replaces the `agent_capabilities` rows of an agent with the lowercased
 * entries of `capabilitiesJson` (a JSON array of strings).
 */
export async function writeAgentCapabilities(
	db: Pick<Db, "insert" | "delete">,
	agentId: string,
	capabilitiesJson: string,
): Promise<void> {
	const parsed: unknown = JSON.parse(capabilitiesJson);
	const capabilities = new Set(
		(Array.isArray(parsed) ? parsed : [])
			.filter((entry): entry is string => typeof entry === "string")
			.map((entry) => entry.toLowerCase()),
	);
	await db
		.delete(schema.agentCapabilities)
		.where(eq(schema.agentCapabilities.agentId, agentId));
	if (capabilities.size > 0) {
		await db
			.insert(schema.agentCapabilities)
			.values([...capabilities].map((capability) => ({ agentId, capability })));
	}
}

/**
 * Builds an FTS5 query in which every term must match as a word prefix:
 * `"term1"* "term2"*`. Quoting makes each term a string, so no term is
 * read as FTS5 syntax.
 */
function ftsQuery(terms: string[]): string {
	return terms.map((term) => `"${term.replaceAll('"', '""')}"*`).join(" ");
}

/**
 * Discovery queries on PostgreSQL: filters on agent columns, the
 * `agent_capabilities` index and the generated `agents.search_vector`
 * column (added by the `search` migration, with a GIN index), with keyset
 * paging on (created_at, id).
 *
 * @module
 */
import { and, asc, eq, gt, or, type SQL, sql } from "drizzle-orm";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import type { AgentRow, AgentSearch } from "../types.ts";
import * as schema from "./schema.ts";

type Db = NodePgDatabase<typeof schema>;

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
		const query = tsQuery(search.terms);
		if (query === undefined) {
			// A term without letters or digits matches no word.
			return [];
		}
		conditions.push(
			sql`"agents"."search_vector" @@ to_tsquery('simple', ${query})`,
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

/** Combining marks that NFD splits off Latin letters; the same ranges as `ans_search_text`. */
const combiningMarks =
	/[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;

/**
 * ASCII characters other than letters and digits, the same set as the
 * ranges in `ans_search_text` (PostgreSQL text never contains NUL).
 */
const asciiSeparators = /[^0-9A-Za-z\u0080-\u{10ffff}]+/gu;

/**
 * Folds text the way the SQL function `ans_search_text` does before
 * indexing: NFD, combining marks removed, ASCII punctuation turned into
 * spaces. Returns the resulting words.
 */
export function foldSearchText(text: string): string[] {
	return text
		.normalize("NFD")
		.replace(combiningMarks, "")
		.replace(asciiSeparators, " ")
		.split(" ")
		.filter((word) => word !== "");
}

/**
 * Builds a to_tsquery text in which every term must match, as the FTS5
 * query of the SQLite store does. A term of one word becomes `'word':*`.
 * A term that folds into several words becomes the phrase
 * `'we' <-> 'ather':*`, with the prefix on the last word only. Every word
 * is quoted, so no term is read as query syntax. Returns undefined when a
 * term contains no word at all.
 */
export function tsQuery(terms: string[]): string | undefined {
	const phrases: string[] = [];
	for (const term of terms) {
		const words = foldSearchText(term);
		if (words.length === 0) {
			return undefined;
		}
		const quoted = words.map((word) => quoteLexeme(word));
		phrases.push(`${quoted.join(" <-> ")}:*`);
	}
	return phrases.join(" & ");
}

/** Quotes a tsquery operand; quotes and backslashes inside are doubled. */
function quoteLexeme(word: string): string {
	return `'${word.replaceAll("\\", "\\\\").replaceAll("'", "''")}'`;
}

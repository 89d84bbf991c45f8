/**
 * The tables that the copy tool moves from libSQL to PostgreSQL, in an
 * order that satisfies their foreign keys. Derived search data (the FTS5
 * table `agents_fts` on SQLite, the generated `search_vector` column on
 * PostgreSQL) is rebuilt by the target and not copied.
 *
 * @module
 */
import type { PgTable } from "drizzle-orm/pg-core";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import * as postgres from "../postgresql/schema.ts";
import * as sqlite from "../sqlite/schema.ts";

/** One table in both dialects, with its primary key as property names. */
export interface CopiedTable {
	/** SQL table name, the same in both dialects. */
	name: string;
	sqlite: SQLiteTable;
	postgres: PgTable;
	/** Primary-key properties, in the order rows are read and digested. */
	key: string[];
}

/** Every table of the primary database; parents come before children. */
export const COPIED_TABLES: readonly CopiedTable[] = [
	{
		name: "agents",
		sqlite: sqlite.agents,
		postgres: postgres.agents,
		key: ["id"],
	},
	{
		name: "agent_capabilities",
		sqlite: sqlite.agentCapabilities,
		postgres: postgres.agentCapabilities,
		key: ["capability", "agentId"],
	},
	{
		name: "certificates",
		sqlite: sqlite.certificates,
		postgres: postgres.certificates,
		key: ["serial"],
	},
	{
		name: "changes",
		sqlite: sqlite.changes,
		postgres: postgres.changes,
		key: ["seq"],
	},
	{
		name: "sequences",
		sqlite: sqlite.sequences,
		postgres: postgres.sequences,
		key: ["name"],
	},
	{
		name: "tokens",
		sqlite: sqlite.tokens,
		postgres: postgres.tokens,
		key: ["id"],
	},
	{
		name: "signing_keys",
		sqlite: sqlite.signingKeys,
		postgres: postgres.signingKeys,
		key: ["kid"],
	},
	{
		name: "proof_nonces",
		sqlite: sqlite.proofNonces,
		postgres: postgres.proofNonces,
		key: ["jti"],
	},
	{
		name: "crl_numbers",
		sqlite: sqlite.crlNumbers,
		postgres: postgres.crlNumbers,
		key: ["issuerId"],
	},
];

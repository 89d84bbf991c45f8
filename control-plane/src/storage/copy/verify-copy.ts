/**
 * Verifies a copy: per table, the row count and the {@link TableDigester}
 * digest must be equal on both sides, and the target's change counter must
 * not be below its highest change sequence (else the next write would
 * reuse a sequence).
 *
 * @module
 */
import { eq, sql } from "drizzle-orm";
import type { LibSQLDatabase } from "drizzle-orm/libsql";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import * as postgres from "../postgresql/schema.ts";
import {
	type PageReader,
	postgresPageReader,
	readPages,
	sqlitePageReader,
} from "./keyed-reader.ts";
import { type TableDigest, TableDigester } from "./table-digest.ts";
import { COPIED_TABLES, type CopiedTable } from "./tables.ts";

/** The comparison of one table. */
export interface TableCheck {
	table: string;
	source: TableDigest;
	target: TableDigest;
	match: boolean;
}

/** The target's change counter against its highest change sequence. */
export interface SequenceCheck {
	/** Value of the `changes` counter row; null when the row is missing. */
	counter: number | null;
	/** Highest `changes.seq`; 0 when there are no changes. */
	head: number;
	ok: boolean;
}

/** Result of {@link verifyCopy}. */
export interface Verification {
	tables: TableCheck[];
	sequence: SequenceCheck;
	ok: boolean;
}

/**
 * Digests every table on both sides. Each side is read inside one
 * transaction (a read-only REPEATABLE READ one on PostgreSQL), so each
 * digest describes one consistent state.
 */
export async function verifyCopy(
	source: LibSQLDatabase<Record<string, never>>,
	target: NodePgDatabase<Record<string, never>>,
	pageSize?: number,
): Promise<Verification> {
	const sourceDigests = await source.transaction(
		(tx) =>
			digestAll("sqlite", (table) => sqlitePageReader(tx, table), pageSize),
		{ behavior: "deferred" },
	);
	const { targetDigests, sequence } = await target.transaction(
		async (tx) => ({
			targetDigests: await digestAll(
				"postgres",
				(table) => postgresPageReader(tx, table),
				pageSize,
			),
			sequence: await checkSequence(tx),
		}),
		{ isolationLevel: "repeatable read", accessMode: "read only" },
	);

	const tables = COPIED_TABLES.map((table, index): TableCheck => {
		const sourceDigest = sourceDigests[index] as TableDigest;
		const targetDigest = targetDigests[index] as TableDigest;
		return {
			table: table.name,
			source: sourceDigest,
			target: targetDigest,
			match:
				sourceDigest.rows === targetDigest.rows &&
				sourceDigest.sha256 === targetDigest.sha256,
		};
	});
	return {
		tables,
		sequence,
		ok: sequence.ok && tables.every((check) => check.match),
	};
}

async function digestAll(
	dialect: "sqlite" | "postgres",
	readerFor: (table: CopiedTable) => PageReader,
	pageSize: number | undefined,
): Promise<TableDigest[]> {
	const digests: TableDigest[] = [];
	for (const table of COPIED_TABLES) {
		const digester = new TableDigester(table[dialect]);
		for await (const rows of readPages(readerFor(table), table.key, pageSize)) {
			digester.add(rows);
		}
		digests.push(digester.finish());
	}
	return digests;
}

async function checkSequence(
	tx: Pick<NodePgDatabase<Record<string, never>>, "select">,
): Promise<SequenceCheck> {
	const counterRows = await tx
		.select({ value: postgres.sequences.value })
		.from(postgres.sequences)
		.where(eq(postgres.sequences.name, "changes"));
	// node-postgres returns bigint aggregates as strings.
	const headRows = await tx
		.select({ head: sql<string | null>`max(${postgres.changes.seq})` })
		.from(postgres.changes);
	const counter = counterRows[0]?.value ?? null;
	const head = Number(headRows[0]?.head ?? 0);
	return { counter, head, ok: counter !== null && counter >= head };
}

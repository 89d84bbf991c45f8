/**
 * Moves every row of the SQLite database into PostgreSQL inside one
 * target transaction, so a failed copy leaves the target's rows as they
 * were.
 *
 * @module
 */
import { AnsError } from "@ans/shared/errors";
import { ne, sql } from "drizzle-orm";
import type { LibSQLDatabase } from "drizzle-orm/libsql";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import * as postgres from "../postgresql/schema.ts";
import { readPages, sqlitePageReader } from "./keyed-reader.ts";
import { COPIED_TABLES } from "./tables.ts";

type SourceDb = LibSQLDatabase<Record<string, never>>;
type TargetDb = NodePgDatabase<Record<string, never>>;

/**
 * Returns the names of target tables that contain rows. A fresh migration
 * leaves one row, the `changes` counter at 0, which does not count.
 */
export async function nonEmptyTables(target: TargetDb): Promise<string[]> {
	const found: string[] = [];
	for (const table of COPIED_TABLES) {
		const rows = await target
			.select({ present: sql<number>`1` })
			.from(table.postgres)
			.where(
				table.postgres === postgres.sequences
					? ne(postgres.sequences.value, 0)
					: undefined,
			)
			.limit(1);
		if (rows.length > 0) {
			found.push(table.name);
		}
	}
	return found;
}

/**
 * Copies all tables from `source` to `target` in dependency order and
 * returns the number of rows copied per table. The source is read inside
 * one read transaction, so the copy is a consistent snapshot even if
 * something writes to the source meanwhile. Throws TARGET_NOT_EMPTY
 * unless `replace` is set, in which case the target tables are emptied
 * first, in the same transaction.
 */
export async function copyRows(
	source: SourceDb,
	target: TargetDb,
	options: { replace: boolean; pageSize?: number },
): Promise<Record<string, number>> {
	const occupied = await nonEmptyTables(target);
	if (occupied.length > 0 && !options.replace) {
		throw new AnsError(
			"TARGET_NOT_EMPTY",
			`the target database already has rows in ${occupied.join(", ")}; point --to at an empty database or schema, or pass --force to replace those rows`,
			{ status: 409, field: "to" },
		);
	}
	return source.transaction(
		(sourceTx) =>
			target.transaction(async (targetTx) => {
				// One TRUNCATE of every table satisfies the foreign keys
				// between them. It also removes the counter row that
				// migrating the target created.
				await targetTx.execute(
					sql`TRUNCATE TABLE ${sql.join(
						COPIED_TABLES.map((table) => table.postgres),
						sql`, `,
					)}`,
				);
				const copied: Record<string, number> = {};
				for (const table of COPIED_TABLES) {
					let count = 0;
					const pages = readPages(
						sqlitePageReader(sourceTx, table),
						table.key,
						options.pageSize,
					);
					for await (const rows of pages) {
						await targetTx.insert(table.postgres).values(rows);
						count += rows.length;
					}
					copied[table.name] = count;
				}
				return copied;
			}),
		{ behavior: "deferred" },
	);
}

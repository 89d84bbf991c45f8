/**
 * Reads whole tables in primary-key order, one page at a time, from
 * libSQL or PostgreSQL. Pages continue after the last key read (keyset
 * paging), so each page is an index range scan. Both dialects order text
 * keys by code point: SQLite's BINARY collation and the "C" collation of
 * the PostgreSQL schema.
 *
 * @module
 */
import { asc, getTableColumns, type SQL, sql } from "drizzle-orm";
import type { LibSQLDatabase } from "drizzle-orm/libsql";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import type { PgTable } from "drizzle-orm/pg-core";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import type { CopiedTable } from "./tables.ts";

/** A row as drizzle returns it, keyed by property name. */
export type Row = Record<string, unknown>;

/** Reads up to `limit` rows whose key sorts after `after` (from the start when undefined). */
export type PageReader = (
	after: unknown[] | undefined,
	limit: number,
) => Promise<Row[]>;

/** Rows per page when reading and per INSERT when writing. */
export const PAGE_SIZE = 500;

/** Yields the pages of a table in key order until a page comes back short. */
export async function* readPages(
	read: PageReader,
	key: string[],
	pageSize = PAGE_SIZE,
): AsyncGenerator<Row[]> {
	let after: unknown[] | undefined;
	for (;;) {
		const rows = await read(after, pageSize);
		if (rows.length > 0) {
			yield rows;
		}
		const last = rows.at(-1);
		if (rows.length < pageSize || last === undefined) {
			return;
		}
		after = key.map((property) => last[property]);
	}
}

/** Creates a {@link PageReader} over the SQLite table of `table`. */
export function sqlitePageReader(
	db: Pick<LibSQLDatabase<Record<string, never>>, "select">,
	table: CopiedTable,
): PageReader {
	const source: SQLiteTable = table.sqlite;
	const keyColumns = keyColumnsOf(source, table.key);
	return async (after, limit) =>
		(await db
			.select()
			.from(source)
			.where(after === undefined ? undefined : keyAfter(keyColumns, after))
			.orderBy(...keyColumns.map((column) => asc(column)))
			.limit(limit)) as Row[];
}

/** Creates a {@link PageReader} over the PostgreSQL table of `table`. */
export function postgresPageReader(
	db: Pick<NodePgDatabase<Record<string, never>>, "select">,
	table: CopiedTable,
): PageReader {
	const source: PgTable = table.postgres;
	const keyColumns = keyColumnsOf(source, table.key);
	return async (after, limit) =>
		(await db
			.select()
			.from(source)
			.where(after === undefined ? undefined : keyAfter(keyColumns, after))
			.orderBy(...keyColumns.map((column) => asc(column)))
			.limit(limit)) as Row[];
}

function keyColumnsOf(
	table: SQLiteTable | PgTable,
	key: string[],
): ReturnType<typeof getTableColumns>[string][] {
	const columns = getTableColumns(table);
	return key.map((property) => {
		const column = columns[property];
		if (column === undefined) {
			throw new Error(`key property ${property} is not a column`);
		}
		return column;
	});
}

/** `(k1, k2) > (v1, v2)`: a row-value comparison both dialects support. */
function keyAfter(
	columns: ReturnType<typeof getTableColumns>[string][],
	values: unknown[],
): SQL {
	const left = sql.join(columns, sql`, `);
	const right = sql.join(
		values.map((value) => sql`${value}`),
		sql`, `,
	);
	return sql`(${left}) > (${right})`;
}

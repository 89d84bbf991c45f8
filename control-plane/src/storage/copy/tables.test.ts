import { getTableColumns, getTableName } from "drizzle-orm";
import { getTableConfig as getPgTableConfig } from "drizzle-orm/pg-core";
import { getTableConfig as getSqliteTableConfig } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import * as postgres from "../postgresql/schema.ts";
import * as sqlite from "../sqlite/schema.ts";
import { COPIED_TABLES } from "./tables.ts";

/** Column name → [SQL type family, not null, default value]. */
function columnShapes(
	columns: Record<
		string,
		{ name: string; notNull: boolean; default?: unknown; columnType: string }
	>,
): Record<string, [string, boolean, unknown]> {
	return Object.fromEntries(
		Object.values(columns).map((column) => [
			column.name,
			[
				/Integer|BigInt/.test(column.columnType) ? "integer" : "text",
				column.notNull,
				column.default,
			],
		]),
	);
}

describe("copied tables", () => {
	it("cover every table of both schemas", () => {
		const names = COPIED_TABLES.map((table) => table.name).sort();
		const sqliteNames = Object.values(sqlite)
			.map((table) => getTableName(table))
			.sort();
		const postgresNames = Object.values(postgres)
			.map((table) => getTableName(table))
			.sort();
		expect(names).toEqual(sqliteNames);
		expect(names).toEqual(postgresNames);
	});

	it("have the same columns in both dialects", () => {
		for (const table of COPIED_TABLES) {
			expect(getTableName(table.sqlite), table.name).toBe(table.name);
			expect(getTableName(table.postgres), table.name).toBe(table.name);
			expect(columnShapes(getTableColumns(table.postgres)), table.name).toEqual(
				columnShapes(getTableColumns(table.sqlite)),
			);
		}
	});

	it("key rows by their primary key", () => {
		for (const table of COPIED_TABLES) {
			const columns = getTableColumns(table.sqlite);
			const keyNames = table.key.map((property) => columns[property]?.name);
			const config = getSqliteTableConfig(table.sqlite);
			const compositeKey = config.primaryKeys[0]?.columns.map(
				(column) => column.name,
			);
			const singleKey = Object.values(columns)
				.filter((column) => column.primary)
				.map((column) => column.name);
			expect(keyNames, table.name).toEqual(compositeKey ?? singleKey);
			const pgConfig = getPgTableConfig(table.postgres);
			const pgCompositeKey = pgConfig.primaryKeys[0]?.columns.map(
				(column) => column.name,
			);
			const pgSingleKey = pgConfig.columns
				.filter((column) => column.primary)
				.map((column) => column.name);
			expect(keyNames, table.name).toEqual(pgCompositeKey ?? pgSingleKey);
		}
	});

	it("list parents before children", () => {
		const order = COPIED_TABLES.map((table) => table.name);
		for (const table of COPIED_TABLES) {
			for (const foreignKey of getPgTableConfig(table.postgres).foreignKeys) {
				const parent = getTableName(foreignKey.reference().foreignTable);
				expect(order.indexOf(parent), table.name).toBeLessThan(
					order.indexOf(table.name),
				);
			}
		}
	});
});

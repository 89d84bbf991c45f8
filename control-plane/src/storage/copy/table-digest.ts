/**
 * A digest of a table's content that both dialects compute the same way:
 * SHA-256 over one canonical JSON line per row, in primary-key order.
 *
 * @module
 */
import { createHash, type Hash } from "node:crypto";
import { getTableColumns, type Table } from "drizzle-orm";

/** Row count and SHA-256 (hex) of one table. */
export interface TableDigest {
	rows: number;
	sha256: string;
}

/**
 * Accumulates rows of one table. Each row becomes a JSON object keyed by
 * SQL column name in sorted order, followed by a newline, so the digest
 * does not depend on property order or on which dialect read the row.
 */
export class TableDigester {
	readonly #columns: [property: string, column: string][];
	readonly #hash: Hash = createHash("sha256");
	#rows = 0;

	constructor(table: Table) {
		this.#columns = Object.entries(getTableColumns(table))
			.map(([property, column]): [string, string] => [property, column.name])
			.sort(byColumnName);
	}

	/** Adds rows as drizzle returns them (properties, not column names). */
	add(rows: Record<string, unknown>[]): void {
		for (const row of rows) {
			const canonical: Record<string, unknown> = {};
			for (const [property, column] of this.#columns) {
				canonical[column] = row[property] ?? null;
			}
			this.#hash.update(`${JSON.stringify(canonical)}\n`);
			this.#rows += 1;
		}
	}

	/** Returns the count and digest; call once, after the last {@link add}. */
	finish(): TableDigest {
		return { rows: this.#rows, sha256: this.#hash.digest("hex") };
	}
}

/** Orders [property, column] pairs by column name, by code point. */
function byColumnName(a: [string, string], b: [string, string]): number {
	if (a[1] < b[1]) {
		return -1;
	}
	if (a[1] > b[1]) {
		return 1;
	}
	return 0;
}

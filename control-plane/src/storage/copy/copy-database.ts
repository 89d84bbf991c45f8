/**
 * Copies a libSQL (SQLite) primary database into PostgreSQL and verifies
 * the copy: migrate both, copy every table in one target transaction,
 * then compare row counts and digests table by table.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { AnsError } from "@ans/shared/errors";
import { createClient } from "@libsql/client";
import { drizzle as drizzleLibsql } from "drizzle-orm/libsql";
import { drizzle as drizzlePostgres } from "drizzle-orm/node-postgres";
import pg from "pg";
import { isPostgresUrl } from "../open.ts";
import { PostgresStore } from "../postgresql/store.ts";
import { SqliteStore } from "../sqlite/store.ts";
import { copyRows } from "./copy-rows.ts";
import { type Verification, verifyCopy } from "./verify-copy.ts";

/** Options of {@link copyDatabase}. */
export interface CopyOptions {
	/** libSQL URL of the source, for example file:data/ans.db. */
	from: string;
	/** postgres:// or postgresql:// URL of the target. */
	to: string;
	/** Replace the rows of a non-empty target instead of rejecting it. */
	force?: boolean;
	/** Only compare the two databases; copy nothing. */
	verifyOnly?: boolean;
	/** Rows per read and per INSERT; the default suits rows of a few KiB. */
	pageSize?: number;
}

/** Result of {@link copyDatabase}: rows copied and the verification; `ok` is false on any mismatch. */
export interface CopyReport extends Verification {
	/** Source URL with credentials masked. */
	from: string;
	/** Target URL with credentials masked. */
	to: string;
	/** Rows copied per table; null with `verifyOnly`. */
	copied: Record<string, number> | null;
}

/**
 * Runs the copy and verification. Both databases are migrated first,
 * as the control plane does when it starts, so an older SQLite file gets
 * the current schema before it is read. Throws an {@link AnsError} for
 * invalid URLs, a missing source file or a non-empty target; returns a
 * report with `ok: false` when the copy does not match the source.
 */
export async function copyDatabase(options: CopyOptions): Promise<CopyReport> {
	checkUrls(options.from, options.to);
	const sourceClient = createClient({ url: options.from });
	const pool = new pg.Pool({
		connectionString: options.to,
		max: 2,
		application_name: "ans-db-copy",
	});
	try {
		await new SqliteStore(sourceClient).migrate();
		await new PostgresStore(pool).migrate();
		const source = drizzleLibsql(sourceClient);
		const target = drizzlePostgres(pool);

		const copied =
			options.verifyOnly === true
				? null
				: await copyRows(source, target, {
						replace: options.force === true,
						...(options.pageSize === undefined
							? {}
							: { pageSize: options.pageSize }),
					});
		const verification = await verifyCopy(source, target, options.pageSize);
		return {
			from: maskCredentials(options.from),
			to: maskCredentials(options.to),
			copied,
			...verification,
		};
	} finally {
		sourceClient.close();
		await pool.end();
	}
}

function checkUrls(from: string, to: string): void {
	if (isPostgresUrl(from)) {
		throw new AnsError(
			"INVALID_SOURCE_URL",
			`--from ${maskCredentials(from)} is a PostgreSQL URL, but the source must be a libSQL database such as file:data/ans.db`,
			{ field: "from" },
		);
	}
	if (!isPostgresUrl(to)) {
		throw new AnsError(
			"INVALID_TARGET_URL",
			`--to ${maskCredentials(to)} is not a postgres:// or postgresql:// URL; pass the URL of the PostgreSQL database to copy into`,
			{ field: "to" },
		);
	}
	if (from.startsWith("file:")) {
		// libSQL would create a missing file and the tool would then copy
		// an empty database, so a mistyped path is caught here.
		const path = sourceFilePath(from);
		if (path !== ":memory:" && !existsSync(path)) {
			throw new AnsError(
				"SOURCE_NOT_FOUND",
				`the source database file ${path} does not exist; pass the control plane's ANS_DATABASE_URL (default file:<ANS_DATA_DIR>/ans.db)`,
				{ status: 404, field: "from" },
			);
		}
	}
}

function sourceFilePath(url: string): string {
	const withoutQuery = url.split("?")[0] ?? url;
	if (withoutQuery.startsWith("file://")) {
		return fileURLToPath(withoutQuery);
	}
	return withoutQuery.slice("file:".length);
}

/** Returns `url` with a password or an authToken parameter replaced by `***`. */
export function maskCredentials(url: string): string {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return url.replace(/authToken=[^&]*/gi, "authToken=***");
	}
	let masked = false;
	if (parsed.password !== "") {
		parsed.password = "***";
		masked = true;
	}
	for (const name of [...parsed.searchParams.keys()]) {
		if (/^(authToken|password)$/i.test(name)) {
			parsed.searchParams.set(name, "***");
			masked = true;
		}
	}
	// Serializing rewrites some URLs (file:data/ans.db becomes
	// file:///data/ans.db), so a URL without credentials stays as given.
	return masked ? parsed.toString() : url;
}

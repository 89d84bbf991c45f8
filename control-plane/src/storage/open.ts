/**
 * Picks the store implementation from the database URL.
 *
 * @module
 */
import type { Logger } from "../logging/logger.ts";
import { openPostgresStore } from "./postgresql/store.ts";
import { openSqliteStore } from "./sqlite/store.ts";
import type { Store } from "./types.ts";

/** Options that apply to PostgreSQL; libSQL ignores them. */
export interface OpenStoreOptions {
	/** Maximum number of pooled PostgreSQL connections. */
	poolMax?: number;
	/** Receives errors of idle pooled PostgreSQL connections. */
	logger?: Logger;
}

/** Returns true for the URL schemes that select the PostgreSQL store. */
export function isPostgresUrl(url: string): boolean {
	return /^postgres(ql)?:\/\//i.test(url);
}

/**
 * Opens the store for `url`: `postgres://` and `postgresql://` URLs open
 * PostgreSQL, every other URL (`file:`, `libsql:`, `http(s):`, `ws(s):`)
 * opens libSQL.
 */
export function openStore(url: string, options: OpenStoreOptions = {}): Store {
	if (isPostgresUrl(url)) {
		return openPostgresStore(url, options);
	}
	return openSqliteStore(url);
}

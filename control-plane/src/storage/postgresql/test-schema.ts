/**
 * Throwaway schemas on the test PostgreSQL server, for tests only. Every
 * test gets a freshly created `ans_test_<random>` schema and a database
 * URL whose `search_path` points at it, so parallel runs never share
 * tables.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import pg from "pg";

/** Server the PostgreSQL tests use unless `ANS_TEST_POSTGRES_URL` names another. */
export const DEFAULT_TEST_POSTGRES_URL =
	"postgres://postgres@127.0.0.1:5432/test";

/**
 * Returns the test server URL from `ANS_TEST_POSTGRES_URL` (default
 * {@link DEFAULT_TEST_POSTGRES_URL}), or undefined when the variable is
 * `skip`, which turns the PostgreSQL tests off.
 */
export function testPostgresUrl(
	env: Record<string, string | undefined> = process.env,
): string | undefined {
	const configured = env.ANS_TEST_POSTGRES_URL;
	if (configured === "skip") {
		return undefined;
	}
	return configured === undefined || configured === ""
		? DEFAULT_TEST_POSTGRES_URL
		: configured;
}

/** A created schema; `url` connects with `search_path` set to it. */
export interface TestSchema {
	name: string;
	url: string;
	/** Drops the schema and everything in it. Close its connections first. */
	drop(): Promise<void>;
}

/**
 * Creates an empty schema named `ans_test_<16 hex digits>` on `serverUrl`.
 * Throws an error that names the server when it cannot be reached.
 */
export async function createTestSchema(serverUrl: string): Promise<TestSchema> {
	const name = `ans_test_${randomBytes(8).toString("hex")}`;
	await runOnServer(serverUrl, `CREATE SCHEMA "${name}"`);
	const url = new URL(serverUrl);
	url.searchParams.set("options", `-c search_path=${name}`);
	// Lets a test find its own sessions in pg_stat_activity.
	url.searchParams.set("application_name", name);
	return {
		name,
		url: url.toString(),
		drop: () => runOnServer(serverUrl, `DROP SCHEMA "${name}" CASCADE`),
	};
}

async function runOnServer(
	serverUrl: string,
	statement: string,
): Promise<void> {
	const client = new pg.Client({ connectionString: serverUrl });
	try {
		await client.connect();
	} catch (error) {
		throw new Error(
			`PostgreSQL for the tests is not reachable at ${withoutPassword(serverUrl)}: ${(error as Error).message}. Start it, point ANS_TEST_POSTGRES_URL at another server, or set ANS_TEST_POSTGRES_URL=skip to skip the PostgreSQL tests.`,
			{ cause: error },
		);
	}
	try {
		await client.query(statement);
	} finally {
		await client.end();
	}
}

/** Returns `url` with any password replaced by `***`, for messages. */
export function withoutPassword(url: string): string {
	try {
		const parsed = new URL(url);
		if (parsed.password !== "") {
			parsed.password = "***";
		}
		return parsed.toString();
	} catch {
		return "<invalid URL>";
	}
}

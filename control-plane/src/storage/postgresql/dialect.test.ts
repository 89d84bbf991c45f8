import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AgentRow } from "../types.ts";
import { UniqueViolationError } from "../types.ts";
import { openPostgresStore, type PostgresStore } from "./store.ts";
import {
	createTestSchema,
	type TestSchema,
	testPostgresUrl,
} from "./test-schema.ts";

const serverUrl = testPostgresUrl();
const migrationsFolder = fileURLToPath(
	new URL("../../../../drizzle/postgresql", import.meta.url),
);

describe("PostgreSQL migration files", () => {
	it("name no schema", () => {
		// drizzle-kit writes REFERENCES "public"."agents", but the store
		// must migrate into whatever schema the search_path selects.
		for (const file of readdirSync(migrationsFolder)) {
			if (file.endsWith(".sql")) {
				const text = readFileSync(`${migrationsFolder}/${file}`, "utf8");
				expect(text, file).not.toContain('"public".');
			}
		}
	});
});

describe.skipIf(serverUrl === undefined)("PostgreSQL store dialect", () => {
	let schema: TestSchema;
	let store: PostgresStore;

	beforeEach(async () => {
		schema = await createTestSchema(serverUrl ?? "");
		store = openPostgresStore(schema.url, { poolMax: 4 });
		await store.migrate();
	});

	afterEach(async () => {
		await store.close();
		await schema.drop();
	});

	it("records migrations in its own schema", async () => {
		const rows = await query<{ table_schema: string }>(
			"SELECT table_schema FROM information_schema.tables WHERE table_name = '__drizzle_migrations' AND table_schema = $1",
			[schema.name],
		);
		expect(rows).toHaveLength(1);
	});

	it("names unique violations like SQLite", async () => {
		await store.transaction((tx) => tx.insertAgent(agent("agt_1", "1.0.0")));
		const duplicate = await store
			.transaction((tx) => tx.insertAgent(agent("agt_2", "1.0.0")))
			.catch((error: unknown) => error);
		expect(duplicate).toBeInstanceOf(UniqueViolationError);
		expect((duplicate as UniqueViolationError).constraint).toBe(
			"agents.base_key_version",
		);

		const token = {
			id: "tok_1",
			hash: "ab",
			scopes: "register",
			label: null,
			createdAt: 1,
			expiresAt: null,
			revokedAt: null,
		};
		await store.insertToken(token);
		const reused = await store
			.insertToken({ ...token, id: "tok_2" })
			.catch((error: unknown) => error);
		expect((reused as UniqueViolationError).constraint).toBe("tokens.hash");

		await store.recordProofNonce("jti-1", "agt_1", 1);
		const replay = await store
			.recordProofNonce("jti-1", "agt_1", 1)
			.catch((error: unknown) => error);
		expect((replay as UniqueViolationError).constraint).toBe(
			"proof_nonces.jti",
		);
	});

	it("queues a transaction behind an open one", async () => {
		await store.transaction((tx) => tx.insertAgent(agent("agt_1", "1.0.0")));
		let releaseFirst = () => {};
		const gate = new Promise<void>((resolve) => {
			releaseFirst = resolve;
		});
		let markRead = () => {};
		const firstHasRead = new Promise<void>((resolve) => {
			markRead = resolve;
		});

		// Both transactions read seq and write seq + 1. Run concurrently
		// under READ COMMITTED without the counter lock, both would read 1.
		const first = store.transaction(async (tx) => {
			const row = await tx.findAgentById("agt_1");
			markRead();
			await gate;
			await tx.updateAgent("agt_1", { seq: (row?.seq ?? 0) + 1 });
		});
		await firstHasRead;
		const second = store.transaction(async (tx) => {
			const row = await tx.findAgentById("agt_1");
			await tx.updateAgent("agt_1", { seq: (row?.seq ?? 0) + 1 });
		});
		// Released before asserting, so a failure still ends both
		// transactions and lets afterEach close the pool.
		const secondWaited = await waitForLockWaiter(schema.name);
		releaseFirst();
		await Promise.all([first, second]);

		expect(secondWaited).toBe(true);
		expect((await store.findAgentById("agt_1"))?.seq).toBe(3);
	});

	it("hands out increasing CRL numbers to concurrent callers", async () => {
		const numbers = await Promise.all(
			[1, 2, 3, 4, 5, 6].map((_, index) => store.nextCrlNumber("int-1", index)),
		);
		expect([...numbers].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
		expect(await store.nextCrlNumber("int-2", 0)).toBe(1);
	});

	it("returns epoch milliseconds beyond 32 bits as numbers", async () => {
		const createdAt = Date.UTC(2030, 0, 1);
		await store.transaction((tx) =>
			tx.insertAgent({ ...agent("agt_1", "1.0.0"), createdAt }),
		);
		const row = await store.findAgentById("agt_1");
		expect(row?.createdAt).toBe(createdAt);
		expect(typeof row?.seq).toBe("number");
	});
});

async function query<T extends pg.QueryResultRow>(
	text: string,
	values: unknown[] = [],
): Promise<T[]> {
	const client = new pg.Client({ connectionString: serverUrl });
	await client.connect();
	try {
		return (await client.query<T>(text, values)).rows;
	} finally {
		await client.end();
	}
}

/**
 * Polls pg_stat_activity until a session of this test schema waits for a
 * lock. Gives up after 200 tries, 10 ms apart.
 */
async function waitForLockWaiter(applicationName: string): Promise<boolean> {
	const client = new pg.Client({ connectionString: serverUrl });
	await client.connect();
	try {
		for (let attempt = 0; attempt < 200; attempt++) {
			const result = await client.query(
				"SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'",
				[applicationName],
			);
			if (result.rowCount !== null && result.rowCount > 0) {
				return true;
			}
			await new Promise((resolve) => setTimeout(resolve, 10));
		}
		return false;
	} finally {
		await client.end();
	}
}

function agent(id: string, version: string): AgentRow {
	return {
		id,
		baseKey: "a2a://x.y.z",
		version,
		name: `a2a://x.y.z.v${version}`,
		displayName: `a2a://x.y.z.v${version}`,
		protocol: "a2a",
		agentLabel: "x",
		capability: "y",
		provider: "z",
		extension: null,
		status: "active",
		endpointsJson: "[]",
		metadataJson: "{}",
		metadataDigest: "sha-256:00",
		certificateSerial: `serial-${id}`,
		recordJws: "jws",
		recordKid: "kid",
		recordExpiresAt: 1,
		seq: 1,
		createdAt: 1,
		updatedAt: 1,
		description: "",
		capabilitiesJson: "[]",
		searchNames: "",
		searchSkills: "",
	};
}

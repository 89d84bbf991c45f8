import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSqliteStore } from "../sqlite/store.ts";
import type { AgentRow, Store } from "../types.ts";
import { tsQuery } from "./agent-search.ts";
import { openPostgresStore } from "./store.ts";
import {
	createTestSchema,
	type TestSchema,
	testPostgresUrl,
} from "./test-schema.ts";

const serverUrl = testPostgresUrl();

describe("tsQuery", () => {
	it("quotes words and ands terms", () => {
		expect(tsQuery(["weather", "alert"])).toBe("'weather':* & 'alert':*");
	});

	it("turns a split term into a phrase", () => {
		expect(tsQuery(['we"ather', "OR"])).toBe("'we' <-> 'ather':* & 'OR':*");
	});

	it("folds diacritics", () => {
		expect(tsQuery(["café"])).toBe("'cafe':*");
	});

	it("rejects a term without words", () => {
		expect(tsQuery(["ok", "'\\"])).toBeUndefined();
	});
});

/** Texts whose word boundaries, case and accents both dialects must treat alike. */
const AGENTS: Partial<AgentRow>[] = [
	{
		id: "agt_1",
		searchNames: "a2a://agt_one.Translation.AcmeCorp.v1.0.0",
		description: "Übersetzt Dokumente — schnell",
		searchSkills: "currency_conversion",
	},
	{
		id: "agt_2",
		description: "Finds a café; naïve résumé parser",
		searchSkills: "e-mail x@y.org",
	},
	{
		id: "agt_3",
		description: "ΣΟΦΙΑ greek text",
		searchSkills: "日本語 テキスト",
	},
	{
		id: "agt_4",
		description: "version 2.1.0-beta release",
		searchSkills: "C++ and C# tools",
	},
];

/** Query terms (as the API passes them: lowercase) and the expected ids. */
const QUERIES: [string[], string[]][] = [
	[["acmecorp"], ["agt_1"]],
	[["translation", "v1"], ["agt_1"]],
	[["agt", "one"], ["agt_1"]],
	[["ubersetzt"], ["agt_1"]],
	[["übersetzt"], ["agt_1"]],
	[["schnell"], ["agt_1"]],
	[["conversion"], ["agt_1"]],
	[["cafe"], ["agt_2"]],
	[["resume", "naive"], ["agt_2"]],
	[["mail", "org"], ["agt_2"]],
	[["σοφ"], ["agt_3"]],
	[["日本"], ["agt_3"]],
	[["beta", "2"], ["agt_4"]],
	[["c"], ["agt_1", "agt_2", "agt_4"]],
	[["text"], ["agt_3"]],
	[["tools", "release"], ["agt_4"]],
	[["release", "cafe"], []],
];

describe.skipIf(serverUrl === undefined)("search in both dialects", () => {
	let dir: string;
	let schema: TestSchema;
	let sqlite: Store;
	let postgres: Store;

	beforeAll(async () => {
		dir = mkdtempSync(join(tmpdir(), "ans-search-parity-"));
		sqlite = openSqliteStore(`file:${join(dir, "ans.db")}`);
		schema = await createTestSchema(serverUrl ?? "");
		postgres = openPostgresStore(schema.url, { poolMax: 2 });
		for (const store of [sqlite, postgres]) {
			await store.migrate();
			await store.transaction(async (tx) => {
				for (const [index, fields] of AGENTS.entries()) {
					await tx.insertAgent(sampleAgent(fields, index));
				}
			});
		}
	});

	afterAll(async () => {
		await sqlite?.close();
		await postgres?.close();
		await schema?.drop();
		rmSync(dir, { recursive: true, force: true });
	});

	for (const [terms, expected] of QUERIES) {
		it(`matches ${JSON.stringify(terms)}`, async () => {
			const search = { terms, limit: 10 };
			const fromSqlite = (await sqlite.searchAgents(search)).map((r) => r.id);
			const fromPostgres = (await postgres.searchAgents(search)).map(
				(r) => r.id,
			);
			expect(fromSqlite).toEqual(expected);
			expect(fromPostgres).toEqual(expected);
		});
	}
});

function sampleAgent(fields: Partial<AgentRow>, index: number): AgentRow {
	const id = fields.id ?? `agt_${index}`;
	return {
		id,
		baseKey: `a2a://${id}.cap.example`,
		version: "1.0.0",
		name: `a2a://${id}.cap.example.v1.0.0`,
		displayName: `a2a://${id}.cap.Example.v1.0.0`,
		protocol: "a2a",
		agentLabel: id,
		capability: "cap",
		provider: "Example",
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
		createdAt: index,
		updatedAt: index,
		description: "",
		capabilitiesJson: "[]",
		searchNames: "",
		searchSkills: "",
		...fields,
	};
}

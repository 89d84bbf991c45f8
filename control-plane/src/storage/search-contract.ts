/**
 * Discovery behaviour every {@link Store} implementation must have
 * (`searchAgents` and the search columns). Each dialect's test file calls
 * {@link describeSearchContract} with its own factory.
 *
 * @module
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AgentRow, AgentSearch, Store } from "./types.ts";

/** Registers the shared discovery cases under `describe(name)`. */
export function describeSearchContract(
	name: string,
	openStore: () => Promise<{ store: Store; cleanup: () => Promise<void> }>,
): void {
	describe(name, () => {
		let store: Store;
		let cleanup: () => Promise<void>;

		beforeEach(async () => {
			({ store, cleanup } = await openStore());
			await store.migrate();
			await store.transaction(async (tx) => {
				for (const row of SAMPLE_AGENTS) {
					await tx.insertAgent(row);
				}
			});
		});

		afterEach(async () => {
			await cleanup();
		});

		async function ids(search: Omit<AgentSearch, "limit">): Promise<string[]> {
			const rows = await store.searchAgents({ limit: 100, ...search });
			return rows.map((row) => row.id);
		}

		it("returns all agents in key order", async () => {
			expect(await ids({})).toEqual([
				"agt_a",
				"agt_b",
				"agt_c",
				"agt_d",
				"agt_e",
			]);
		});

		it("filters protocol, provider and status", async () => {
			expect(await ids({ protocol: "MCP" })).toEqual(["agt_c", "agt_d"]);
			expect(await ids({ provider: "acmecorp" })).toEqual([
				"agt_a",
				"agt_b",
				"agt_e",
			]);
			expect(await ids({ status: "revoked" })).toEqual(["agt_e"]);
			expect(await ids({ provider: "ACMECORP", status: "active" })).toEqual([
				"agt_a",
				"agt_b",
			]);
		});

		it("filters capabilities ignoring case", async () => {
			expect(await ids({ capability: "TRANSLATION" })).toEqual([
				"agt_a",
				"agt_e",
			]);
			expect(await ids({ capability: "Übersetzung" })).toEqual(["agt_b"]);
			expect(await ids({ capability: "trans" })).toEqual([]);
		});

		it("matches every term as a word prefix", async () => {
			expect(await ids({ terms: ["weather"] })).toEqual(["agt_c"]);
			expect(await ids({ terms: ["forecast", "alert"] })).toEqual(["agt_c"]);
			expect(await ids({ terms: ["forecast", "currency"] })).toEqual([]);
			expect(await ids({ terms: ["transl"] })).toEqual([
				"agt_a",
				"agt_b",
				"agt_e",
			]);
			expect(await ids({ terms: ["cafe"] })).toEqual(["agt_d"]);
		});

		it("treats quotes in terms as text", async () => {
			expect(await ids({ terms: ['we"ather', "OR"] })).toEqual([]);
		});

		it("pages after a key without repeats", async () => {
			const seen: string[] = [];
			let after: AgentSearch["after"];
			for (let page = 0; page < 10; page++) {
				const rows = await store.searchAgents({ limit: 2, after });
				seen.push(...rows.map((row) => row.id));
				const last = rows.at(-1);
				if (rows.length < 2 || last === undefined) {
					break;
				}
				after = { createdAt: last.createdAt, id: last.id };
			}
			expect(seen).toEqual(["agt_a", "agt_b", "agt_c", "agt_d", "agt_e"]);
		});

		it("follows updates of searched columns", async () => {
			await store.transaction((tx) =>
				tx.updateAgent("agt_c", {
					searchSkills: "tides\nsurf report",
					capabilitiesJson: JSON.stringify(["forecast", "Surf"]),
				}),
			);
			expect(await ids({ terms: ["humidity"] })).toEqual([]);
			expect(await ids({ terms: ["surf"] })).toEqual(["agt_c"]);
			expect(await ids({ capability: "weather" })).toEqual([]);
			expect(await ids({ capability: "surf" })).toEqual(["agt_c"]);
		});

		it("indexes nothing from a rolled-back insert", async () => {
			const failing = store.transaction(async (tx) => {
				await tx.insertAgent({
					...sampleAgent("agt_f", 9),
					searchNames: "ghost",
					capabilitiesJson: JSON.stringify(["phantom"]),
				});
				throw new Error("abort");
			});
			await expect(failing).rejects.toThrow("abort");
			expect(await ids({ terms: ["ghost"] })).toEqual([]);
			expect(await ids({ capability: "phantom" })).toEqual([]);
		});
	});
}

function sampleAgent(id: string, createdAt: number): AgentRow {
	return {
		id,
		baseKey: `a2a://${id}.cap.acmecorp`,
		version: "1.0.0",
		name: `a2a://${id}.cap.acmecorp.v1.0.0`,
		displayName: `a2a://${id}.cap.AcmeCorp.v1.0.0`,
		protocol: "a2a",
		agentLabel: id,
		capability: "cap",
		provider: "AcmeCorp",
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
		createdAt,
		updatedAt: createdAt,
		description: "",
		capabilitiesJson: "[]",
		searchNames: "",
		searchSkills: "",
	};
}

/** Five agents; agt_b and agt_c share a creation time, so the id breaks the tie. */
const SAMPLE_AGENTS: AgentRow[] = [
	{
		...sampleAgent("agt_a", 10),
		capability: "Translation",
		capabilitiesJson: JSON.stringify(["Translation", "documents"]),
		searchNames: "a2a://agt_a.Translation.AcmeCorp.v1.0.0\nDocument Translator",
		description: "Translates documents between languages",
	},
	{
		...sampleAgent("agt_b", 20),
		capabilitiesJson: JSON.stringify(["cap", "Übersetzung"]),
		searchSkills: "translation\nGerman",
	},
	{
		...sampleAgent("agt_c", 20),
		protocol: "mcp",
		provider: "WeatherNow",
		capabilitiesJson: JSON.stringify(["weather", "forecast"]),
		description: "Forecasts and severe weather alerts",
		searchSkills: "Weather Forecast\nhumidity",
	},
	{
		...sampleAgent("agt_d", 30),
		protocol: "mcp",
		provider: "Example",
		description: "Finds a café nearby",
	},
	{
		...sampleAgent("agt_e", 40),
		status: "revoked",
		capabilitiesJson: JSON.stringify(["translation"]),
		searchNames: "Translation memory",
	},
];

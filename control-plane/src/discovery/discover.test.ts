import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSqliteStore, type SqliteStore } from "../storage/sqlite/store.ts";
import type { AgentRow } from "../storage/types.ts";
import { discoverAgents, MAX_ROWS_SCANNED } from "./discover.ts";
import { parseDiscoveryQuery } from "./query.ts";

/** More agents than one request may scan, so a range search needs two pages. */
const AGENT_COUNT = MAX_ROWS_SCANNED + 50;

let dir: string;
let store: SqliteStore;

function agentRow(index: number): AgentRow {
	const id = `agt_${String(index).padStart(6, "0")}`;
	// Only the last agent has a 2.x version.
	const version = index === AGENT_COUNT - 1 ? "2.0.0" : "1.0.0";
	return {
		id,
		baseKey: `a2a://${id}.cap.example`,
		version,
		name: `a2a://${id}.cap.example.v${version}`,
		displayName: `a2a://${id}.cap.example.v${version}`,
		protocol: "a2a",
		agentLabel: id,
		capability: "cap",
		provider: "example",
		extension: null,
		status: "active",
		endpointsJson: "[]",
		metadataJson: "{}",
		metadataDigest: "sha-256:00",
		certificateSerial: `serial-${id}`,
		recordJws: "jws",
		recordKid: "kid",
		recordExpiresAt: 1,
		seq: index,
		createdAt: 1_000 + index,
		updatedAt: 1_000 + index,
		description: "",
		capabilitiesJson: '["cap"]',
		searchNames: "",
		searchSkills: "",
	};
}

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), "ans-discover-"));
	store = openSqliteStore(`file:${join(dir, "ans.db")}`);
	await store.migrate();
	await store.transaction(async (tx) => {
		for (let index = 0; index < AGENT_COUNT; index++) {
			await tx.insertAgent(agentRow(index));
		}
	});
});

afterAll(async () => {
	await store.close();
	rmSync(dir, { recursive: true, force: true });
});

describe("discoverAgents", () => {
	it("stops a range scan at the budget", async () => {
		const first = await discoverAgents(
			store,
			parseDiscoveryQuery({ range: "^2" }),
		);
		expect(first.agents).toEqual([]);
		expect(first.next).not.toBeNull();

		const second = await discoverAgents(
			store,
			parseDiscoveryQuery({ range: "^2", cursor: first.next ?? "" }),
		);
		expect(second.agents.map((agent) => agent.version)).toEqual(["2.0.0"]);
		expect(second.next).toBeNull();
	});

	it("fills a page without a range in one read", async () => {
		const page = await discoverAgents(
			store,
			parseDiscoveryQuery({ limit: "100" }),
		);
		expect(page.agents).toHaveLength(100);
		expect(page.agents[0]?.id).toBe("agt_000000");
		expect(page.next).not.toBeNull();
	});

	it("ends the walk with null", async () => {
		const ids: string[] = [];
		let cursor: string | undefined;
		for (let pageNumber = 0; pageNumber < 20; pageNumber++) {
			const page = await discoverAgents(
				store,
				parseDiscoveryQuery({ limit: "100", cursor }),
			);
			ids.push(...page.agents.map((agent) => agent.id));
			if (page.next === null) {
				break;
			}
			cursor = page.next;
		}
		expect(ids).toHaveLength(AGENT_COUNT);
		expect(new Set(ids).size).toBe(AGENT_COUNT);
	});

	it("returns an empty last page", async () => {
		const page = await discoverAgents(
			store,
			parseDiscoveryQuery({ provider: "nobody" }),
		);
		expect(page).toEqual({ agents: [], next: null });
	});
});

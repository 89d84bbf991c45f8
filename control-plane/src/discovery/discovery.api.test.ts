import { Buffer } from "node:buffer";
import { readFixture } from "@ans/shared/protocols/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
	startTestControlPlane,
	type TestControlPlane,
} from "../testing/test-control-plane.ts";
import type { AgentSummary, DiscoveryPage } from "./discover.ts";
import {
	postRegistration,
	type RegistrationBody,
} from "./testing/register-agent.ts";

let cp: TestControlPlane;
/** Canonical names of the agents registered in beforeAll, in registration order. */
const registered: string[] = [];

function mcpServer(name: string, version: string): unknown {
	const servers = readFixture("mcp/seed.json") as {
		name: string;
		version: string;
	}[];
	return servers.find(
		(entry) => entry.name === name && entry.version === version,
	);
}

/** Agents from real documents; the sample cards use localhost URLs, so loopback is allowed. */
const AGENTS: [string, RegistrationBody][] = [
	[
		"a2a://currencyAgent.finance.ExampleOrg.v1.0.0",
		{
			metadata: readFixture(
				"a2a/currency-conversion-agent--adk-currency-agent.json",
			),
		},
	],
	[
		"a2a://routePlanner.navigation.ExampleGeo.v1.2.0",
		{ metadata: readFixture("a2a/geospatial-route-planner-agent.json") },
	],
	[
		"a2a://weatherAgent.forecast.WeatherNow.v3.0.0",
		{ metadata: readFixture("a2a/weather-agent--generators.json") },
	],
	[
		"mcp://airtable.database.domdomegg.v1.7.2",
		{
			metadata: mcpServer("io.github.domdomegg/airtable-mcp-server", "1.7.2"),
		},
	],
	[
		"mcp://airtable.database.domdomegg.v1.7.3",
		{
			metadata: mcpServer("io.github.domdomegg/airtable-mcp-server", "1.7.3"),
		},
	],
	[
		"mcp://timeServer.clock.domdomegg.v1.0.6-beta.1",
		{ metadata: mcpServer("io.github.domdomegg/time-mcp-pypi", "1.0.6") },
	],
	[
		"oasf://marketingStrategy.research.Cisco.v4.0.0",
		{
			metadata: readFixture(
				"oasf/directory.agntcy.org__cisco__marketing-strategy-v4--v4.0.0.json",
			),
		},
	],
	[
		"acp://mailcomposer.email.agntcy.v0.0.1",
		{
			metadata: readFixture("acp/org.agntcy.mailcomposer.json"),
			endpoints: [{ protocol: "acp", url: "https://acp.example.com/api" }],
		},
	],
];

beforeAll(async () => {
	cp = await startTestControlPlane({ ANS_ALLOW_LOOPBACK_ENDPOINTS: "1" });
	for (const [name, body] of AGENTS) {
		const reply = await postRegistration(cp.url, cp.adminToken, name, body);
		if (reply.status !== 201) {
			throw new Error(
				`registering ${name} failed: ${JSON.stringify(reply.body)}`,
			);
		}
		registered.push(String(reply.body.name));
	}
});

afterAll(async () => {
	await cp.stop();
});

async function discover(query: string): Promise<DiscoveryPage> {
	const response = await fetch(`${cp.url}/v1/agents?${query}`);
	if (response.status !== 200) {
		throw new Error(`GET /v1/agents?${query}: ${await response.text()}`);
	}
	return (await response.json()) as DiscoveryPage;
}

async function names(query: string): Promise<string[]> {
	const page = await discover(query);
	return page.agents.map((agent) => agent.name);
}

async function discoveryError(query: string) {
	const response = await fetch(`${cp.url}/v1/agents?${query}`);
	const body = (await response.json()) as {
		error: { code: string; field: string; message: string };
	};
	return { status: response.status, ...body.error };
}

/** Follows `next` from the first page until it is null, at most 100 pages. */
async function walk(query: string): Promise<AgentSummary[]> {
	const agents: AgentSummary[] = [];
	let cursor: string | null = null;
	for (let pageNumber = 0; pageNumber < 100; pageNumber++) {
		const suffix: string =
			cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`;
		const page = await discover(`${query}${suffix}`);
		agents.push(...page.agents);
		cursor = page.next;
		if (cursor === null) {
			return agents;
		}
	}
	throw new Error("the walk did not end within 100 pages");
}

describe("GET /v1/agents", () => {
	it("lists active agents in registration order", async () => {
		const page = await discover("");
		expect(page.agents.map((agent) => agent.name)).toEqual(registered);
		expect(page.next).toBeNull();
	});

	it("returns summaries from the metadata", async () => {
		const [currency] = (await discover("q=currency")).agents;
		expect(currency).toEqual({
			id: expect.stringMatching(/^agt_/),
			name: "a2a://currencyagent.finance.exampleorg.v1.0.0",
			displayName: "a2a://currencyAgent.finance.ExampleOrg.v1.0.0",
			protocol: "a2a",
			version: "1.0.0",
			status: "active",
			description: "Currency Conversion Agent",
			capabilities: [
				"finance",
				"currency_conversion",
				"currency",
				"conversion",
			],
			provider: "ExampleOrg",
			endpoints: [
				{
					protocol: "a2a",
					url: "http://localhost:10999/",
					transport: "JSONRPC",
				},
			],
		});
	});

	it("filters protocol ignoring case", async () => {
		expect(await names("protocol=MCP")).toEqual([
			"mcp://airtable.database.domdomegg.v1.7.2",
			"mcp://airtable.database.domdomegg.v1.7.3",
			"mcp://timeserver.clock.domdomegg.v1.0.6-beta.1",
		]);
	});

	it("filters capability from metadata", async () => {
		expect(await names("capability=Currency_Conversion")).toEqual([
			"a2a://currencyagent.finance.exampleorg.v1.0.0",
		]);
		expect(await names("capability=text_completion")).toEqual([
			"oasf://marketingstrategy.research.cisco.v4.0.0",
		]);
		expect(await names("capability=Forecast")).toEqual([
			"a2a://weatheragent.forecast.weathernow.v3.0.0",
		]);
		expect(await names("capability=weather-forec")).toEqual([]);
	});

	it("filters provider ignoring case", async () => {
		expect(await names("provider=DOMDOMEGG&protocol=mcp")).toHaveLength(3);
		expect(await names("provider=examplegeo")).toEqual([
			"a2a://routeplanner.navigation.examplegeo.v1.2.0",
		]);
	});

	it("searches names, descriptions and skills", async () => {
		expect(await names("q=airtable")).toEqual([
			"mcp://airtable.database.domdomegg.v1.7.2",
			"mcp://airtable.database.domdomegg.v1.7.3",
		]);
		expect(await names("q=traffic%20route")).toEqual([
			"a2a://routeplanner.navigation.examplegeo.v1.2.0",
		]);
		expect(await names("q=planner")).toEqual([
			"a2a://routeplanner.navigation.examplegeo.v1.2.0",
		]);
		expect(await names("q=compose%20email")).toEqual([
			"acp://mailcomposer.email.agntcy.v0.0.1",
		]);
		expect(await names("q=forec")).toEqual([
			"a2a://weatheragent.forecast.weathernow.v3.0.0",
		]);
		expect(await names("q=airtable%20weather")).toEqual([]);
	});

	it("filters a semver range", async () => {
		expect(await names("protocol=mcp&range=%5E1.7.3")).toEqual([
			"mcp://airtable.database.domdomegg.v1.7.3",
		]);
		expect(await names("protocol=mcp&range=1.x")).toEqual([
			"mcp://airtable.database.domdomegg.v1.7.2",
			"mcp://airtable.database.domdomegg.v1.7.3",
		]);
		expect(await names("range=%3E%3D1.0.6-beta.0%20%3C1.0.7")).toEqual([
			"mcp://timeserver.clock.domdomegg.v1.0.6-beta.1",
		]);
	});

	it("defaults to active agents", async () => {
		expect(await names("status=revoked")).toEqual([]);
		expect(await names("status=ACTIVE")).toEqual(registered);
	});

	it("pages with a cursor", async () => {
		const first = await discover("limit=3");
		expect(first.agents).toHaveLength(3);
		expect(first.next).toEqual(expect.any(String));
		const all = await walk("limit=3");
		expect(all.map((agent) => agent.name)).toEqual(registered);
	});

	it("keeps filters across pages", async () => {
		const all = await walk("limit=1&protocol=mcp&range=%5E1.7");
		expect(all.map((agent) => agent.version)).toEqual(["1.7.2", "1.7.3"]);
	});
});

describe("GET /v1/agents errors", () => {
	it.each([
		["limit=0", "LIMIT_INVALID", "limit"],
		["limit=101", "LIMIT_INVALID", "limit"],
		["limit=ten", "LIMIT_INVALID", "limit"],
		[`q=${"a".repeat(257)}`, "QUERY_TOO_LONG", "q"],
		["q=%21%21%21", "QUERY_INVALID", "q"],
		["range=%3E%3Dbanana", "RANGE_INVALID", "range"],
		["status=sleeping", "STATUS_INVALID", "status"],
		["protocol=2a2", "PROTOCOL_INVALID", "protocol"],
		["protocol=smtp", "PROTOCOL_UNSUPPORTED", "protocol"],
		["provider=Acme%20Corp", "PROVIDER_INVALID", "provider"],
		["cursor=not%20a%20cursor", "CURSOR_INVALID", "cursor"],
		["cursor=eyJ2IjoxfQ", "CURSOR_INVALID", "cursor"],
	])("rejects %s", async (query, code, field) => {
		const error = await discoveryError(query);
		expect(error.status).toBe(400);
		expect(error.code).toBe(code);
		expect(error.field).toBe(field);
	});

	it("accepts a query of 256 characters", async () => {
		const response = await fetch(`${cp.url}/v1/agents?q=${"a".repeat(256)}`);
		expect(response.status).toBe(200);
	});

	it("rejects a tampered cursor", async () => {
		const { next } = await discover("limit=2");
		const payload = JSON.parse(
			Buffer.from(String(next), "base64url").toString("utf8"),
		) as Record<string, unknown>;
		payload.c = "yesterday";
		const tampered = Buffer.from(JSON.stringify(payload)).toString("base64url");
		const error = await discoveryError(`limit=2&cursor=${tampered}`);
		expect(error.code).toBe("CURSOR_INVALID");
		expect(error.field).toBe("cursor");
	});

	it("rejects a cursor of other filters", async () => {
		const { next } = await discover("limit=2");
		const error = await discoveryError(
			`limit=2&protocol=a2a&cursor=${String(next)}`,
		);
		expect(error.status).toBe(400);
		expect(error.code).toBe("CURSOR_MISMATCH");
		expect(error.field).toBe("cursor");
	});
});

describe("paging during registrations", () => {
	it("neither skips nor repeats an agent", async () => {
		const before = (await walk("limit=100")).map((agent) => agent.id);
		const seen: string[] = [];
		const pending: Promise<unknown>[] = [];
		let cursor: string | null = null;

		for (let pageNumber = 0; pageNumber < 50; pageNumber++) {
			const suffix: string =
				cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`;
			const page = await discover(`limit=2${suffix}`);
			seen.push(...page.agents.map((agent) => agent.id));

			// One registration commits before the next page, and one more
			// runs while that page is read.
			await postRegistration(
				cp.url,
				cp.adminToken,
				`a2a://during${pageNumber}.paging.Example.v1`,
				{
					endpoints: [
						{ protocol: "a2a", url: "https://paging.example.com/a2a" },
					],
				},
			);
			pending.push(
				postRegistration(
					cp.url,
					cp.adminToken,
					`a2a://parallel${pageNumber}.paging.Example.v1`,
					{
						endpoints: [
							{ protocol: "a2a", url: "https://paging.example.com/a2a" },
						],
					},
				),
			);

			cursor = page.next;
			if (cursor === null) {
				break;
			}
		}
		await Promise.all(pending);

		expect(new Set(seen).size).toBe(seen.length);
		for (const id of before) {
			expect(seen).toContain(id);
		}
		expect(seen.length).toBeGreaterThan(before.length);
	});
});

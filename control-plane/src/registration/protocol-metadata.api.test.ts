import { readFixture } from "@ans/shared/protocols/testing";
import { decodeRecord, metadataDigest } from "@ans/shared/records";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postRegistration } from "../discovery/testing/register-agent.ts";
import {
	startTestControlPlane,
	type TestControlPlane,
} from "../testing/test-control-plane.ts";

let cp: TestControlPlane;

beforeAll(async () => {
	cp = await startTestControlPlane();
});

afterAll(async () => {
	await cp.stop();
});

function register(
	name: string,
	request: Parameters<typeof postRegistration>[3],
) {
	return postRegistration(cp.url, cp.adminToken, name, request);
}

function recordPayload(body: Record<string, unknown>) {
	return decodeRecord(String(body.record)).payload;
}

function mcpServer(seed: string, name: string, version: string): unknown {
	const servers = readFixture(seed) as { name: string; version: string }[];
	const server = servers.find(
		(entry) => entry.name === name && entry.version === version,
	);
	if (server === undefined) {
		throw new Error(`${seed} has no ${name} ${version}`);
	}
	return server;
}

describe("registration with protocol metadata", () => {
	it("publishes the interfaces of an A2A card", async () => {
		const card = readFixture("a2a/geospatial-route-planner-agent.json");
		const reply = await register(
			"a2a://routePlanner.navigation.ExampleGeo.v1.2.0",
			{ metadata: card },
		);
		expect(reply.status).toBe(201);

		const payload = recordPayload(reply.body);
		expect(payload.endpoints).toEqual([
			{
				protocol: "a2a",
				url: "https://georoute-agent.example.com/a2a/v1",
				transport: "JSONRPC",
				protocolVersion: "1.0",
			},
			{
				protocol: "a2a",
				url: "https://georoute-agent.example.com/a2a/grpc",
				transport: "GRPC",
				protocolVersion: "1.0",
			},
			{
				protocol: "a2a",
				url: "https://georoute-agent.example.com/a2a/json",
				transport: "HTTP+JSON",
				protocolVersion: "1.0",
			},
		]);
		expect(payload.metadataDigest).toBe(await metadataDigest(card));

		const stored = await fetch(`${cp.url}/v1/agents/${String(reply.body.id)}`);
		const agent = (await stored.json()) as { metadata: unknown };
		expect(agent.metadata).toEqual(card);
	});

	it("publishes MCP packages as locators", async () => {
		const server = mcpServer(
			"mcp/seed.json",
			"io.github.domdomegg/airtable-mcp-server",
			"1.7.2",
		);
		const reply = await register(
			"mcp://airtableMcpServer.database.domdomegg.v1.7.2",
			{ metadata: server },
		);
		expect(reply.status).toBe(201);

		const endpoints = recordPayload(reply.body).endpoints;
		expect(endpoints.map((endpoint) => endpoint.url)).toEqual([
			"pkg:npm/airtable-mcp-server@1.7.2",
			"pkg:oci/airtable-mcp-server?repository_url=docker.io/domdomegg/airtable-mcp-server&tag=1.7.2",
			expect.stringMatching(
				/^pkg:generic\/airtable-mcp-server\?checksum=sha256:8220/,
			),
		]);
		expect(endpoints[0]).toEqual({
			protocol: "mcp",
			url: "pkg:npm/airtable-mcp-server@1.7.2",
			transport: "stdio",
			registryType: "npm",
			identifier: "airtable-mcp-server",
			version: "1.7.2",
		});
	});

	it("publishes MCP remotes and packages", async () => {
		const server = mcpServer(
			"mcp/seed-2025-09-29.json",
			"com.cloudflare/mcp-server-cloudflare",
			"0.0.1-seed",
		);
		const reply = await register(
			"mcp://observability.monitoring.Cloudflare.v0.0.1-seed",
			{ metadata: server },
		);
		expect(reply.status).toBe(201);

		const endpoints = recordPayload(reply.body).endpoints;
		expect(
			endpoints.map((endpoint) => [endpoint.transport, endpoint.url]),
		).toEqual([
			["sse", "https://observability.mcp.cloudflare.com/sse"],
			["sse", "https://bindings.mcp.cloudflare.com/sse"],
			["stdio", "pkg:npm/%40cloudflare/mcp-server-cloudflare@1.0.0"],
		]);
	});

	it("merges request endpoints without repeats", async () => {
		const reply = await register("a2a://invoices.finance.ExampleCorp.v1.0.0", {
			metadata: readFixture("a2a/invoice-processing-agent.json"),
			endpoints: [
				{
					protocol: "a2a",
					url: "https://agent.example.com/a2a/v1",
					transport: "JSONRPC",
				},
				{ protocol: "a2a", url: "https://backup.example.com/a2a" },
			],
		});
		expect(reply.status).toBe(201);
		expect(
			recordPayload(reply.body).endpoints.map((endpoint) => endpoint.url),
		).toEqual([
			"https://agent.example.com/a2a/v1",
			"https://backup.example.com/a2a",
		]);
	});

	it("requires endpoints when the metadata has none", async () => {
		const manifest = readFixture("acp/org.agntcy.mailcomposer.json");
		const missing = await register("acp://mailcomposer.email.agntcy.v0.0.1", {
			metadata: manifest,
		});
		expect(missing.status).toBe(400);
		expect(missing.body.error).toEqual({
			code: "FIELD_REQUIRED",
			message:
				"endpoints is required because the AGNTCY Agent Connect Protocol manifest in metadata names no endpoint; list at least one endpoint.",
			field: "endpoints",
		});

		const withEndpoints = await register(
			"acp://mailcomposer.email.agntcy.v0.0.1",
			{
				metadata: manifest,
				endpoints: [{ protocol: "acp", url: "https://acp.example.com/api" }],
			},
		);
		expect(withEndpoints.status).toBe(201);
	});

	it("registers without metadata", async () => {
		const reply = await register("a2a://plain.endpoints.Example.v1", {
			endpoints: [{ protocol: "a2a", url: "https://plain.example.com/a2a" }],
		});
		expect(reply.status).toBe(201);
		expect(recordPayload(reply.body).metadataDigest).toBe(
			await metadataDigest({}),
		);

		const empty = await register("a2a://plain.empty.Example.v1", {
			metadata: {},
			endpoints: [{ protocol: "a2a", url: "https://plain.example.com/a2a" }],
		});
		expect(empty.status).toBe(201);

		const missing = await register("a2a://plain.nothing.Example.v1", {});
		expect(missing.status).toBe(400);
		expect(missing.body.error).toEqual({
			code: "FIELD_REQUIRED",
			message:
				"endpoints is required because no metadata was given; list at least one endpoint.",
			field: "endpoints",
		});
	});

	it("registers BeeAI and OASF documents", async () => {
		const beeai = await register("beeai-acp://chat_agent.chat.BeeAI.v1", {
			metadata: readFixture("beeai-acp/chat_agent.json"),
			endpoints: [{ protocol: "beeai-acp", url: "https://beeai.example.com" }],
		});
		expect(beeai.status).toBe(201);

		const oasf = await register(
			"oasf://marketingStrategy.research.Cisco.v4.0.0",
			{
				metadata: readFixture(
					"oasf/directory.agntcy.org__cisco__marketing-strategy-v4--v4.0.0.json",
				),
			},
		);
		expect(oasf.status).toBe(201);
		expect(recordPayload(oasf.body).endpoints).toEqual([
			{
				protocol: "oasf",
				url: "pkg:oci/marketing-strategy?repository_url=ghcr.io/agntcy/marketing-strategy",
				registryType: "oci",
				identifier: "https://ghcr.io/agntcy/marketing-strategy",
			},
		]);
	});
});

describe("registration metadata errors", () => {
	it("points at the invalid member", async () => {
		const reply = await register("a2a://broken.format.Example.v1", {
			metadata: readFixture("a2a/invalid/invalid-format.json"),
			endpoints: [{ protocol: "a2a", url: "https://broken.example.com" }],
		});
		expect(reply.status).toBe(400);
		const error = reply.body.error as Record<string, string>;
		expect(error.code).toBe("METADATA_INVALID");
		expect(error.field).toBe("metadata/name");
		expect(error.message).toMatch(
			/^Invalid A2A agent card in metadata: \/name must be a string, but it is a number; /,
		);
	});

	it("points at a skill member", async () => {
		const card = readFixture("a2a/github-agent.json") as {
			skills: Record<string, unknown>[];
		};
		delete card.skills[0]?.id;
		const reply = await register("a2a://github.repositories.Example.v1", {
			metadata: card,
			endpoints: [{ protocol: "a2a", url: "https://github-agent.example.com" }],
		});
		expect(reply.status).toBe(400);
		expect((reply.body.error as Record<string, string>).field).toBe(
			"metadata/skills/0/id",
		);
	});

	it("rejects an unsupported protocol", async () => {
		const reply = await register("smtp://mailer.email.Example.v1", {
			metadata: {},
			endpoints: [{ protocol: "smtp", url: "https://mail.example.com" }],
		});
		expect(reply.status).toBe(400);
		expect(reply.body.error).toEqual({
			code: "PROTOCOL_UNSUPPORTED",
			message:
				'Protocol "smtp" is not supported. Use one of: a2a, mcp, acp, beeai-acp, oasf.',
			field: "name",
		});
	});

	it("applies the address policy to card URLs", async () => {
		const reply = await register("a2a://hello.greeting.Example.v0.0.1", {
			metadata: readFixture("a2a/hello-world-agent.json"),
		});
		expect(reply.status).toBe(400);
		const error = reply.body.error as Record<string, string>;
		expect(error.code).toBe("ENDPOINT_ADDRESS_FORBIDDEN");
		expect(error.field).toBe("metadata/supportedInterfaces/0/url");
	});

	it("rejects a card URL without http scheme", async () => {
		const card = readFixture("a2a/magic-8-ball-agent--java.json") as Record<
			string,
			unknown
		>;
		card.url = "https://magic8.example.com";
		card.additionalInterfaces = [
			{ transport: "GRPC", url: "magic8.example.com:443" },
		];
		const reply = await register("a2a://magic8.fortune.Example.v1", {
			metadata: card,
		});
		expect(reply.status).toBe(400);
		const error = reply.body.error as Record<string, string>;
		expect(error.code).toBe("ENDPOINT_SCHEME_FORBIDDEN");
		expect(error.field).toBe("metadata/additionalInterfaces/0/url");
	});

	it("writes nothing when metadata is invalid", async () => {
		const name = "a2a://nothing.written.Example.v1.0.0";
		const reply = await register(name, {
			metadata: readFixture("a2a/invalid/incomplete-agent.json"),
			endpoints: [{ protocol: "a2a", url: "https://nothing.example.com" }],
		});
		expect(reply.status).toBe(400);
		const resolved = await fetch(
			`${cp.url}/v1/resolve?name=${encodeURIComponent(name)}`,
		);
		expect(resolved.status).toBe(404);
	});
});

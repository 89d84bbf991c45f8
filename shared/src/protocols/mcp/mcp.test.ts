import { describe, expect, it } from "vitest";
import { readFixture } from "../testing/index.ts";
import type { ValidationIssue } from "../types.ts";
import { mcpAdapter } from "./index.ts";

type ServerJson = Record<string, unknown> & {
	name: string;
	packages?: Record<string, unknown>[];
};

const newestSeed = readFixture("mcp/seed.json") as ServerJson[];
const largeSeed = readFixture("mcp/seed-2025-09-29.json") as ServerJson[];

function server(
	seed: ServerJson[],
	name: string,
	version?: string,
): ServerJson {
	const found = seed.find(
		(entry) =>
			entry.name === name &&
			(version === undefined || entry.version === version),
	);
	if (found === undefined) {
		throw new Error(`seed has no server ${name} ${version ?? ""}`);
	}
	return structuredClone(found);
}

function pointersAndCodes(issues: ValidationIssue[]) {
	return issues.map(({ pointer, code }) => ({ pointer, code }));
}

/**
 * Servers of the 2025-09-29 seed whose only package is registryType "oci"
 * with an identifier that is no image reference (npm-style "@scope/name",
 * or an uppercase repository).
 */
const INVALID_OCI_SERVERS = [
	"io.github.alexarevalo9/ticktick-mcp-server",
	"io.github.edubase/mcp",
	"io.github.gongrzhe/redis-mcp-server",
	"io.github.kiwamizamurai/mcp-kibela-server",
	"io.github.lingodotdev/lingo.dev",
	"io.github.nota/gyazo-mcp-server",
	"io.github.omedia/mcp-server-drupal",
	"io.github.translated/lara-mcp",
];

describe("MCP server.json validation", () => {
	it("accepts every entry of the newest seed", () => {
		expect(newestSeed).toHaveLength(4);
		for (const entry of newestSeed) {
			expect(mcpAdapter.validate(entry)).toEqual([]);
		}
	});

	it("accepts large seed except bad images", () => {
		expect(largeSeed).toHaveLength(358);
		const rejected = largeSeed
			.map((entry) => ({
				name: entry.name,
				issues: pointersAndCodes(mcpAdapter.validate(entry)),
			}))
			.filter((result) => result.issues.length > 0)
			.sort((a, b) => a.name.localeCompare(b.name));
		expect(rejected).toEqual(
			INVALID_OCI_SERVERS.map((name) => ({
				name,
				issues: [{ pointer: "/packages/0/identifier", code: "VALUE_INVALID" }],
			})),
		);
	});

	it("rejects a name without a namespace", () => {
		const entry = server(newestSeed, "io.github.domdomegg/time-mcp-pypi");
		entry.name = "time-mcp-pypi";
		expect(pointersAndCodes(mcpAdapter.validate(entry))).toEqual([
			{ pointer: "/name", code: "VALUE_INVALID" },
		]);
	});

	it("rejects version ranges", () => {
		const entry = server(newestSeed, "io.github.domdomegg/time-mcp-pypi");
		entry.version = "^1.0.6";
		const first = entry.packages?.[0];
		if (first !== undefined) {
			first.version = "latest";
		}
		expect(pointersAndCodes(mcpAdapter.validate(entry))).toEqual([
			{ pointer: "/version", code: "VALUE_INVALID" },
			{ pointer: "/packages/0/version", code: "VALUE_INVALID" },
		]);
	});

	it("rejects a registry type it cannot locate", () => {
		const entry = server(newestSeed, "io.github.domdomegg/time-mcp-nuget");
		const first = entry.packages?.[0];
		if (first !== undefined) {
			first.registryType = "smithery";
		}
		const issues = mcpAdapter.validate(entry);
		expect(pointersAndCodes(issues)).toEqual([
			{ pointer: "/packages/0/registryType", code: "VALUE_UNSUPPORTED" },
		]);
		expect(issues[0]?.message).toBe(
			'must be one of npm, pypi, nuget, oci, mcpb, but it is "smithery"',
		);
	});

	it("requires the SHA-256 of an MCPB bundle", () => {
		const entry = server(
			newestSeed,
			"io.github.domdomegg/airtable-mcp-server",
			"1.7.2",
		);
		const bundle = entry.packages?.[2];
		if (bundle !== undefined) {
			delete bundle.fileSha256;
		}
		expect(pointersAndCodes(mcpAdapter.validate(entry))).toEqual([
			{ pointer: "/packages/2/fileSha256", code: "FIELD_MISSING" },
		]);
	});

	it("rejects remotes that are not http URLs", () => {
		const entry = server(largeSeed, "com.cloudflare/mcp-server-cloudflare");
		entry.remotes = [
			{ type: "sse", url: "ftp://observability.mcp.cloudflare.com/sse" },
			{ type: "websocket", url: "wss://example.com" },
		];
		expect(pointersAndCodes(mcpAdapter.validate(entry))).toEqual([
			{ pointer: "/remotes/0/url", code: "URL_INVALID" },
			{ pointer: "/remotes/1/type", code: "VALUE_UNSUPPORTED" },
		]);
	});

	it("requires the package transport", () => {
		const entry = server(newestSeed, "io.github.domdomegg/time-mcp-pypi");
		const first = entry.packages?.[0];
		if (first !== undefined) {
			delete first.transport;
		}
		expect(pointersAndCodes(mcpAdapter.validate(entry))).toEqual([
			{ pointer: "/packages/0/transport", code: "FIELD_MISSING" },
		]);
	});
});

describe("MCP server.json endpoints", () => {
	it("lists remotes before package locators", () => {
		const entry = server(largeSeed, "com.cloudflare/mcp-server-cloudflare");
		expect(mcpAdapter.extractEndpoints(entry)).toEqual([
			{
				kind: "network",
				pointer: "/remotes/0/url",
				endpoint: {
					protocol: "mcp",
					url: "https://observability.mcp.cloudflare.com/sse",
					transport: "sse",
				},
			},
			{
				kind: "network",
				pointer: "/remotes/1/url",
				endpoint: {
					protocol: "mcp",
					url: "https://bindings.mcp.cloudflare.com/sse",
					transport: "sse",
				},
			},
			{
				kind: "package",
				pointer: "/packages/0",
				endpoint: {
					protocol: "mcp",
					url: "pkg:npm/%40cloudflare/mcp-server-cloudflare@1.0.0",
					transport: "stdio",
					registryType: "npm",
					identifier: "@cloudflare/mcp-server-cloudflare",
					version: "1.0.0",
					registryBaseUrl: "https://registry.npmjs.org",
				},
			},
		]);
	});

	it("locates npm, oci and mcpb packages", () => {
		const entry = server(
			newestSeed,
			"io.github.domdomegg/airtable-mcp-server",
			"1.7.2",
		);
		expect(
			mcpAdapter.extractEndpoints(entry).map((entry) => entry.endpoint),
		).toEqual([
			{
				protocol: "mcp",
				url: "pkg:npm/airtable-mcp-server@1.7.2",
				transport: "stdio",
				registryType: "npm",
				identifier: "airtable-mcp-server",
				version: "1.7.2",
			},
			{
				protocol: "mcp",
				url: "pkg:oci/airtable-mcp-server?repository_url=docker.io/domdomegg/airtable-mcp-server&tag=1.7.2",
				transport: "stdio",
				registryType: "oci",
				identifier: "docker.io/domdomegg/airtable-mcp-server:1.7.2",
			},
			{
				protocol: "mcp",
				url: "pkg:generic/airtable-mcp-server?checksum=sha256:8220de07a08ebe908f04da139ea03dbfe29758141347e945da60535fb7bcca20&download_url=https://github.com/domdomegg/airtable-mcp-server/releases/download/v1.7.2/airtable-mcp-server.mcpb",
				transport: "stdio",
				registryType: "mcpb",
				identifier:
					"https://github.com/domdomegg/airtable-mcp-server/releases/download/v1.7.2/airtable-mcp-server.mcpb",
				fileSha256:
					"8220de07a08ebe908f04da139ea03dbfe29758141347e945da60535fb7bcca20",
			},
		]);
	});

	it("locates nuget and pypi packages", () => {
		const urls = [
			"io.github.domdomegg/time-mcp-nuget",
			"io.github.domdomegg/time-mcp-pypi",
		].map(
			(name) =>
				mcpAdapter.extractEndpoints(server(newestSeed, name))[0]?.endpoint.url,
		);
		expect(urls).toEqual([
			"pkg:nuget/TimeMcpServer@1.0.8",
			"pkg:pypi/time-mcp-pypi@1.0.6",
		]);
	});

	it("reads oci tag and registry fields", () => {
		const entry = server(
			largeSeed,
			"io.github.inditextech/mcp-server-simulator-ios-idb",
		);
		expect(mcpAdapter.extractEndpoints(entry)[0]?.endpoint.url).toBe(
			"pkg:oci/mcp-server-simulator-ios-idb?repository_url=docker.io/mcp-server-simulator-ios-idb&tag=1.0.1",
		);
	});

	it("normalizes pypi names and registries", () => {
		const entry = server(newestSeed, "io.github.domdomegg/time-mcp-pypi");
		entry.packages = [
			{
				registryType: "pypi",
				identifier: "Time_MCP.pypi",
				version: "1.0.6",
				registryBaseUrl: "https://test.pypi.org",
				transport: { type: "stdio" },
			},
		];
		expect(mcpAdapter.extractEndpoints(entry)[0]?.endpoint.url).toBe(
			"pkg:pypi/time-mcp-pypi@1.0.6?repository_url=https://test.pypi.org",
		);
	});

	it("gives every valid seed server a locator", () => {
		for (const entry of largeSeed) {
			if (INVALID_OCI_SERVERS.includes(entry.name)) {
				continue;
			}
			const endpoints = mcpAdapter.extractEndpoints(entry);
			expect(endpoints.length).toBeGreaterThan(0);
			for (const { endpoint } of endpoints) {
				expect(URL.canParse(endpoint.url)).toBe(true);
			}
		}
	});
});

describe("MCP server.json description", () => {
	it("takes the provider from the namespace", () => {
		expect(
			mcpAdapter.describe(
				server(newestSeed, "io.github.domdomegg/airtable-mcp-server", "1.7.3"),
			),
		).toEqual({
			identifier: "io.github.domdomegg/airtable-mcp-server",
			displayName: "airtable-mcp-server",
			description:
				"Read and write access to Airtable database schemas, tables, and records.",
			version: "1.7.3",
			provider: "domdomegg",
			providerUrl: "https://github.com/domdomegg/airtable-mcp-server.git",
			capabilities: [],
			searchText:
				"airtable-mcp-server\ndocker.io/domdomegg/airtable-mcp-server:1.7.3",
		});
	});

	it("reads a domain namespace", () => {
		const description = mcpAdapter.describe(
			server(largeSeed, "com.cloudflare/mcp-server-cloudflare"),
		);
		expect(description.provider).toBe("cloudflare");
		expect(description.description).toBeUndefined();
	});
});

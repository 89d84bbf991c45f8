import { describe, expect, it } from "vitest";
import { AnsError } from "../errors.ts";
import { readProtocolMetadata } from "./read-metadata.ts";
import { adapterFor, supportedProtocols } from "./registry.ts";
import { readFixture } from "./testing/index.ts";

function thrown(run: () => unknown): AnsError {
	try {
		run();
	} catch (error) {
		if (error instanceof AnsError) {
			return error;
		}
		throw error;
	}
	throw new Error("expected an AnsError");
}

describe("protocol registry", () => {
	it("lists the supported protocols", () => {
		expect(supportedProtocols()).toEqual([
			"a2a",
			"mcp",
			"acp",
			"beeai-acp",
			"oasf",
		]);
	});

	it("finds adapters ignoring case", () => {
		expect(adapterFor("A2A")?.id).toBe("a2a");
		expect(adapterFor("smtp")).toBeUndefined();
	});

	it("uses ids that fit the name grammar", () => {
		for (const id of supportedProtocols()) {
			expect(id).toMatch(/^[a-z][a-z0-9-]{0,15}$/);
		}
	});
});

describe("readProtocolMetadata", () => {
	it("returns endpoints and description", () => {
		const read = readProtocolMetadata(
			"a2a",
			readFixture("a2a/hello-world-agent.json"),
		);
		expect(read.adapter.id).toBe("a2a");
		expect(read.endpoints.map((entry) => entry.endpoint.url)).toEqual([
			"http://127.0.0.1:9999",
		]);
		expect(read.description.displayName).toBe("Hello World Agent");
	});

	it("accepts an absent document", () => {
		const read = readProtocolMetadata("oasf", undefined);
		expect(read.adapter.id).toBe("oasf");
		expect(read.endpoints).toEqual([]);
		expect(read.description).toEqual({ capabilities: [], searchText: "" });
	});

	it("rejects an unknown protocol", () => {
		const error = thrown(() => readProtocolMetadata("smtp", undefined));
		expect(error.code).toBe("PROTOCOL_UNSUPPORTED");
		expect(error.status).toBe(400);
		expect(error.field).toBe("name");
		expect(error.message).toBe(
			'Protocol "smtp" is not supported. Use one of: a2a, mcp, acp, beeai-acp, oasf.',
		);
	});

	it("points at the first issue", () => {
		const card = readFixture("a2a/invalid/invalid-format.json");
		const error = thrown(() => readProtocolMetadata("a2a", card));
		expect(error.code).toBe("METADATA_INVALID");
		expect(error.status).toBe(400);
		expect(error.field).toBe("metadata/name");
		expect(error.message).toMatch(
			/^Invalid A2A agent card in metadata: \/name must be a string, but it is a number; /,
		);
		expect(error.message).toMatch(/; and 1 more\. Fix the A2A agent card/);
	});

	it("names the whole document when it is no object", () => {
		const error = thrown(() =>
			readProtocolMetadata("mcp", "x", { metadata: "card" }),
		);
		expect(error.field).toBe("card");
		expect(error.message).toBe(
			"Invalid MCP server.json in card: the document must be an object, but it is a string. Fix the MCP server.json and send it again.",
		);
	});
});

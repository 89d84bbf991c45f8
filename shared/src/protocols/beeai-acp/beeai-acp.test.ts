import { describe, expect, it } from "vitest";
import { listFixtures, readFixture } from "../testing/index.ts";
import type { ValidationIssue } from "../types.ts";
import { beeaiAcpAdapter } from "./index.ts";

type Manifest = Record<string, unknown> & { metadata: Record<string, unknown> };

function manifest(name: string): Manifest {
	return readFixture(`beeai-acp/${name}.json`) as Manifest;
}

function pointersAndCodes(issues: ValidationIssue[]) {
	return issues.map(({ pointer, code }) => ({ pointer, code }));
}

describe("BeeAI AgentManifest validation", () => {
	const manifests = listFixtures("beeai-acp");

	it("covers every fixture", () => {
		expect(manifests).toHaveLength(6);
	});

	it.each(manifests)("accepts %s", (path) => {
		expect(beeaiAcpAdapter.validate(readFixture(path))).toEqual([]);
	});

	it("rejects a name that is no DNS label", () => {
		const document = manifest("slack-agent");
		document.name = "Slack Agent";
		const issues = beeaiAcpAdapter.validate(document);
		expect(pointersAndCodes(issues)).toEqual([
			{ pointer: "/name", code: "VALUE_INVALID" },
		]);
		expect(issues[0]?.message).toContain('"Slack Agent"');
	});

	it("requires content types", () => {
		const document = manifest("song_writer_agent");
		document.input_content_types = [];
		delete document.output_content_types;
		expect(pointersAndCodes(beeaiAcpAdapter.validate(document))).toEqual([
			{ pointer: "/input_content_types", code: "VALUE_EMPTY" },
			{ pointer: "/output_content_types", code: "FIELD_MISSING" },
		]);
	});

	it("checks metadata member types", () => {
		const document = manifest("orchestrator");
		document.metadata.capabilities = [{ description: "no name" }];
		document.metadata.links = [{ type: "homepage", url: "not a url" }];
		expect(pointersAndCodes(beeaiAcpAdapter.validate(document))).toEqual([
			{ pointer: "/metadata/capabilities/0/name", code: "FIELD_MISSING" },
			{ pointer: "/metadata/links/0/url", code: "URL_INVALID" },
		]);
	});
});

describe("BeeAI AgentManifest endpoints and description", () => {
	it("has no network endpoints", () => {
		for (const path of listFixtures("beeai-acp")) {
			expect(beeaiAcpAdapter.extractEndpoints(readFixture(path))).toEqual([]);
		}
	});

	it("locates container images", () => {
		const document = manifest("chat_agent");
		document.metadata.links = [
			{ type: "source-code", url: "https://github.com/i-am-bee/acp" },
			{ type: "container-image", url: "ghcr.io/i-am-bee/chat-agent:0.1.0" },
		];
		expect(beeaiAcpAdapter.validate(document)).toEqual([]);
		expect(beeaiAcpAdapter.extractEndpoints(document)).toEqual([
			{
				kind: "package",
				pointer: "/metadata/links/1",
				endpoint: {
					protocol: "beeai-acp",
					url: "pkg:oci/chat-agent?repository_url=ghcr.io/i-am-bee/chat-agent&tag=0.1.0",
					registryType: "oci",
					identifier: "ghcr.io/i-am-bee/chat-agent:0.1.0",
				},
			},
		]);
	});

	it("takes the display name from the UI annotation", () => {
		const description = beeaiAcpAdapter.describe(manifest("chat_agent"));
		expect(description.identifier).toBe("chat_agent");
		expect(description.displayName).toBe("Chat Agent");
		expect(description.version).toBeUndefined();
		expect(description.description).toMatch(/^The agent is an AI-powered/);
	});

	it("lists capabilities, domains and tags", () => {
		const document = manifest("slack-agent");
		document.metadata = {
			capabilities: [
				{ name: "Slack Messaging", description: "Posts to channels" },
			],
			domains: ["communication"],
			tags: ["Chat", "chat"],
			author: { name: "BeeAI", url: "https://beeai.dev" },
		};
		const description = beeaiAcpAdapter.describe(document);
		expect(description.capabilities).toEqual([
			"Slack Messaging",
			"communication",
			"Chat",
		]);
		expect(description.provider).toBe("BeeAI");
		expect(description.providerUrl).toBe("https://beeai.dev");
	});
});

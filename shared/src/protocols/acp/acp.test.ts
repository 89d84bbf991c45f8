import { describe, expect, it } from "vitest";
import { listFixtures, readFixture } from "../testing/index.ts";
import type { ValidationIssue } from "../types.ts";
import { acpAdapter } from "./index.ts";

type Manifest = Record<string, unknown> & {
	metadata: { ref: Record<string, unknown>; description: string };
	specs: Record<string, unknown> & { capabilities: Record<string, unknown> };
};

function manifest(name: string): Manifest {
	return readFixture(`acp/${name}.json`) as Manifest;
}

function pointersAndCodes(issues: ValidationIssue[]) {
	return issues.map(({ pointer, code }) => ({ pointer, code }));
}

describe("ACP manifest validation", () => {
	const manifests = listFixtures("acp");

	it("covers every fixture", () => {
		expect(manifests).toHaveLength(6);
	});

	it.each(manifests)("accepts %s", (path) => {
		expect(acpAdapter.validate(readFixture(path))).toEqual([]);
	});

	it("requires the agent reference", () => {
		const document = manifest("org.agntcy.mailcomposer");
		delete document.metadata.ref.version;
		document.metadata.ref.name = "";
		expect(pointersAndCodes(acpAdapter.validate(document))).toEqual([
			{ pointer: "/metadata/ref/name", code: "VALUE_EMPTY" },
			{ pointer: "/metadata/ref/version", code: "FIELD_MISSING" },
		]);
	});

	it("requires the specs schemas", () => {
		const document = manifest("org.agntcy.email_reviewer");
		delete document.specs.output;
		document.specs.input = "text";
		expect(pointersAndCodes(acpAdapter.validate(document))).toEqual([
			{ pointer: "/specs/input", code: "TYPE_MISMATCH" },
			{ pointer: "/specs/output", code: "FIELD_MISSING" },
		]);
	});

	it("requires interrupts when the capability says so", () => {
		const document = manifest("org.agntcy.mailcomposer");
		document.specs.capabilities.interrupts = true;
		expect(pointersAndCodes(acpAdapter.validate(document))).toEqual([
			{ pointer: "/specs/interrupts", code: "FIELD_MISSING" },
		]);
	});

	it("checks remote services and images", () => {
		const document = manifest("org.agntcy.interrupt");
		document.deployment = {
			deployment_options: [
				{ type: "remote_service", protocol: { type: "ACP", url: "ftp://x" } },
				{ type: "docker", image: "Example/Agent" },
			],
		};
		expect(pointersAndCodes(acpAdapter.validate(document))).toEqual([
			{
				pointer: "/deployment/deployment_options/0/protocol/url",
				code: "URL_SCHEME_UNSUPPORTED",
			},
			{
				pointer: "/deployment/deployment_options/1/image",
				code: "VALUE_INVALID",
			},
		]);
	});
});

describe("ACP manifest endpoints", () => {
	it("skips source code deployments", () => {
		for (const path of listFixtures("acp")) {
			expect(acpAdapter.extractEndpoints(readFixture(path))).toEqual([]);
		}
	});

	it("reads remote services and docker images", () => {
		const document = manifest("org.agntcy.interrupt");
		const deployment = document.deployment as {
			deployment_options: unknown[];
		};
		deployment.deployment_options.push(
			{
				type: "remote_service",
				name: "hosted",
				protocol: {
					type: "ACP",
					url: "https://acp.example.com/api",
					agent_id: "6f1c4a52-3a0f-4c1e-9a55-2b7d6d1f0a11",
				},
			},
			{ type: "docker", image: "ghcr.io/agntcy/interrupt:0.0.1" },
		);
		expect(acpAdapter.validate(document)).toEqual([]);
		expect(acpAdapter.extractEndpoints(document)).toEqual([
			{
				kind: "network",
				pointer: "/deployment/deployment_options/1/protocol/url",
				endpoint: {
					protocol: "acp",
					url: "https://acp.example.com/api",
					agentId: "6f1c4a52-3a0f-4c1e-9a55-2b7d6d1f0a11",
				},
			},
			{
				kind: "package",
				pointer: "/deployment/deployment_options/2",
				endpoint: {
					protocol: "acp",
					url: "pkg:oci/interrupt?repository_url=ghcr.io/agntcy/interrupt&tag=0.0.1",
					registryType: "oci",
					identifier: "ghcr.io/agntcy/interrupt:0.0.1",
				},
			},
		]);
	});
});

describe("ACP manifest description", () => {
	it("reads the reference and schema words", () => {
		expect(acpAdapter.describe(manifest("org.agntcy.email_reviewer"))).toEqual({
			identifier: "org.agntcy.email_reviewer",
			displayName: "org.agntcy.email_reviewer",
			description:
				"In charge of reviewing and correcting emails addressed to a specific audience",
			version: "0.0.1",
			provider: "agntcy",
			capabilities: [],
			searchText: "email\naudience\ncorrect\ncorrected_email",
		});
	});
});

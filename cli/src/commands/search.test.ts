import { execFile } from "node:child_process";
import { promisify } from "node:util";
import {
	startTestControlPlane,
	type TestControlPlane,
} from "@ans/control-plane/testing";
import { createCsr, generateAgentKeyPair } from "@ans/shared/keys";
import { formatName, parseName } from "@ans/shared/names";
import { readFixture } from "@ans/shared/protocols/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const ansBin = new URL("../../bin/ans.js", import.meta.url).pathname;

let cp: TestControlPlane;

/** Registers an agent through the API with `metadata` as its protocol document. */
async function register(name: string, metadata: unknown): Promise<void> {
	const parsed = parseName(name);
	const csr = await createCsr({
		keys: await generateAgentKeyPair("P-256"),
		canonicalName: formatName(parsed),
		agentId: parsed.agentId,
	});
	const response = await fetch(`${cp.url}/v1/agents`, {
		method: "POST",
		headers: {
			authorization: `Bearer ${cp.adminToken}`,
			"content-type": "application/json",
		},
		body: JSON.stringify({ name, metadata, csr }),
	});
	if (response.status !== 201) {
		throw new Error(`registering ${name} failed: ${await response.text()}`);
	}
}

beforeAll(async () => {
	cp = await startTestControlPlane();
	await register(
		"a2a://routePlanner.navigation.ExampleGeo.v1.2.0",
		readFixture("a2a/geospatial-route-planner-agent.json"),
	);
	await register(
		"a2a://invoices.finance.ExampleCorp.v1.0.0",
		readFixture("a2a/invoice-processing-agent.json"),
	);
	await register(
		"oasf://marketingStrategy.research.Cisco.v4.0.0",
		readFixture(
			"oasf/directory.agntcy.org__cisco__marketing-strategy-v4--v4.0.0.json",
		),
	);
});

afterAll(async () => {
	await cp.stop();
});

/** Runs `ans search` against the test control plane and parses its output. */
async function search(
	args: string[],
): Promise<{ code: number; json: unknown }> {
	try {
		const { stdout } = await run(
			process.execPath,
			[ansBin, "search", ...args],
			{ env: { ...process.env, ANS_URL: cp.url } },
		);
		return { code: 0, json: JSON.parse(stdout) };
	} catch (error) {
		const failed = error as { code: number; stdout: string };
		return { code: failed.code, json: JSON.parse(failed.stdout) };
	}
}

function names(json: unknown): string[] {
	return (json as { agents: { name: string }[] }).agents.map(
		(agent) => agent.name,
	);
}

describe("ans search", () => {
	it("searches words and filters", async () => {
		const found = await search(["traffic", "--protocol", "A2A"]);
		expect(found.code).toBe(0);
		expect(names(found.json)).toEqual([
			"a2a://routeplanner.navigation.examplegeo.v1.2.0",
		]);

		const byCapability = await search(["--capability", "invoice-processing"]);
		expect(names(byCapability.json)).toEqual([
			"a2a://invoices.finance.examplecorp.v1.0.0",
		]);
	});

	it("prints one page with a cursor", async () => {
		const page = await search(["--limit", "2"]);
		expect(page.code).toBe(0);
		expect(names(page.json)).toHaveLength(2);
		const next = (page.json as { next: string | null }).next;
		expect(next).toEqual(expect.any(String));

		const rest = await search(["--limit", "2", "--cursor", String(next)]);
		expect(names(rest.json)).toEqual([
			"oasf://marketingstrategy.research.cisco.v4.0.0",
		]);
	});

	it("follows every page with --all", async () => {
		const all = await search(["--all", "--limit", "1"]);
		expect(all.code).toBe(0);
		expect(all.json).toMatchObject({ next: null });
		expect(names(all.json)).toHaveLength(3);
	});

	it("exits 2 on an invalid parameter", async () => {
		const bad = await search(["--limit", "500"]);
		expect(bad.code).toBe(2);
		expect(bad.json).toMatchObject({
			error: { code: "LIMIT_INVALID", field: "limit" },
		});
	});
});

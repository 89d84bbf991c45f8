import {
	mkdtempSync,
	readFileSync,
	rmSync,
	statSync,
	writeFileSync,
} from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
	startTestControlPlane,
	type TestControlPlane,
} from "@ans/control-plane/testing";
import { verifyResolution } from "@ans/shared/verification";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchTrust } from "../trust.ts";
import { type ImportOptions, runImport } from "./run-import.ts";

const dataDir = new URL("../../../examples/data/", import.meta.url).pathname;

/** Real cards that cover each kind of entry: loopback, duplicates, 0.0.0.0, host provider, http on a public host. */
const CARDS = [
	"check-prime-agent.json",
	"currency-conversion-agent--adk-currency-agent.json",
	"currency-conversion-agent--adk-skills-agent.json",
	"airbnb-agent.json",
	"paid-translation-agent.json",
	"geospatial-route-planner-agent.json",
	"oixa-protocol-marketplace.json",
].map((file) => join(dataDir, "a2a", file));

let cp: TestControlPlane;
let work: string;
let seedSubset: string;

beforeAll(async () => {
	cp = await startTestControlPlane({ ANS_ALLOW_LOOPBACK_ENDPOINTS: "1" });
	work = mkdtempSync(join(tmpdir(), "ans-import-"));
	// Entries 15 to 34 of the seed; entry 29 has an OCI package with an npm identifier.
	const seed = JSON.parse(
		readFileSync(join(dataDir, "mcp", "seed-2025-09-29.json"), "utf8"),
	) as unknown[];
	seedSubset = join(work, "seed-subset.json");
	writeFileSync(seedSubset, JSON.stringify(seed.slice(15, 35)));
});

afterAll(async () => {
	await cp.stop();
	rmSync(work, { recursive: true, force: true });
});

function options(overrides: Partial<ImportOptions>): ImportOptions {
	return {
		protocol: "a2a",
		files: CARDS,
		controlPlaneUrl: cp.url,
		token: cp.adminToken,
		fallbackProvider: "a2a-samples",
		concurrency: 4,
		keyType: "P-256",
		verifyThrough: [cp.url],
		...overrides,
	};
}

/** Resolves a name through the control plane and verifies it offline, independently of the importer. */
async function resolveAndVerify(name: string) {
	const trust = await fetchTrust(cp.url);
	const response = await fetch(
		`${cp.url}/v1/resolve?${new URLSearchParams({ name })}`,
	);
	expect(response.status).toBe(200);
	return verifyResolution(await response.json(), {
		jwks: trust.jwks,
		trustAnchors: trust.roots,
		expectedName: name,
	});
}

describe("runImport against a control plane", () => {
	it("imports A2A cards and reports skips", async () => {
		const keyDir = join(work, "keys");
		const summary = await runImport(options({ keyDir }));

		expect(summary.entries).toBe(7);
		expect(summary.imported).toBe(4);
		expect(summary.failed).toBe(0);
		expect(summary.skippedByReason).toEqual({
			"duplicate-name": 1,
			"endpoint-unreachable": 1,
			"endpoint-rejected": 1,
		});
		const bySource = new Map(
			summary.results.map((result) => [
				result.source.replace(/.*\//, ""),
				result,
			]),
		);
		expect(bySource.get("oixa-protocol-marketplace.json")?.message).toContain(
			"https",
		);
		expect(bySource.get("check-prime-agent.json")).toMatchObject({
			status: "imported",
			name: "a2a://check_prime_agent.prime_checking.a2a-samples.v1.0.0",
		});
		expect(summary.verification).toHaveLength(1);
		expect(summary.verification[0]).toMatchObject({
			url: cp.url,
			verified: 4,
			failed: 0,
		});

		const keyFile = join(
			keyDir,
			"a2a.check_prime_agent.prime_checking.a2a-samples.v1.0.0.key.pem",
		);
		expect(statSync(keyFile).mode & 0o777).toBe(0o600);
		expect(readFileSync(keyFile, "utf8")).toContain("BEGIN PRIVATE KEY");
	});

	it("imports MCP seed entries that verify", async () => {
		const summary = await runImport(
			options({
				protocol: "mcp",
				files: [seedSubset],
				fallbackProvider: undefined,
			}),
		);

		expect(summary.entries).toBe(20);
		expect(summary.imported).toBe(19);
		expect(summary.skippedByReason).toEqual({ "metadata-invalid": 1 });
		expect(summary.results[14]).toMatchObject({
			source: `${seedSubset}#14`,
			reason: "metadata-invalid",
		});
		expect(summary.verification[0]?.verified).toBe(19);

		const imported = summary.results.filter(
			(result) => result.status === "imported",
		);
		for (const result of imported) {
			const name = String(result.name).toLowerCase();
			const verified = await resolveAndVerify(name);
			expect(verified.payload.name).toBe(name);
			expect(verified.payload.sub).toBe(result.id);
		}
	});

	it("counts a repeated import as already registered", async () => {
		const summary = await runImport(options({ verifyThrough: [] }));

		expect(summary.imported).toBe(0);
		expect(summary.alreadyRegistered).toBe(4);
		expect(summary.failed).toBe(0);
		expect(summary.verification).toEqual([]);
	});

	it("skips a taken name with other metadata", async () => {
		const file = join(work, "changed-card.json");
		const original = JSON.parse(readFileSync(CARDS[4] as string, "utf8"));
		writeFileSync(
			file,
			JSON.stringify({ ...original, description: "changed description" }),
		);
		const summary = await runImport(
			options({ files: [file], verifyThrough: [] }),
		);

		expect(summary.skippedByReason).toEqual({ "name-taken": 1 });
		expect(summary.results[0]?.message).toContain("other metadata");
	});

	it("reports verification failures of a tampering resolver", async () => {
		const proxy = await startTamperingProxy(cp.url);
		try {
			const summary = await runImport(
				options({
					files: [CARDS[5] as string],
					verifyThrough: [proxy.url],
				}),
			);
			expect(summary.alreadyRegistered).toBe(1);
			expect(summary.verification[0]).toMatchObject({
				verified: 0,
				failed: 1,
			});
			expect(summary.verification[0]?.failures[0]?.code).toMatch(/^RECORD_/);
		} finally {
			await new Promise((resolve) => proxy.server.close(resolve));
		}
	});

	it("rejects a wrong token for the whole run", async () => {
		await expect(
			runImport(
				options({ token: "wrong-token-0123456789", verifyThrough: [] }),
			),
		).rejects.toMatchObject({ status: 401 });
	});
});

describe("runImport without ANS_ALLOW_LOOPBACK_ENDPOINTS", () => {
	let strict: TestControlPlane;

	beforeAll(async () => {
		strict = await startTestControlPlane();
	});

	afterAll(async () => {
		await strict.stop();
	});

	it("skips loopback cards with the flag's name", async () => {
		const summary = await runImport(
			options({
				controlPlaneUrl: strict.url,
				token: strict.adminToken,
				files: [
					join(dataDir, "a2a", "check-prime-agent.json"),
					join(dataDir, "a2a", "coder-agent.json"),
					join(dataDir, "a2a", "recipe-agent--a2a-cli-full.json"),
				],
				concurrency: 1,
				verifyThrough: [strict.url],
			}),
		);

		expect(summary.imported).toBe(1);
		expect(summary.skippedByReason).toEqual({ "endpoint-loopback": 2 });
		expect(summary.results[0]?.message).toContain(
			"ANS_ALLOW_LOOPBACK_ENDPOINTS=1",
		);
		expect(summary.verification[0]?.verified).toBe(1);
	});
});

/**
 * Starts a proxy on 127.0.0.1 that forwards to `target` and flips one
 * character of every record signature, as a compromised edge might.
 */
async function startTamperingProxy(
	target: string,
): Promise<{ server: Server; url: string }> {
	const server = createServer((request, response) => {
		fetch(`${target}${request.url}`)
			.then(async (upstream) => {
				const body = (await upstream.json()) as { record?: string };
				if (typeof body.record === "string") {
					const last = body.record.at(-1) === "A" ? "B" : "A";
					body.record = `${body.record.slice(0, -1)}${last}`;
				}
				response.writeHead(upstream.status, {
					"content-type": "application/json",
				});
				response.end(JSON.stringify(body));
			})
			.catch((error: unknown) => {
				response.writeHead(502);
				response.end(String(error));
			});
	});
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	const { port } = server.address() as AddressInfo;
	return { server, url: `http://127.0.0.1:${port}` };
}

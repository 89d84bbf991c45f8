import { type ChildProcess, spawn } from "node:child_process";
import {
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createCsr, generateAgentKeyPair } from "@ans/shared/keys";
import { verifyResolution } from "@ans/shared/verification";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
	startTestControlPlane,
	type TestControlPlane,
} from "../../control-plane/src/testing/test-control-plane.ts";
import { bundleEdgeWorker } from "../scripts/build-worker.ts";
import {
	hasExited,
	isProcessRunning,
	stopChildProcess,
} from "./testing/child-process.ts";
import { minimalAgentCard, sleep } from "./testing/edge-test-stack.ts";

// Runs the real workerd binary with the self-hosting config from
// deploy/docker/edge, changed only in its listening address and storage path.

const TEMPLATE = fileURLToPath(
	new URL("../../deploy/docker/edge/edge.capnp", import.meta.url),
);
// The platform binary itself, not node_modules/.bin/workerd: without its
// install script that is a Node wrapper, and stopping the wrapper would
// leave the real workerd running.
const WORKERD = (
	createRequire(import.meta.url)("workerd") as { default: string }
).default;

let cp: TestControlPlane;
let dir: string;
let port: number;
let workerd: ChildProcess | undefined;
let controlPlaneStopped = false;
const output: string[] = [];
/** Every workerd this file started, so teardown can stop each one. */
const spawned: ChildProcess[] = [];
/**
 * True once teardown has begun. A test that timed out keeps running in the
 * background, and it must not start a workerd after teardown stopped them.
 */
let tearingDown = false;

function replaceOnce(text: string, from: string, to: string): string {
	const parts = text.split(from);
	if (parts.length !== 2) {
		throw new Error(`the template must contain ${from} exactly once`);
	}
	return parts.join(to);
}

async function freePort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	const address = server.address();
	await new Promise((resolve) => server.close(resolve));
	if (address === null || typeof address === "string") {
		throw new Error("the probe server has no TCP port");
	}
	return address.port;
}

function startWorkerd(): ChildProcess {
	if (tearingDown) {
		throw new Error("the suite is tearing down, so workerd was not started");
	}
	// workerd runs as one process (no children), and it stays in this
	// process group so that Ctrl-C in a terminal stops it too.
	const child = spawn(WORKERD, ["serve", "--experimental", "edge.capnp"], {
		cwd: dir,
		env: {
			PATH: process.env.PATH,
			ANS_ORIGIN_URL: cp.url,
			ANS_EDGE_ID: "self-hosted",
			ANS_PUSH_JWKS: JSON.stringify(cp.controlPlane.services.pushKeys.jwks()),
			ANS_CACHE_TTL_SECONDS: "60",
			ANS_SYNC_INTERVAL_SECONDS: "1",
		},
		stdio: ["ignore", "pipe", "pipe"],
	});
	spawned.push(child);
	child.stdout?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
	child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
	return child;
}

async function stopWorkerd(): Promise<void> {
	const child = workerd;
	workerd = undefined;
	if (child !== undefined) {
		await stopChildProcess(child);
	}
}

async function health(): Promise<{
	appliedSeq: number;
	bootstrapped: boolean;
}> {
	// Bounded: 100 tries of 100 ms while workerd starts.
	for (let attempt = 0; attempt < 100; attempt += 1) {
		if (workerd !== undefined && hasExited(workerd)) {
			throw new Error(`workerd exited early:\n${output.join("")}`);
		}
		try {
			const response = await fetch(`http://127.0.0.1:${port}/health`);
			const body = (await response.json()) as {
				replica: { appliedSeq: number; bootstrapped: boolean };
			};
			return body.replica;
		} catch {
			await sleep(100);
		}
	}
	throw new Error(
		`workerd did not respond to /health within 10 s:\n${output.join("")}`,
	);
}

async function register(label: string): Promise<string> {
	const name = `a2a://${label}.selfHosted.Example.v1.0.0`;
	const keys = await generateAgentKeyPair("P-256");
	const response = await fetch(`${cp.url}/v1/agents`, {
		method: "POST",
		headers: {
			authorization: `Bearer ${cp.adminToken}`,
			"content-type": "application/json",
		},
		body: JSON.stringify({
			name,
			endpoints: [{ protocol: "a2a", url: "https://agents.example.com/a2a" }],
			metadata: minimalAgentCard(label, "1.0.0"),
			csr: await createCsr({ keys, canonicalName: name, agentId: label }),
		}),
	});
	expect(response.status).toBe(201);
	// The canonical name, which records carry.
	return ((await response.json()) as { name: string }).name;
}

async function setUp(): Promise<void> {
	cp = await startTestControlPlane();
	dir = mkdtempSync(join(tmpdir(), "ans-workerd-"));
	port = await freePort();
	let config = readFileSync(TEMPLATE, "utf8");
	config = replaceOnce(config, '"*:8787"', `"127.0.0.1:${port}"`);
	config = replaceOnce(
		config,
		'"/var/lib/ans-edge/replicas"',
		JSON.stringify(join(dir, "replicas")),
	);
	writeFileSync(join(dir, "edge.capnp"), config);
	writeFileSync(join(dir, "worker.js"), await bundleEdgeWorker());
	// workerd requires the storage directory to exist.
	mkdirSync(join(dir, "replicas"));
	workerd = startWorkerd();
}

/**
 * Stops every workerd this file started, then the control plane, then
 * deletes the directories. Each step runs even when an earlier one throws.
 */
async function tearDown(): Promise<void> {
	tearingDown = true;
	workerd = undefined;
	try {
		await Promise.all(spawned.map((child) => stopChildProcess(child)));
	} finally {
		try {
			if (!controlPlaneStopped) {
				await cp?.stop();
			} else {
				rmSync(cp.dataDir, { recursive: true, force: true });
			}
		} finally {
			if (dir !== undefined) {
				rmSync(dir, { recursive: true, force: true });
			}
		}
	}
}

describe("workerd serve with the self-hosting config", () => {
	beforeAll(setUp);
	afterAll(tearDown);

	it("resolves pushed records that verify offline", async () => {
		await health();
		await cp.controlPlane.services.edgeSync.setEdges([
			{ id: "self-hosted", url: `http://127.0.0.1:${port}` },
		]);
		const name = await register("pushed");
		const head = await cp.controlPlane.services.store.headSeq();
		// Bounded: 100 polls of 50 ms for the push acknowledgement.
		for (let poll = 0; poll < 100; poll += 1) {
			const [edge] = cp.controlPlane.services.edgeSync.status();
			if (edge !== undefined && edge.acknowledgedSeq >= head) {
				break;
			}
			await sleep(50);
		}

		const url = `http://127.0.0.1:${port}/v1/resolve?name=${encodeURIComponent(name)}`;
		const response = await fetch(url);
		expect(response.status).toBe(200);
		const answer = (await response.json()) as {
			record: string;
			certificate: string;
			chain: string[];
		};
		const jwks = await (await fetch(`${cp.url}/.well-known/jwks.json`)).json();
		const ca = (await (await fetch(`${cp.url}/v1/ca/certificates`)).json()) as {
			root: string;
		};
		const verified = await verifyResolution(answer, {
			jwks: jwks as { keys: JsonWebKey[] },
			trustAnchors: [ca.root],
			expectedName: name,
		});
		expect(verified.payload.name).toBe(name);
	});

	it("catches up on its alarm without pushes", async () => {
		await cp.controlPlane.services.edgeSync.setEdges([]);
		await register("alarmed");
		const head = await cp.controlPlane.services.store.headSeq();
		let applied = 0;
		// Bounded: 50 polls of 100 ms, with the alarm every second.
		for (let poll = 0; poll < 50 && applied < head; poll += 1) {
			await sleep(100);
			applied = (await health()).appliedSeq;
		}
		expect(applied).toBe(head);
	});

	it("keeps the replica on disk across a restart", async () => {
		const name = await register("persisted");
		const head = await cp.controlPlane.services.store.headSeq();
		for (let poll = 0; poll < 50; poll += 1) {
			if ((await health()).appliedSeq >= head) {
				break;
			}
			await sleep(100);
		}
		await stopWorkerd();
		controlPlaneStopped = true;
		await cp.controlPlane.close();

		workerd = startWorkerd();
		const state = await health();
		expect(state.bootstrapped).toBe(true);
		expect(state.appliedSeq).toBe(head);
		const response = await fetch(
			`http://127.0.0.1:${port}/v1/resolve?name=${encodeURIComponent(name)}`,
		);
		expect(response.status).toBe(200);
		expect(response.headers.get("x-ans-cache")).toBe("hit");
	});
});

// Runs after the afterAll hook above, because vitest finishes a describe
// block, hooks included, before it starts the next test of the file.
it("leaves no workerd process running", () => {
	expect(spawned.length).toBeGreaterThan(0);
	for (const child of spawned) {
		// A child without a pid failed to spawn and never ran.
		const running = child.pid !== undefined && isProcessRunning(child.pid);
		expect({ pid: child.pid, running }).toEqual({
			pid: child.pid,
			running: false,
		});
	}
});

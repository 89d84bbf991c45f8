import {
	createServer,
	type IncomingMessage,
	type Server,
	type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { registerTestAgent } from "../testing/test-agents.ts";
import {
	startTestControlPlane,
	type TestControlPlane,
} from "../testing/test-control-plane.ts";
import { retryDelay } from "./edge-pusher.ts";

// A real control plane pushing to a small HTTP server that acts as an edge
// and replies from a script.

interface ReceivedPush {
	aud: unknown;
	from: number;
	to: number;
	head: number;
	changes: { seq: number }[];
}

interface FakeEdge {
	url: string;
	pushes: ReceivedPush[];
	held: ServerResponse[];
	close(): Promise<void>;
}

let cp: TestControlPlane;
let jwks: JSONWebKeySet;
const servers: FakeEdge[] = [];

beforeAll(async () => {
	cp = await startTestControlPlane();
	jwks = (await (
		await fetch(`${cp.url}/.well-known/ans-push-jwks.json`)
	).json()) as JSONWebKeySet;
});

afterEach(async () => {
	await cp.controlPlane.services.edgeSync.setEdges([]);
	await Promise.all(servers.splice(0).map((server) => server.close()));
});

afterAll(async () => {
	await cp?.stop();
});

/** Starts a fake edge; `reply` returns the status for push number n, or "hold" to never respond. */
async function startFakeEdge(
	reply: (push: ReceivedPush, n: number) => number | "hold",
): Promise<FakeEdge> {
	const pushes: ReceivedPush[] = [];
	const held: ServerResponse[] = [];
	const server: Server = createServer((request: IncomingMessage, response) => {
		let body = "";
		request.setEncoding("utf8");
		request.on("data", (chunk: string) => {
			body += chunk;
		});
		request.on("end", async () => {
			const { payload } = await jwtVerify(body, createLocalJWKSet(jwks), {
				typ: "ans-push+jws",
				algorithms: ["ES256"],
			});
			const push = payload as unknown as ReceivedPush;
			pushes.push(push);
			const status = reply(push, pushes.length);
			if (status === "hold") {
				held.push(response);
				return;
			}
			response.writeHead(status, { "content-type": "application/json" });
			response.end(
				JSON.stringify(
					status === 503
						? { error: { code: "ORIGIN_UNAVAILABLE", message: "test" } }
						: { appliedSeq: push.to, pulled: false },
				),
			);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	const { port } = server.address() as AddressInfo;
	const fake: FakeEdge = {
		url: `http://127.0.0.1:${port}`,
		pushes,
		held,
		close: () =>
			new Promise((resolve) => {
				for (const response of held) {
					response.destroy();
				}
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
	servers.push(fake);
	return fake;
}

async function register(): Promise<void> {
	await registerTestAgent(cp, { capability: "edgeSync" });
}

async function until(condition: () => boolean, what: string): Promise<void> {
	// Bounded: 200 polls of 25 ms.
	for (let poll = 0; poll < 200; poll += 1) {
		if (condition()) {
			return;
		}
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
	throw new Error(`timed out waiting until ${what}`);
}

function edgeStatus(id: string) {
	const status = cp.controlPlane.services.edgeSync
		.status()
		.find((edge) => edge.id === id);
	if (status === undefined) {
		throw new Error(`no edge ${id}`);
	}
	return status;
}

describe("edge sync", () => {
	it("retries a failing edge until it acknowledges", async () => {
		const edge = await startFakeEdge((_push, n) => (n <= 2 ? 503 : 200));
		await cp.controlPlane.services.edgeSync.setEdges([
			{ id: "flaky", url: edge.url },
		]);
		await register();
		const head = await cp.controlPlane.services.store.headSeq();
		await until(
			() => edgeStatus("flaky").acknowledgedSeq === head,
			"acknowledged",
		);

		expect(edge.pushes).toHaveLength(3);
		const last = edge.pushes[2];
		expect(last?.aud).toBe("flaky");
		expect(last?.from).toBe(head);
		expect(last?.to).toBe(head);
		expect(last?.changes.map((change) => change.seq)).toEqual([head]);
		const status = edgeStatus("flaky");
		expect(status.pushes).toEqual({ ok: 1, replayed: 0, failed: 2 });
		expect(status.consecutiveFailures).toBe(0);
		expect(status.sequencesBehind).toBe(0);
		expect(status.lagSeconds).toBe(0);

		const metrics = await (await fetch(`${cp.url}/metrics`)).text();
		expect(metrics).toContain('ans_edge_push_sequences_behind{edge="flaky"} 0');
		expect(metrics).toContain(
			'ans_edge_pushes_total{edge="flaky",result="failed"} 2',
		);
		expect(metrics).toContain(
			`ans_edge_push_acknowledged_sequence{edge="flaky"} ${head}`,
		);
	});

	it("reports lag of an edge that keeps failing", async () => {
		const edge = await startFakeEdge(() => 503);
		await cp.controlPlane.services.edgeSync.setEdges([
			{ id: "down", url: edge.url },
		]);
		await register();
		await until(() => edge.pushes.length >= 2, "two attempts");

		const health = (await (await fetch(`${cp.url}/health/edges`)).json()) as {
			edges: { id: string; sequencesBehind: number; lastError: string }[];
		};
		expect(health.edges[0]?.id).toBe("down");
		expect(health.edges[0]?.sequencesBehind).toBe(1);
		expect(health.edges[0]?.lastError).toContain("503 ORIGIN_UNAVAILABLE");

		const readiness = await fetch(`${cp.url}/health/readiness`);
		const body = (await readiness.json()) as {
			checks: {
				edges: { ok: boolean; failing: string[]; maxSequencesBehind: number };
			};
		};
		expect(body.checks.edges.ok).toBe(true);
		expect(body.checks.edges.failing).toEqual(["down"]);
		expect(body.checks.edges.maxSequencesBehind).toBe(1);
	});

	it("counts 409 as an acknowledgement", async () => {
		const edge = await startFakeEdge(() => 409);
		await cp.controlPlane.services.edgeSync.setEdges([
			{ id: "ahead", url: edge.url },
		]);
		await register();
		const head = await cp.controlPlane.services.store.headSeq();
		await until(
			() => edgeStatus("ahead").acknowledgedSeq === head,
			"acknowledged",
		);
		expect(edgeStatus("ahead").pushes).toEqual({
			ok: 0,
			replayed: 1,
			failed: 0,
		});
	});

	it("never holds the write for a slow edge", async () => {
		const edge = await startFakeEdge(() => "hold");
		await cp.controlPlane.services.edgeSync.setEdges([
			{ id: "slow", url: edge.url },
		]);
		await register();
		await until(() => edge.pushes.length === 1, "the push arrived");
		// The registration returned while its push is still unanswered.
		expect(edge.held).toHaveLength(1);
		expect(edgeStatus("slow").sequencesBehind).toBe(1);
	});
});

describe("retryDelay", () => {
	it("grows exponentially up to the cap", () => {
		const low = () => 0;
		const high = () => 1;
		expect(retryDelay(1, low)).toBe(125);
		expect(retryDelay(1, high)).toBe(250);
		expect(retryDelay(3, high)).toBe(1000);
		expect(retryDelay(30, high)).toBe(30_000);
		expect(retryDelay(30, low)).toBe(15_000);
	});
});

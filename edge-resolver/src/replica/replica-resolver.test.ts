import { decodeRecord } from "@ans/shared/records";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
	type EdgeTestStack,
	sleep,
	startEdgeTestStack,
} from "../testing/edge-test-stack.ts";

// Freshness and outage behaviour with a 2 s TTL, so the bounds can be
// observed without waiting a minute.

const TTL_MS = 2_000;

async function endpointOf(response: Response): Promise<string | undefined> {
	const body = (await response.json()) as { record: string };
	return decodeRecord(body.record).payload.endpoints[0]?.url;
}

describe("replica freshness with pushes dropped", () => {
	let stack: EdgeTestStack;

	beforeAll(async () => {
		stack = await startEdgeTestStack({
			edgeCount: 1,
			// The alarm stays out of the way, so only the TTL ends the old answer.
			settings: {
				ANS_CACHE_TTL_SECONDS: String(TTL_MS / 1000),
				ANS_SYNC_INTERVAL_SECONDS: "30",
			},
		});
	});

	afterAll(async () => {
		await stack?.stop();
	});

	it("serves the old record at most one TTL", async () => {
		const [edge] = stack.edges;
		if (edge === undefined) {
			throw new Error("no edge");
		}
		const agent = await stack.register("ttlBound");
		await stack.waitForPushes();
		await stack.setPushing(false);

		// A request right before the change leaves a freshly synced replica.
		const warm = await stack.resolve(edge, agent.name);
		expect(await endpointOf(warm)).toBe(
			"https://agents.example.com/ttlBound/1.0.0",
		);
		await stack.admin("PATCH", `/v1/agents/${agent.id}`, {
			endpoints: [{ protocol: "a2a", url: "https://agents.example.com/new" }],
		});
		const committedAt = Date.now();

		const old = await stack.resolve(edge, agent.name);
		expect(old.headers.get("x-ans-cache")).toBe("hit");
		expect(await endpointOf(old)).toBe(
			"https://agents.example.com/ttlBound/1.0.0",
		);

		// Every answer served after the commit is either the old one within
		// the TTL of the commit or the new one. Bounded: 40 polls of 100 ms.
		let sawNew = false;
		for (let poll = 0; poll < 40 && !sawNew; poll += 1) {
			const startedAt = Date.now();
			const response = await stack.resolve(edge, agent.name);
			const endpoint = await endpointOf(response);
			if (endpoint === "https://agents.example.com/new") {
				sawNew = true;
			} else {
				expect(startedAt - committedAt).toBeLessThan(TTL_MS);
			}
			await sleep(100);
		}
		expect(sawNew).toBe(true);
	});

	it("catches up on the alarm without requests", async () => {
		const fast = await startEdgeTestStack({
			edgeCount: 1,
			settings: {
				ANS_CACHE_TTL_SECONDS: String(TTL_MS / 1000),
				ANS_SYNC_INTERVAL_SECONDS: "1",
			},
		});
		try {
			const [edge] = fast.edges;
			if (edge === undefined) {
				throw new Error("no edge");
			}
			await fast.register("alarmFirst");
			await fast.waitForPushes();
			await fast.waitForBootstrap();
			await fast.setPushing(false);
			await fast.register("alarmSecond");
			const head = await fast.cp.controlPlane.services.store.headSeq();
			expect((await fast.replicaStatus(edge)).appliedSeq).toBeLessThan(head);

			// /health reads the replica state without pulling. Bounded: 50 polls of 100 ms.
			let applied = 0;
			for (let poll = 0; poll < 50 && applied < head; poll += 1) {
				await sleep(100);
				applied = (await fast.replicaStatus(edge)).appliedSeq;
			}
			expect(applied).toBe(head);
		} finally {
			await fast.stop();
		}
	});
});

describe("replica with the control plane stopped", () => {
	let stack: EdgeTestStack;

	beforeAll(async () => {
		stack = await startEdgeTestStack({
			edgeCount: 1,
			settings: {
				ANS_CACHE_TTL_SECONDS: String(TTL_MS / 1000),
				ANS_SYNC_INTERVAL_SECONDS: "30",
			},
		});
	});

	afterAll(async () => {
		await stack?.stop();
	});

	it("serves hits, then stale, and 503 for misses", async () => {
		const [edge] = stack.edges;
		if (edge === undefined) {
			throw new Error("no edge");
		}
		const agent = await stack.register("outage");
		await stack.waitForPushes();
		await stack.waitForBootstrap();
		const fresh = await stack.resolve(edge, agent.name);
		expect(fresh.status).toBe(200);
		const etag = fresh.headers.get("etag");

		await stack.stopControlPlane();

		const hit = await stack.resolve(edge, agent.name);
		expect(hit.status).toBe(200);
		expect(hit.headers.get("etag")).toBe(etag);
		expect(hit.headers.get("x-ans-cache")).toBe("hit");

		const miss = await stack.resolve(
			edge,
			"a2a://neverSeen.edgeTesting.Example",
		);
		expect(miss.status).toBe(503);
		expect(miss.headers.get("cache-control")).toBe("no-store");
		const error = (await miss.json()) as { error: { code: string } };
		expect(error.error.code).toBe("ORIGIN_UNAVAILABLE");

		await sleep(TTL_MS + 200);
		const stale = await stack.resolve(edge, agent.name);
		expect(stale.status).toBe(200);
		expect(stale.headers.get("x-ans-cache")).toBe("stale");
		expect(stale.headers.get("cache-control")).toBe("public, max-age=0");
		expect(Number(stale.headers.get("age"))).toBeGreaterThanOrEqual(
			TTL_MS / 1000,
		);
		expect(stale.headers.get("etag")).toBe(etag);
	});
});

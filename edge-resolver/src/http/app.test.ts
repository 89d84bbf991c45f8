import { createHash } from "node:crypto";
import type { ChangeEvent } from "@ans/shared/change-feed";
import { createCsr, generateAgentKeyPair } from "@ans/shared/keys";
import { decodeRecord } from "@ans/shared/records";
import { verifyResolution } from "@ans/shared/verification";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signPush } from "../../../control-plane/src/edge-sync/push-token.ts";
import {
	type EdgeTestStack,
	startEdgeTestStack,
} from "../testing/edge-test-stack.ts";

// Two edges in workerd (Miniflare) against a real control plane; pushes on
// unless a test turns them off.

let stack: EdgeTestStack;

beforeAll(async () => {
	stack = await startEdgeTestStack({
		// Long enough that no alarm pull runs during a test, so every change
		// an edge shows arrived by push or by a request's own pull.
		settings: { ANS_SYNC_INTERVAL_SECONDS: "30" },
	});
	await stack.register("bootstrap");
	await stack.waitForPushes();
	await stack.waitForBootstrap();
});

afterAll(async () => {
	await stack?.stop();
});

function edge(index: number) {
	const found = stack.edges[index];
	if (found === undefined) {
		throw new Error(`no edge ${index}`);
	}
	return found;
}

async function recordOf(response: Response): Promise<{
	status: string;
	version: string;
	endpoint: string | undefined;
	seq: number;
}> {
	const body = (await response.json()) as { record: string };
	const { payload } = decodeRecord(body.record);
	return {
		status: payload.status,
		version: payload.version,
		endpoint: payload.endpoints[0]?.url,
		seq: payload.seq,
	};
}

async function originBody(name: string, range?: string): Promise<Response> {
	const url = new URL(`${stack.cp.url}/v1/resolve`);
	url.searchParams.set("name", name);
	if (range !== undefined) {
		url.searchParams.set("range", range);
	}
	return fetch(url);
}

async function pushTo(
	index: number,
	body: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
	const response = await fetch(`${edge(index).url}/internal/changes`, {
		method: "POST",
		body,
	});
	return {
		status: response.status,
		body: (await response.json()) as Record<string, unknown>,
	};
}

/**
 * Signs a push of `changes` with the control plane's push key and the
 * given `iat` and `exp` (epoch seconds), which `signPush` always sets 60 s
 * apart.
 */
function signPushWithTimes(
	audience: string,
	changes: ChangeEvent[],
	times: { iat: number; exp: number },
): Promise<string> {
	const key = stack.cp.controlPlane.services.pushKeys.signingKey;
	const last = changes.at(-1);
	return new SignJWT({
		typ: "ans-push",
		from: changes[0]?.seq,
		to: last?.seq,
		head: last?.seq,
		changes,
	})
		.setProtectedHeader({ alg: "ES256", kid: key.kid, typ: "ans-push+jws" })
		.setIssuer(stack.cp.url)
		.setAudience(audience)
		.setIssuedAt(times.iat)
		.setExpirationTime(times.exp)
		.sign(key.privateKey);
}

/** Parses the edges' JSON log lines, skipping workerd's own plain lines. */
function edgeLogLines(): Record<string, unknown>[] {
	const lines: Record<string, unknown>[] = [];
	for (const line of stack.edgeLogs) {
		try {
			lines.push(JSON.parse(line) as Record<string, unknown>);
		} catch {
			// A plain line from workerd itself.
		}
	}
	return lines;
}

async function changesAfter(seq: number): Promise<ChangeEvent[]> {
	const response = await fetch(`${stack.cp.url}/v1/changes?after=${seq}`);
	return ((await response.json()) as { changes: ChangeEvent[] }).changes;
}

describe("edge resolution", () => {
	it("serves a pushed record from the replica, then the isolate", async () => {
		const agent = await stack.register("hitPath");
		await stack.waitForPushes();

		const first = await stack.resolve(edge(0), agent.name);
		expect(first.status).toBe(200);
		expect(first.headers.get("x-ans-cache")).toBe("hit");
		expect(first.headers.get("x-ans-cache-layer")).toBe("replica");
		expect(first.headers.get("cache-control")).toMatch(/^public, max-age=\d+$/);
		expect(Number(first.headers.get("age"))).toBeGreaterThanOrEqual(0);

		const second = await stack.resolve(edge(0), agent.name);
		expect(second.status).toBe(200);
		expect(second.headers.get("x-ans-cache")).toBe("hit");
		expect(second.headers.get("x-ans-cache-layer")).toBe("isolate");
		expect(second.headers.get("etag")).toBe(first.headers.get("etag"));
	});

	it("fetches a version the replica lacks from the origin", async () => {
		await stack.setPushing(false);
		try {
			const agent = await stack.register("missPath");
			const miss = await stack.resolve(edge(0), agent.name);
			expect(miss.status).toBe(200);
			expect(miss.headers.get("x-ans-cache")).toBe("miss");
			expect(miss.headers.get("x-ans-cache-layer")).toBe("origin");
			expect((await recordOf(miss)).version).toBe("1.0.0");

			const hit = await stack.resolve(edge(0), agent.name);
			expect(hit.headers.get("x-ans-cache")).toBe("hit");
		} finally {
			await stack.setPushing(true);
		}
	});

	it("caches a not-found answer from the origin", async () => {
		const name = "a2a://neverRegistered.edgeTesting.Example";
		const miss = await stack.resolve(edge(1), name);
		expect(miss.status).toBe(404);
		expect(miss.headers.get("x-ans-cache")).toBe("miss");
		const body = (await miss.json()) as { error: { code: string } };
		expect(body.error.code).toBe("NAME_NOT_FOUND");
		expect(miss.headers.get("cache-control")).toMatch(/^public, max-age=\d+$/);

		const hit = await stack.resolve(edge(1), name);
		expect(hit.status).toBe(404);
		expect(hit.headers.get("x-ans-cache")).toBe("hit");
	});

	it("answers If-None-Match with 304 and the same ETag on both edges", async () => {
		const agent = await stack.register("etagPath");
		await stack.waitForPushes();
		const first = await stack.resolve(edge(0), agent.name);
		const etag = first.headers.get("etag");
		expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);

		const other = await stack.resolve(edge(1), agent.name);
		expect(other.headers.get("etag")).toBe(etag);

		const notModified = await stack.resolve(edge(0), agent.name, {
			headers: { "if-none-match": etag ?? "" },
		});
		expect(notModified.status).toBe(304);
		expect(await notModified.text()).toBe("");
		expect(notModified.headers.get("etag")).toBe(etag);
		expect(notModified.headers.get("x-ans-cache")).toBe("hit");

		const changed = await stack.resolve(edge(0), agent.name, {
			headers: { "if-none-match": '"another-tag"' },
		});
		expect(changed.status).toBe(200);
	});

	it("serves the origin's exact bytes", async () => {
		const agent = await stack.register("sameBytes");
		await stack.waitForPushes();
		const origin = await (await originBody(agent.baseName, "^1")).text();
		for (const index of [0, 1]) {
			const response = await stack.resolve(edge(index), agent.baseName, {
				range: "^1",
			});
			const text = await response.text();
			expect(text).toBe(origin);
			const digest = createHash("sha256").update(text).digest("base64url");
			expect(response.headers.get("etag")).toBe(`"${digest}"`);
		}
	});

	it("serves a record that verifies offline", async () => {
		const agent = await stack.register("verified");
		await stack.waitForPushes();
		const jwks = await (
			await fetch(`${stack.cp.url}/.well-known/jwks.json`)
		).json();
		const ca = (await (
			await fetch(`${stack.cp.url}/v1/ca/certificates`)
		).json()) as { root: string };
		for (const index of [0, 1]) {
			const response = await stack.resolve(edge(index), agent.name);
			const answer = (await response.json()) as {
				record: string;
				certificate: string;
				chain: string[];
			};
			const verified = await verifyResolution(answer, {
				jwks: jwks as { keys: JsonWebKey[] },
				trustAnchors: [ca.root],
				expectedName: agent.name,
			});
			expect(verified.payload.name).toBe(agent.name);
		}
	});

	it("rejects bad queries with the origin's codes", async () => {
		const agent = await stack.register("badQueries");
		await stack.waitForPushes();
		const cases: { name?: string; range?: string }[] = [
			{},
			{ name: "" },
			{ name: "not a name" },
			{ name: agent.baseName, range: "not a range" },
			{ name: agent.name, range: "^1" },
			{ name: "a".repeat(301) },
		];
		for (const query of cases) {
			const edgeUrl = new URL(`${edge(0).url}/v1/resolve`);
			const originUrl = new URL(`${stack.cp.url}/v1/resolve`);
			for (const url of [edgeUrl, originUrl]) {
				if (query.name !== undefined) {
					url.searchParams.set("name", query.name);
				}
				if (query.range !== undefined) {
					url.searchParams.set("range", query.range);
				}
			}
			const atEdge = await fetch(edgeUrl);
			const atOrigin = await fetch(originUrl);
			const edgeError = (await atEdge.json()) as { error: { code: string } };
			const originError = (await atOrigin.json()) as {
				error: { code: string };
			};
			expect({ query, status: atEdge.status }).toEqual({
				query,
				status: atOrigin.status,
			});
			expect({ query, code: edgeError.error.code }).toEqual({
				query,
				code: originError.error.code,
			});
		}
	});
});

describe("edge query parameters", () => {
	async function errorAt(query: string): Promise<{
		status: number;
		error: { code: string; field?: string; message: string };
	}> {
		const response = await fetch(`${edge(0).url}/v1/resolve?${query}`);
		const body = (await response.json()) as {
			error: { code: string; field?: string; message: string };
		};
		return { status: response.status, error: body.error };
	}

	it("rejects a repeated name", async () => {
		const name = encodeURIComponent("a2a://repeated.edgeTesting.Example");
		const reply = await errorAt(`name=${name}&name=${name}`);
		expect(reply.status).toBe(400);
		expect(reply.error).toEqual({
			code: "FIELD_REPEATED",
			field: "name",
			message: "name was given more than once; give it once",
		});
	});

	it("rejects a repeated range", async () => {
		const name = encodeURIComponent("a2a://repeated.edgeTesting.Example");
		const reply = await errorAt(`name=${name}&range=%5E1&range=%5E2`);
		expect(reply.status).toBe(400);
		expect(reply.error).toEqual({
			code: "FIELD_REPEATED",
			field: "range",
			message: "range was given more than once; give it once",
		});
	});

	it("rejects an over-long name", async () => {
		const reply = await errorAt(`name=${"a".repeat(301)}`);
		expect(reply.status).toBe(400);
		expect(reply.error).toEqual({
			code: "FIELD_INVALID",
			field: "name",
			message: "name must be at most 300 characters, got 301",
		});
	});
});

describe("edge propagation", () => {
	it("serves a newly registered higher version on both edges", async () => {
		const first = await stack.register("upgrade", "1.0.0");
		await stack.waitForPushes();
		for (const index of [0, 1]) {
			const before = await stack.resolve(edge(index), first.baseName, {
				range: "^1",
			});
			expect((await recordOf(before)).version).toBe("1.0.0");
		}

		await stack.register("upgrade", "1.1.0");
		await stack.waitForPushes();
		for (const index of [0, 1]) {
			const after = await stack.resolve(edge(index), first.baseName, {
				range: "^1",
			});
			expect(after.status).toBe(200);
			expect((await recordOf(after)).version).toBe("1.1.0");
		}
	});

	it("serves an endpoint update on both edges", async () => {
		const agent = await stack.register("update");
		await stack.waitForPushes();
		for (const index of [0, 1]) {
			await stack.resolve(edge(index), agent.name);
		}

		await stack.admin("PATCH", `/v1/agents/${agent.id}`, {
			endpoints: [{ protocol: "a2a", url: "https://agents.example.com/moved" }],
		});
		await stack.waitForPushes();
		for (const index of [0, 1]) {
			const response = await stack.resolve(edge(index), agent.name);
			expect(response.status).toBe(200);
			expect((await recordOf(response)).endpoint).toBe(
				"https://agents.example.com/moved",
			);
		}
	});

	it("serves a revocation tombstone on both edges", async () => {
		const agent = await stack.register("revoke");
		await stack.waitForPushes();
		for (const index of [0, 1]) {
			expect((await stack.resolve(edge(index), agent.name)).status).toBe(200);
		}

		await stack.admin("POST", `/v1/agents/${agent.id}/revoke`, {
			reason: "keyCompromise",
		});
		await stack.waitForPushes();
		for (const index of [0, 1]) {
			const response = await stack.resolve(edge(index), agent.name);
			expect(response.status).toBe(410);
			const body = (await response.clone().json()) as {
				error: { code: string };
			};
			expect(body.error.code).toBe("AGENT_REVOKED");
			expect((await recordOf(response)).status).toBe("revoked");
		}
	});
});

describe("edge lifecycle propagation", () => {
	it("serves a renewed certificate on both edges", async () => {
		const agent = await stack.register("renew");
		await stack.waitForPushes();
		const before = (await (
			await stack.resolve(edge(0), agent.name)
		).json()) as {
			certificate: string;
		};

		const keys = await generateAgentKeyPair("P-256");
		const renewed = (await stack.admin("POST", `/v1/agents/${agent.id}/renew`, {
			csr: await createCsr({
				keys,
				canonicalName: agent.name,
				agentId: "renew",
			}),
		})) as { certificate: string };
		expect(renewed.certificate).not.toBe(before.certificate);
		await stack.waitForPushes();
		for (const index of [0, 1]) {
			const response = await stack.resolve(edge(index), agent.name);
			expect(response.status).toBe(200);
			const body = (await response.json()) as { certificate: string };
			expect(body.certificate).toBe(renewed.certificate);
		}
	});

	it("serves a deregistration tombstone on both edges", async () => {
		const agent = await stack.register("deregister");
		await stack.waitForPushes();
		for (const index of [0, 1]) {
			expect((await stack.resolve(edge(index), agent.name)).status).toBe(200);
		}

		await stack.admin("DELETE", `/v1/agents/${agent.id}`);
		await stack.waitForPushes();
		for (const index of [0, 1]) {
			const response = await stack.resolve(edge(index), agent.name);
			expect(response.status).toBe(410);
			const body = (await response.clone().json()) as {
				error: { code: string };
			};
			expect(body.error.code).toBe("AGENT_DEREGISTERED");
			expect((await recordOf(response)).status).toBe("deregistered");
		}
	});
});

describe("edge push endpoint", () => {
	async function forgedChange(): Promise<{
		agentName: string;
		change: ChangeEvent;
		appliedSeq: number;
	}> {
		const agent = await stack.register(`forged${Date.now()}`);
		await stack.waitForPushes();
		await stack.resolve(edge(0), agent.name);
		const head = await stack.cp.controlPlane.services.store.headSeq();
		const [latest] = await changesAfter(head - 1);
		if (latest === undefined) {
			throw new Error("no change at the head");
		}
		// A change that would turn the agent into a revoked one if applied.
		const change = { ...latest, seq: head + 1, status: "revoked" };
		const appliedSeq = (await stack.replicaStatus(edge(0))).appliedSeq;
		return { agentName: agent.name, change, appliedSeq };
	}

	async function expectUnchanged(agentName: string, appliedSeq: number) {
		expect((await stack.replicaStatus(edge(0))).appliedSeq).toBe(appliedSeq);
		const response = await stack.resolve(edge(0), agentName);
		expect(response.status).toBe(200);
		expect((await recordOf(response)).status).toBe("active");
	}

	it("rejects a push signed by an unpinned key", async () => {
		const { agentName, change, appliedSeq } = await forgedChange();
		const keys = (await crypto.subtle.generateKey(
			{ name: "ECDSA", namedCurve: "P-256" },
			true,
			["sign", "verify"],
		)) as CryptoKeyPair;
		const pinnedKid = stack.pushJwks.keys[0]?.kid ?? "";
		const jws = await signPush(
			{
				issuer: stack.cp.url,
				audience: edge(0).id,
				head: change.seq,
				changes: [change],
			},
			{ kid: pinnedKid, privateKey: keys.privateKey },
		);
		const reply = await pushTo(0, jws);
		expect(reply.status).toBe(401);
		expect(reply.body).toMatchObject({
			error: { code: "PUSH_SIGNATURE_INVALID" },
		});
		await expectUnchanged(agentName, appliedSeq);
	});

	it("rejects an unsigned push", async () => {
		const { agentName, change, appliedSeq } = await forgedChange();
		const encode = (value: unknown) =>
			Buffer.from(JSON.stringify(value)).toString("base64url");
		const now = Math.floor(Date.now() / 1000);
		const unsigned = `${encode({ alg: "none", typ: "ans-push+jws" })}.${encode({
			typ: "ans-push",
			aud: edge(0).id,
			iat: now,
			exp: now + 60,
			from: change.seq,
			to: change.seq,
			head: change.seq,
			changes: [change],
		})}.`;
		const reply = await pushTo(0, unsigned);
		expect(reply.status).toBe(401);
		expect(reply.body).toMatchObject({
			error: { code: "PUSH_SIGNATURE_INVALID" },
		});
		await expectUnchanged(agentName, appliedSeq);
	});

	it("rejects an expired push", async () => {
		const { agentName, change, appliedSeq } = await forgedChange();
		const jws = await signPush(
			{
				issuer: stack.cp.url,
				audience: edge(0).id,
				head: change.seq,
				changes: [change],
			},
			stack.cp.controlPlane.services.pushKeys.signingKey,
			Date.now() - 5 * 60_000,
		);
		const reply = await pushTo(0, jws);
		expect(reply.status).toBe(401);
		expect(reply.body).toMatchObject({ error: { code: "PUSH_EXPIRED" } });
		await expectUnchanged(agentName, appliedSeq);
	});

	it("rejects a push valid for ten years", async () => {
		const { agentName, change, appliedSeq } = await forgedChange();
		const iat = Math.floor(Date.now() / 1000);
		const jws = await signPushWithTimes(edge(0).id, [change], {
			iat,
			exp: iat + 10 * 365 * 86_400,
		});
		const reply = await pushTo(0, jws);
		expect(reply.status).toBe(401);
		expect(reply.body).toMatchObject({ error: { code: "PUSH_MALFORMED" } });
		await expectUnchanged(agentName, appliedSeq);
	});

	it("rejects a push issued an hour ahead", async () => {
		const { agentName, change, appliedSeq } = await forgedChange();
		const iat = Math.floor(Date.now() / 1000) + 3600;
		const jws = await signPushWithTimes(edge(0).id, [change], {
			iat,
			exp: iat + 60,
		});
		const reply = await pushTo(0, jws);
		expect(reply.status).toBe(401);
		expect(reply.body).toMatchObject({
			error: { code: "PUSH_NOT_YET_VALID" },
		});
		await expectUnchanged(agentName, appliedSeq);
	});

	it("logs one line per rejection code and minute", async () => {
		// Edge 2 receives no other rejected push in this file, so its
		// throttle starts empty.
		const { change } = await forgedChange();
		const iat = Math.floor(Date.now() / 1000) + 3600;
		const early = await signPushWithTimes(edge(1).id, [change], {
			iat,
			exp: iat + 60,
		});
		for (let attempt = 0; attempt < 3; attempt += 1) {
			expect((await pushTo(1, early)).status).toBe(401);
		}
		// workerd writes a worker's lines in order, so once this later
		// rejection is logged, every line before it is in edgeLogs too.
		const misaddressed = await signPush(
			{
				issuer: stack.cp.url,
				audience: edge(0).id,
				head: change.seq,
				changes: [change],
			},
			stack.cp.controlPlane.services.pushKeys.signingKey,
		);
		expect((await pushTo(1, misaddressed)).status).toBe(401);

		const rejectedAtEdge2 = (code: string) =>
			edgeLogLines().filter(
				(line) =>
					line.msg === "push rejected" &&
					line.edgeId === edge(1).id &&
					line.code === code,
			);
		// Bounded: 100 polls of 20 ms for workerd's output to arrive.
		for (
			let poll = 0;
			poll < 100 && rejectedAtEdge2("PUSH_AUDIENCE_INVALID").length === 0;
			poll += 1
		) {
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
		expect(rejectedAtEdge2("PUSH_AUDIENCE_INVALID")).toHaveLength(1);
		const earlyLines = rejectedAtEdge2("PUSH_NOT_YET_VALID");
		expect(earlyLines).toHaveLength(1);
		expect(earlyLines[0]?.suppressed).toBe(0);
		expect(earlyLines[0]?.level).toBe(40);
	});

	it("rejects a push for another edge", async () => {
		const { agentName, change, appliedSeq } = await forgedChange();
		const jws = await signPush(
			{
				issuer: stack.cp.url,
				audience: edge(1).id,
				head: change.seq,
				changes: [change],
			},
			stack.cp.controlPlane.services.pushKeys.signingKey,
		);
		const reply = await pushTo(0, jws);
		expect(reply.status).toBe(401);
		expect(reply.body).toMatchObject({
			error: { code: "PUSH_AUDIENCE_INVALID" },
		});
		await expectUnchanged(agentName, appliedSeq);
	});

	it("rejects a replayed push with 409 and the applied sequence", async () => {
		const { agentName, change, appliedSeq } = await forgedChange();
		// Correctly signed, but for a sequence the edge already applied.
		const old = { ...change, seq: appliedSeq };
		const jws = await signPush(
			{
				issuer: stack.cp.url,
				audience: edge(0).id,
				head: appliedSeq,
				changes: [old],
			},
			stack.cp.controlPlane.services.pushKeys.signingKey,
		);
		const reply = await pushTo(0, jws);
		expect(reply.status).toBe(409);
		expect(reply.body).toMatchObject({
			error: { code: "PUSH_REPLAYED" },
			appliedSeq,
		});
		await expectUnchanged(agentName, appliedSeq);
	});

	it("rejects a push with a malformed payload", async () => {
		const { agentName, change, appliedSeq } = await forgedChange();
		const jws = await signPush(
			{
				issuer: stack.cp.url,
				audience: edge(0).id,
				head: change.seq,
				changes: [
					{ ...change, chain: "not an array" } as unknown as ChangeEvent,
				],
			},
			stack.cp.controlPlane.services.pushKeys.signingKey,
		);
		const reply = await pushTo(0, jws);
		expect(reply.status).toBe(401);
		expect(reply.body).toMatchObject({ error: { code: "PUSH_MALFORMED" } });
		await expectUnchanged(agentName, appliedSeq);
	});

	it("pulls the feed when a push skips sequences", async () => {
		await stack.setPushing(false);
		try {
			const skipped = await stack.register("gapSkipped");
			const last = await stack.register("gapLast");
			const head = await stack.cp.controlPlane.services.store.headSeq();
			const before = (await stack.replicaStatus(edge(0))).appliedSeq;
			expect(before).toBeLessThan(head - 1);

			const [lastChange] = await changesAfter(head - 1);
			if (lastChange === undefined) {
				throw new Error("no change at the head");
			}
			const jws = await signPush(
				{
					issuer: stack.cp.url,
					audience: edge(0).id,
					head,
					changes: [lastChange],
				},
				stack.cp.controlPlane.services.pushKeys.signingKey,
			);
			const reply = await pushTo(0, jws);
			expect(reply.status).toBe(200);
			expect(reply.body).toEqual({ appliedSeq: head, pulled: true });

			for (const agent of [skipped, last]) {
				const response = await stack.resolve(edge(0), agent.name);
				expect(response.status).toBe(200);
				expect(response.headers.get("x-ans-cache-layer")).not.toBe("origin");
			}
		} finally {
			await stack.setPushing(true);
		}
	});
});

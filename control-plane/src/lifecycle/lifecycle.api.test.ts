import { createCsr, generateAgentKeyPair } from "@ans/shared/keys";
import { createPossessionProof } from "@ans/shared/possession";
import { decodeRecord } from "@ans/shared/records";
import { verifyResolution } from "@ans/shared/verification";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerTestAgent, type TestAgent } from "../testing/test-agents.ts";
import {
	startTestControlPlane,
	type TestControlPlane,
} from "../testing/test-control-plane.ts";

let cp: TestControlPlane;
let counter = 0;

beforeAll(async () => {
	cp = await startTestControlPlane();
});

afterAll(async () => {
	await cp.stop();
});

async function registerAgent(): Promise<TestAgent> {
	counter += 1;
	return registerTestAgent(cp, { label: `lifecycle${counter}` });
}

async function call(
	method: string,
	path: string,
	body: unknown,
	auth: {
		token?: string;
		key?: CryptoKey;
		now?: Date;
		jti?: string;
		proofPath?: string;
	} = { token: cp.adminToken },
): Promise<Response> {
	const text = body === undefined ? undefined : JSON.stringify(body);
	const headers: Record<string, string> = {};
	if (text !== undefined) {
		headers["content-type"] = "application/json";
	}
	if (auth.token !== undefined) {
		headers.authorization = `Bearer ${auth.token}`;
	}
	if (auth.key !== undefined) {
		const proof = await createPossessionProof({
			privateKey: auth.key,
			method,
			path: auth.proofPath ?? path,
			body: text,
			...(auth.now === undefined ? {} : { now: auth.now }),
			...(auth.jti === undefined ? {} : { jti: auth.jti }),
		});
		headers.authorization = `ANS-PoP ${proof}`;
	}
	return fetch(`${cp.url}${path}`, {
		method,
		headers,
		...(text === undefined ? {} : { body: text }),
	});
}

async function errorCode(response: Response): Promise<string> {
	return ((await response.json()) as { error: { code: string } }).error.code;
}

async function resolve(name: string): Promise<Response> {
	return fetch(`${cp.url}/v1/resolve?name=${encodeURIComponent(name)}`);
}

describe("agent lifecycle API", () => {
	it("updates endpoints with the agent's own proof", async () => {
		const agent = await registerAgent();
		const headBefore = await cp.controlPlane.services.store.headSeq();
		const response = await call(
			"PATCH",
			`/v1/agents/${agent.id}`,
			{
				endpoints: [{ protocol: "a2a", url: "https://agents.example.com/v2" }],
			},
			{ key: agent.keys.privateKey },
		);
		expect(response.status).toBe(200);
		expect(await cp.controlPlane.services.store.headSeq()).toBe(headBefore + 1);

		const answer = (await (await resolve(agent.name)).json()) as {
			record: string;
		};
		const { payload } = decodeRecord(answer.record);
		expect(payload.endpoints[0]?.url).toBe("https://agents.example.com/v2");
		expect(payload.seq).toBe(headBefore + 1);
	});

	it("renews with a new key and rejects proofs from the old one", async () => {
		const agent = await registerAgent();
		const newKeys = await generateAgentKeyPair("Ed25519");
		const csr = await createCsr({
			keys: newKeys,
			canonicalName: agent.name.toLowerCase(),
			agentId: "renewed",
		});
		const renewed = await call(
			"POST",
			`/v1/agents/${agent.id}/renew`,
			{ csr },
			{ key: agent.keys.privateKey },
		);
		expect(renewed.status).toBe(200);
		const body = (await renewed.json()) as {
			certificate: string;
			status: string;
		};
		expect(body.status).toBe("active");

		const oldKey = await call(
			"PATCH",
			`/v1/agents/${agent.id}`,
			{
				endpoints: [
					{ protocol: "a2a", url: "https://agents.example.com/renewed" },
				],
			},
			{ key: agent.keys.privateKey },
		);
		expect(oldKey.status).toBe(401);
		expect(await errorCode(oldKey)).toBe("PROOF_SIGNATURE_INVALID");
		const newKey = await call(
			"PATCH",
			`/v1/agents/${agent.id}`,
			{
				endpoints: [
					{ protocol: "a2a", url: "https://agents.example.com/renewed" },
				],
			},
			{ key: newKeys.privateKey },
		);
		expect(newKey.status).toBe(200);

		const certificates =
			await cp.controlPlane.services.store.listCertificatesForAgent(agent.id);
		expect(certificates).toHaveLength(2);
		expect(certificates[0]?.revocationReason).toBe("superseded");
		expect(certificates[1]?.revokedAt).toBeNull();
	});

	it("revokes and then answers 410 with a verifiable tombstone", async () => {
		const agent = await registerAgent();
		const revoked = await call("POST", `/v1/agents/${agent.id}/revoke`, {
			reason: "keyCompromise",
		});
		expect(revoked.status).toBe(200);

		const response = await resolve(agent.name);
		expect(response.status).toBe(410);
		const body = (await response.json()) as {
			record: string;
			certificate: string;
			chain: string[];
			error: { code: string };
		};
		expect(body.error.code).toBe("AGENT_REVOKED");
		const jwks = await (await fetch(`${cp.url}/.well-known/jwks.json`)).json();
		const ca = (await (await fetch(`${cp.url}/v1/ca/certificates`)).json()) as {
			root: string;
		};
		const verified = await verifyResolution(body, {
			jwks,
			trustAnchors: [ca.root],
		});
		expect(verified.payload.status).toBe("revoked");
		expect(verified.payload.revocation?.reason).toBe("keyCompromise");
	});

	it("deregisters and answers 410 for the highest matching version", async () => {
		const agent = await registerAgent();
		const response = await call("DELETE", `/v1/agents/${agent.id}`, undefined);
		expect(response.status).toBe(200);
		const base = agent.name.replace(/\.v1\.0\.0$/, "");
		const gone = await fetch(
			`${cp.url}/v1/resolve?name=${encodeURIComponent(base)}&range=%5E1`,
		);
		expect(gone.status).toBe(410);
		expect(await errorCode(gone)).toBe("AGENT_DEREGISTERED");
		const never = await fetch(
			`${cp.url}/v1/resolve?name=${encodeURIComponent(base)}&range=%5E2`,
		);
		expect(never.status).toBe(404);
		expect(await errorCode(never)).toBe("VERSION_NOT_FOUND");
	});

	it.each([
		["revoke", "POST", "/revoke", { reason: "unspecified" }],
		["deregister", "DELETE", "", undefined],
		[
			"update",
			"PATCH",
			"",
			{
				endpoints: [
					{ protocol: "a2a", url: "https://agents.example.com/renewed" },
				],
			},
		],
		["renew", "POST", "/renew", "csr"],
	])(
		"rejects %s of a revoked agent with 409",
		async (_action, method, suffix, body) => {
			const agent = await registerAgent();
			expect(
				(await call("POST", `/v1/agents/${agent.id}/revoke`, {})).status,
			).toBe(200);
			const headBefore = await cp.controlPlane.services.store.headSeq();
			const payload =
				body === "csr"
					? {
							csr: await createCsr({
								keys: await generateAgentKeyPair(),
								canonicalName: agent.name.toLowerCase(),
								agentId: "x",
							}),
						}
					: body;
			const response = await call(
				method,
				`/v1/agents/${agent.id}${suffix}`,
				payload,
			);
			expect(response.status).toBe(409);
			expect(await errorCode(response)).toBe("LIFECYCLE_TRANSITION_INVALID");
			expect(await cp.controlPlane.services.store.headSeq()).toBe(headBefore);
		},
	);

	it.each([
		["revoke", "POST", "/revoke", {}],
		[
			"update",
			"PATCH",
			"",
			{
				endpoints: [
					{ protocol: "a2a", url: "https://agents.example.com/renewed" },
				],
			},
		],
	])(
		"rejects %s of a deregistered agent with 409",
		async (_action, method, suffix, body) => {
			const agent = await registerAgent();
			expect(
				(await call("DELETE", `/v1/agents/${agent.id}`, undefined)).status,
			).toBe(200);
			const response = await call(
				method,
				`/v1/agents/${agent.id}${suffix}`,
				body,
			);
			expect(response.status).toBe(409);
			expect(await errorCode(response)).toBe("LIFECYCLE_TRANSITION_INVALID");
		},
	);

	it("keeps request endpoints when only the document changes", async () => {
		const name = "a2a://cardUpdate.testing.Example.v1.0.0";
		const keys = await generateAgentKeyPair();
		const card = (url: string) => ({
			name: "Card update",
			description: "Agent whose card changes",
			url,
			version: "1.0.0",
			capabilities: {},
			defaultInputModes: ["text/plain"],
			defaultOutputModes: ["text/plain"],
			skills: [
				{ id: "echo", name: "Echo", description: "Echoes", tags: ["echo"] },
			],
		});
		const registered = await fetch(`${cp.url}/v1/agents`, {
			method: "POST",
			headers: {
				authorization: `Bearer ${cp.adminToken}`,
				"content-type": "application/json",
			},
			body: JSON.stringify({
				name,
				endpoints: [
					{ protocol: "a2a", url: "https://explicit.example.com/a2a" },
				],
				metadata: card("https://card-v1.example.com/a2a"),
				csr: await createCsr({
					keys,
					canonicalName: name.toLowerCase(),
					agentId: "cardUpdate",
				}),
			}),
		});
		expect(registered.status).toBe(201);
		const { id } = (await registered.json()) as { id: string };

		const updated = await call("PATCH", `/v1/agents/${id}`, {
			metadata: card("https://card-v2.example.com/a2a"),
		});
		expect(updated.status).toBe(200);
		const { payload } = decodeRecord(
			((await updated.json()) as { record: string }).record,
		);
		expect(payload.endpoints.map((endpoint) => endpoint.url)).toEqual([
			"https://explicit.example.com/a2a",
			"https://card-v2.example.com/a2a",
		]);
	});

	it("validates metadata on update and changes nothing", async () => {
		const agent = await registerAgent();
		const before = await cp.controlPlane.services.store.findAgentById(agent.id);
		const response = await call("PATCH", `/v1/agents/${agent.id}`, {
			metadata: { name: 42 },
		});
		expect(response.status).toBe(400);
		const error = (await response.json()) as {
			error: { code: string; field: string };
		};
		expect(error.error.code).toBe("METADATA_INVALID");
		expect(error.error.field).toMatch(/^metadata\//);
		expect(
			await cp.controlPlane.services.store.findAgentById(agent.id),
		).toEqual(before);
	});

	it("rejects an unknown revocation reason", async () => {
		const agent = await registerAgent();
		const response = await call("POST", `/v1/agents/${agent.id}/revoke`, {
			reason: "cACompromise",
		});
		expect(response.status).toBe(400);
		expect(await errorCode(response)).toBe("REVOCATION_REASON_INVALID");
	});

	it("rejects a proof signed with the wrong key", async () => {
		const agent = await registerAgent();
		const stranger = await generateAgentKeyPair("P-256");
		const response = await call(
			"PATCH",
			`/v1/agents/${agent.id}`,
			{
				endpoints: [
					{ protocol: "a2a", url: "https://agents.example.com/other" },
				],
			},
			{ key: stranger.privateKey },
		);
		expect(response.status).toBe(401);
		expect(await errorCode(response)).toBe("PROOF_SIGNATURE_INVALID");
	});

	it("rejects an expired proof", async () => {
		const agent = await registerAgent();
		const tenMinutesAgo = new Date(Date.now() - 600_000);
		const response = await call(
			"PATCH",
			`/v1/agents/${agent.id}`,
			{
				endpoints: [
					{ protocol: "a2a", url: "https://agents.example.com/other" },
				],
			},
			{ key: agent.keys.privateKey, now: tenMinutesAgo },
		);
		expect(response.status).toBe(401);
		expect(await errorCode(response)).toBe("PROOF_EXPIRED");
	});

	it("rejects a replayed proof", async () => {
		const agent = await registerAgent();
		const auth = { key: agent.keys.privateKey, jti: `replay-${agent.id}` };
		const first = await call(
			"PATCH",
			`/v1/agents/${agent.id}`,
			{
				endpoints: [
					{ protocol: "a2a", url: "https://agents.example.com/once" },
				],
			},
			auth,
		);
		expect(first.status).toBe(200);
		const replay = await call(
			"PATCH",
			`/v1/agents/${agent.id}`,
			{
				endpoints: [
					{ protocol: "a2a", url: "https://agents.example.com/once" },
				],
			},
			auth,
		);
		expect(replay.status).toBe(401);
		expect(await errorCode(replay)).toBe("PROOF_REPLAYED");
	});

	it("rejects a proof bound to another path or body", async () => {
		const agent = await registerAgent();
		const otherPath = await call(
			"POST",
			`/v1/agents/${agent.id}/revoke`,
			{},
			{ key: agent.keys.privateKey, proofPath: `/v1/agents/${agent.id}` },
		);
		expect(otherPath.status).toBe(401);
		expect(await errorCode(otherPath)).toBe("PROOF_BINDING_INVALID");
		expect(
			(await cp.controlPlane.services.store.findAgentById(agent.id))?.status,
		).toBe("active");
	});

	it("rejects a call with no authorization", async () => {
		const agent = await registerAgent();
		const response = await call(
			"DELETE",
			`/v1/agents/${agent.id}`,
			undefined,
			{},
		);
		expect(response.status).toBe(401);
		expect(await errorCode(response)).toBe("AUTHORIZATION_MISSING");
	});

	it("expires agents whose certificate ran out", async () => {
		const agent = await registerAgent();
		const { runMaintenance } = await import("../maintenance/job.ts");
		const services = cp.controlPlane.services;
		const oneYearLater = Date.now() + 365 * 86_400_000;
		await runMaintenance(services.maintenance, oneYearLater);
		expect((await services.store.findAgentById(agent.id))?.status).toBe(
			"expired",
		);
		const response = await resolve(agent.name);
		expect(response.status).toBe(410);
		expect(await errorCode(response)).toBe("AGENT_EXPIRED");
	});
});

import type { ChangeEvent } from "@ans/shared/change-feed";
import { verifyResolution } from "@ans/shared/verification";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postRegistration } from "../../discovery/testing/register-agent.ts";
import {
	startTestControlPlane,
	type TestControlPlane,
} from "../../testing/test-control-plane.ts";
import {
	createTestSchema,
	type TestSchema,
	testPostgresUrl,
} from "./test-schema.ts";

const serverUrl = testPostgresUrl();

describe.skipIf(serverUrl === undefined)("control plane on PostgreSQL", () => {
	let schema: TestSchema;
	let cp: TestControlPlane;

	beforeAll(async () => {
		schema = await createTestSchema(serverUrl ?? "");
		cp = await startTestControlPlane({ ANS_DATABASE_URL: schema.url });
	});

	afterAll(async () => {
		await cp?.stop();
		await schema?.drop();
	});

	async function trust() {
		const jwks = await (await fetch(`${cp.url}/.well-known/jwks.json`)).json();
		const ca = (await (await fetch(`${cp.url}/v1/ca/certificates`)).json()) as {
			root: string;
		};
		return { jwks, trustAnchors: [ca.root] };
	}

	it("registers, resolves, revokes and feeds changes", async () => {
		expect(cp.controlPlane.services.store.dialect).toBe("postgresql");
		const name = "a2a://pgAgent.Translation.AcmeCorp.v1.0.0";
		const registered = await postRegistration(cp.url, cp.adminToken, name, {
			endpoints: [{ protocol: "a2a", url: "https://agents.example.com/a2a" }],
		});
		expect(registered.status).toBe(201);
		const id = registered.body.id as string;

		const resolved = await fetch(
			`${cp.url}/v1/resolve?name=${encodeURIComponent(name)}`,
		);
		expect(resolved.status).toBe(200);
		const answer = await resolved.json();
		const verified = await verifyResolution(answer, await trust());
		expect(verified.payload.status).toBe("active");
		expect(verified.payload.sub).toBe(id);

		const found = (await (
			await fetch(`${cp.url}/v1/agents?q=acme+transl`)
		).json()) as { agents: { id: string }[] };
		expect(found.agents.map((agent) => agent.id)).toEqual([id]);

		const revoked = await fetch(`${cp.url}/v1/agents/${id}/revoke`, {
			method: "POST",
			headers: {
				authorization: `Bearer ${cp.adminToken}`,
				"content-type": "application/json",
			},
			body: JSON.stringify({ reason: "keyCompromise" }),
		});
		expect(revoked.status).toBe(200);
		const gone = await fetch(
			`${cp.url}/v1/resolve?name=${encodeURIComponent(name)}`,
		);
		expect(gone.status).toBe(410);
		const tombstone = await verifyResolution(await gone.json(), await trust());
		expect(tombstone.payload.status).toBe("revoked");

		const feed = (await (
			await fetch(`${cp.url}/v1/changes?after=0`)
		).json()) as { changes: ChangeEvent[]; head: number; next: number };
		expect(feed.changes.map((change) => change.type)).toEqual([
			"agent.registered",
			"agent.revoked",
		]);
		expect(feed.changes.map((change) => change.seq)).toEqual([1, 2]);
		expect(feed.head).toBe(2);
		expect(feed.next).toBe(2);
	});

	it("reports the database healthy", async () => {
		const response = await fetch(`${cp.url}/health/database`);
		expect(response.status).toBe(200);
	});
});

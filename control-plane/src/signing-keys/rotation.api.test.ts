import { decodeRecord } from "@ans/shared/records";
import {
	type ResolutionAnswer,
	verifyResolution,
} from "@ans/shared/verification";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runMaintenance } from "../maintenance/job.ts";
import { registerTestAgent } from "../testing/test-agents.ts";
import {
	startTestControlPlane,
	type TestControlPlane,
} from "../testing/test-control-plane.ts";

let cp: TestControlPlane;
let root: string;
const names: string[] = [];

beforeAll(async () => {
	cp = await startTestControlPlane();
	root = (
		(await (await fetch(`${cp.url}/v1/ca/certificates`)).json()) as {
			root: string;
		}
	).root;
});

afterAll(async () => {
	await cp.stop();
});

async function register(label: string): Promise<ResolutionAnswer> {
	const agent = await registerTestAgent(cp, { label, capability: "rotation" });
	names.push(agent.name);
	return {
		record: agent.record,
		certificate: agent.certificate,
		chain: agent.chain,
	};
}

async function jwks() {
	return (await (await fetch(`${cp.url}/.well-known/jwks.json`)).json()) as {
		keys: { kid: string }[];
	};
}

/** Resolves every registered agent and verifies it against the JWKS served right now. */
async function verifyAll(): Promise<string[]> {
	const current = await jwks();
	const kids: string[] = [];
	for (const name of names) {
		const answer = (await (
			await fetch(`${cp.url}/v1/resolve?name=${encodeURIComponent(name)}`)
		).json()) as ResolutionAnswer;
		const verified = await verifyResolution(answer, {
			jwks: current,
			trustAnchors: [root],
		});
		kids.push(verified.header.kid);
	}
	return kids;
}

async function rotate(activateAfterSeconds: number): Promise<Response> {
	return fetch(`${cp.url}/v1/admin/signing-keys/rotate`, {
		method: "POST",
		headers: {
			authorization: `Bearer ${cp.adminToken}`,
			"content-type": "application/json",
		},
		body: JSON.stringify({ activateAfterSeconds }),
	});
}

describe("signing key rotation", () => {
	it("publishes, activates, re-signs and retires with no failed verification", async () => {
		const before = await register("first");
		const oldKid = decodeRecord(before.record).header.kid;
		expect((await jwks()).keys.map((key) => key.kid)).toEqual([oldKid]);

		// Published first: in the JWKS, but new records are still signed by the old key.
		const rotated = await rotate(3600);
		expect(rotated.status).toBe(202);
		const newKid = ((await rotated.json()) as { kid: string; status: string })
			.kid;
		expect((await jwks()).keys.map((key) => key.kid).sort()).toEqual(
			[oldKid, newKid].sort(),
		);
		const during = await register("second");
		expect(decodeRecord(during.record).header.kid).toBe(oldKid);
		expect(await verifyAll()).toEqual([oldKid, oldKid]);

		const again = await rotate(0);
		expect(again.status).toBe(409);
		expect(
			((await again.json()) as { error: { code: string } }).error.code,
		).toBe("SIGNING_KEY_ROTATION_PENDING");

		// Activation time reached: the maintenance run switches keys and re-signs every record.
		const signingKeys = cp.controlPlane.services.signingKeys;
		expect(await signingKeys.activateDue(Date.now() + 3_601_000)).toBe(newKid);
		await runMaintenance(cp.controlPlane.services.maintenance);
		expect(await verifyAll()).toEqual([newKid, newKid]);

		// A record signed before rotation still verifies: the retired key stays published.
		const published = await jwks();
		expect(published.keys.map((key) => key.kid)).toContain(oldKid);
		const old = await verifyResolution(before, {
			jwks: published,
			trustAnchors: [root],
		});
		expect(old.header.kid).toBe(oldKid);

		// Past its expiry, a record signed by the retired key no longer verifies.
		const { payload } = decodeRecord(before.record);
		await expect(
			verifyResolution(before, {
				jwks: published,
				trustAnchors: [root],
				now: new Date((payload.exp + 3600) * 1000),
			}),
		).rejects.toMatchObject({ code: "RECORD_EXPIRED" });

		// Once every record it signed has expired, the retired key leaves the JWKS.
		const retired = signingKeys.list().find((key) => key.kid === oldKid);
		expect(retired?.status).toBe("retired");
		const afterUnpublish = await signingKeys.jwks(
			Date.parse(retired?.unpublishAt ?? "") + 1000,
		);
		expect(afterUnpublish.keys.map((key) => key.kid)).toEqual([newKid]);
		await expect(
			verifyResolution(before, {
				jwks: afterUnpublish,
				trustAnchors: [root],
				now: new Date((payload.iat + 60) * 1000),
			}),
		).rejects.toMatchObject({ code: "RECORD_KEY_UNKNOWN" });
	});

	it("needs an admin token", async () => {
		const response = await fetch(`${cp.url}/v1/admin/signing-keys/rotate`, {
			method: "POST",
		});
		expect(response.status).toBe(401);
	});
});

import type { ChangeEvent } from "@ans/shared/change-feed";
import { AnsError } from "@ans/shared/errors";
import { exportJWK, generateKeyPair, type JSONWebKeySet, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import {
	MAX_PUSH_IAT_AHEAD_SECONDS,
	MAX_PUSH_LIFETIME_SECONDS,
	verifyPush,
} from "./verify-push.ts";

const EDGE_ID = "edge-1";
const KID = "push-test";
/** Fixed edge clock, epoch ms, so that every time below is exact. */
const NOW_MS = 1_800_000_000_000;
const NOW = NOW_MS / 1000;

// The shape checks read only field types, so placeholder strings do.
const change: ChangeEvent = {
	seq: 1,
	type: "agent.registered",
	agentId: "agent-1",
	baseKey: "a2a://test.example.com",
	name: "a2a://test.example.com.v1.0.0",
	version: "1.0.0",
	status: "active",
	record: "record",
	certificate: "certificate",
	chain: [],
	at: NOW_MS,
};

let privateKey: CryptoKey;
let jwks: JSONWebKeySet;

beforeAll(async () => {
	const keys = await generateKeyPair("ES256");
	privateKey = keys.privateKey;
	jwks = { keys: [{ ...(await exportJWK(keys.publicKey)), kid: KID }] };
});

/** Signs a push for {@link EDGE_ID} with the given `iat` and `exp`, epoch seconds. */
function signPushAt(iat: number, exp: number): Promise<string> {
	return new SignJWT({
		typ: "ans-push",
		from: 1,
		to: 1,
		head: 1,
		changes: [change],
	})
		.setProtectedHeader({ alg: "ES256", kid: KID, typ: "ans-push+jws" })
		.setIssuer("http://127.0.0.1:8080")
		.setAudience(EDGE_ID)
		.setIssuedAt(iat)
		.setExpirationTime(exp)
		.sign(privateKey);
}

async function rejection(jws: string): Promise<AnsError> {
	try {
		await verifyPush(jws, jwks, EDGE_ID, NOW_MS);
	} catch (error) {
		if (error instanceof AnsError) {
			return error;
		}
		throw error;
	}
	throw new Error("the push was accepted");
}

describe("verifyPush times", () => {
	it("accepts a push valid for 60 s", async () => {
		const payload = await verifyPush(
			await signPushAt(NOW, NOW + 60),
			jwks,
			EDGE_ID,
			NOW_MS,
		);
		expect(payload.to).toBe(1);
	});

	it("accepts the maximum lifetime", async () => {
		const jws = await signPushAt(NOW, NOW + MAX_PUSH_LIFETIME_SECONDS);
		const payload = await verifyPush(jws, jwks, EDGE_ID, NOW_MS);
		expect(payload.exp - payload.iat).toBe(MAX_PUSH_LIFETIME_SECONDS);
	});

	it("rejects exp ten years ahead", async () => {
		const tenYears = 10 * 365 * 86_400;
		const error = await rejection(await signPushAt(NOW, NOW + tenYears));
		expect(error.code).toBe("PUSH_MALFORMED");
		expect(error.status).toBe(401);
		expect(error.message).toContain(`got ${tenYears} s`);
	});

	it("rejects one second over the lifetime", async () => {
		const jws = await signPushAt(NOW, NOW + MAX_PUSH_LIFETIME_SECONDS + 1);
		expect((await rejection(jws)).code).toBe("PUSH_MALFORMED");
	});

	it("rejects exp not after iat", async () => {
		const jws = await signPushAt(NOW + 30, NOW + 30);
		expect((await rejection(jws)).code).toBe("PUSH_MALFORMED");
	});

	it("rejects iat one hour ahead", async () => {
		const error = await rejection(await signPushAt(NOW + 3600, NOW + 3660));
		expect(error.code).toBe("PUSH_NOT_YET_VALID");
		expect(error.status).toBe(401);
		expect(error.message).toContain("3600 s in the future");
	});

	it("accepts iat at the allowed skew", async () => {
		const iat = NOW + MAX_PUSH_IAT_AHEAD_SECONDS;
		const payload = await verifyPush(
			await signPushAt(iat, iat + 60),
			jwks,
			EDGE_ID,
			NOW_MS,
		);
		expect(payload.iat).toBe(iat);
	});

	it("rejects iat past the allowed skew", async () => {
		const iat = NOW + MAX_PUSH_IAT_AHEAD_SECONDS + 1;
		const error = await rejection(await signPushAt(iat, iat + 60));
		expect(error.code).toBe("PUSH_NOT_YET_VALID");
	});

	it("rejects a push past exp", async () => {
		const error = await rejection(await signPushAt(NOW - 120, NOW - 60));
		expect(error.code).toBe("PUSH_EXPIRED");
	});
});

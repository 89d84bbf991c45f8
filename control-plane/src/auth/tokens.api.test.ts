import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
	startTestControlPlane,
	type TestControlPlane,
} from "../testing/test-control-plane.ts";

interface TokenInfo {
	id: string;
	scopes: string[];
	label: string | null;
	createdAt: string;
	expiresAt: string | null;
	revokedAt: string | null;
}

let cp: TestControlPlane;

beforeAll(async () => {
	cp = await startTestControlPlane();
});

afterAll(async () => {
	await cp?.stop();
});

function call(
	method: string,
	path: string,
	token: string,
	body?: unknown,
): Promise<Response> {
	return fetch(`${cp.url}${path}`, {
		method,
		headers: {
			authorization: `Bearer ${token}`,
			...(body === undefined ? {} : { "content-type": "application/json" }),
		},
		...(body === undefined ? {} : { body: JSON.stringify(body) }),
	});
}

async function createToken(
	body: Record<string, unknown>,
): Promise<{ id: string; token: string }> {
	const response = await call("POST", "/v1/tokens", cp.adminToken, body);
	expect(response.status).toBe(201);
	return (await response.json()) as { id: string; token: string };
}

async function errorCode(response: Response): Promise<string> {
	return ((await response.json()) as { error: { code: string } }).error.code;
}

describe("token administration", () => {
	it("lists tokens without secrets", async () => {
		const created = await createToken({
			scopes: ["register"],
			label: "listed",
			expiresInDays: 30,
		});
		const response = await call("GET", "/v1/tokens", cp.adminToken);
		expect(response.status).toBe(200);
		const text = await response.text();
		expect(text).not.toContain(created.token);
		expect(text).not.toContain("hash");

		const { tokens } = JSON.parse(text) as { tokens: TokenInfo[] };
		const listed = tokens.find((token) => token.id === created.id);
		expect(listed).toBeDefined();
		expect(Object.keys(listed ?? {}).sort()).toEqual([
			"createdAt",
			"expiresAt",
			"id",
			"label",
			"revokedAt",
			"scopes",
		]);
		expect(listed?.scopes).toEqual(["register"]);
		expect(listed?.label).toBe("listed");
		expect(listed?.revokedAt).toBeNull();
		const lifetime =
			Date.parse(listed?.expiresAt ?? "") - Date.parse(listed?.createdAt ?? "");
		expect(lifetime).toBe(30 * 86_400_000);
	});

	it("creates tokens without expiry by default", async () => {
		const created = await createToken({ scopes: ["register"] });
		const { tokens } = (await (
			await call("GET", "/v1/tokens", cp.adminToken)
		).json()) as { tokens: TokenInfo[] };
		const listed = tokens.find((token) => token.id === created.id);
		expect(listed?.expiresAt).toBeNull();
		expect(listed?.label).toBeNull();
	});

	it("rejects a revoked token at once", async () => {
		const admin = await createToken({ scopes: ["admin"], label: "revoked" });
		expect((await call("GET", "/v1/tokens", admin.token)).status).toBe(200);

		const revoked = await call(
			"DELETE",
			`/v1/tokens/${admin.id}`,
			cp.adminToken,
		);
		expect(revoked.status).toBe(200);
		const info = (await revoked.json()) as TokenInfo;
		expect(info.id).toBe(admin.id);
		expect(info.revokedAt).not.toBeNull();

		const rejected = await call("GET", "/v1/tokens", admin.token);
		expect(rejected.status).toBe(401);
		expect(await errorCode(rejected)).toBe("TOKEN_INVALID");
	});

	it("revokes twice with the first time", async () => {
		const created = await createToken({ scopes: ["register"] });
		const first = await call(
			"DELETE",
			`/v1/tokens/${created.id}`,
			cp.adminToken,
		);
		expect(first.status).toBe(200);
		const firstInfo = (await first.json()) as TokenInfo;

		const second = await call(
			"DELETE",
			`/v1/tokens/${created.id}`,
			cp.adminToken,
		);
		expect(second.status).toBe(200);
		const secondInfo = (await second.json()) as TokenInfo;
		expect(secondInfo.revokedAt).toBe(firstInfo.revokedAt);
	});

	it("returns 404 for an unknown token id", async () => {
		const response = await call(
			"DELETE",
			"/v1/tokens/tok_unknown",
			cp.adminToken,
		);
		expect(response.status).toBe(404);
		const body = (await response.json()) as {
			error: { code: string; field: string; message: string };
		};
		expect(body.error.code).toBe("TOKEN_NOT_FOUND");
		expect(body.error.field).toBe("id");
		expect(body.error.message).toContain("tok_unknown");
	});

	it("needs the admin scope", async () => {
		const register = await createToken({ scopes: ["register"] });
		const listed = await call("GET", "/v1/tokens", register.token);
		expect(listed.status).toBe(403);
		expect(await errorCode(listed)).toBe("TOKEN_SCOPE_MISSING");

		const revoked = await call(
			"DELETE",
			`/v1/tokens/${register.id}`,
			register.token,
		);
		expect(revoked.status).toBe(403);

		const anonymous = await fetch(`${cp.url}/v1/tokens`);
		expect(anonymous.status).toBe(401);
		expect(await errorCode(anonymous)).toBe("TOKEN_MISSING");
	});
});

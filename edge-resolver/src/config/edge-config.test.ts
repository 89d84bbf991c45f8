import { isAnsError } from "@ans/shared/errors";
import { describe, expect, it } from "vitest";
import { parseEdgeConfig, parseEdgeSettings } from "./edge-config.ts";

const publicKey = {
	kty: "EC",
	crv: "P-256",
	x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
	y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
	kid: "push-1",
};

const required = {
	ANS_ORIGIN_URL: "http://127.0.0.1:8080/",
	ANS_EDGE_ID: "edge-1",
	ANS_PUSH_JWKS: JSON.stringify({ keys: [publicKey] }),
};

function problem(bindings: Record<string, unknown>): string {
	try {
		parseEdgeConfig(bindings);
	} catch (error) {
		if (isAnsError(error)) {
			expect(error.code).toBe("EDGE_CONFIG_INVALID");
			expect(error.status).toBe(503);
			return error.message;
		}
		throw error;
	}
	throw new Error("the configuration was accepted");
}

describe("parseEdgeConfig", () => {
	it("applies the defaults", () => {
		const config = parseEdgeConfig(required);
		expect(config.originUrl).toBe("http://127.0.0.1:8080");
		expect(config.cacheTtlMs).toBe(60_000);
		expect(config.negativeTtlMs).toBe(10_000);
		expect(config.syncIntervalMs).toBe(30_000);
		expect(config.isolateCacheMaxEntries).toBe(10_000);
		expect(config.pushJwks.keys).toHaveLength(1);
	});

	it("derives the sync interval from a short TTL", () => {
		const config = parseEdgeConfig({ ...required, ANS_CACHE_TTL_SECONDS: "2" });
		expect(config.cacheTtlMs).toBe(2_000);
		expect(config.syncIntervalMs).toBe(1_000);
	});

	it("treats null bindings as unset", () => {
		const config = parseEdgeConfig({
			...required,
			ANS_CACHE_TTL_SECONDS: null,
			ANS_NEGATIVE_TTL_SECONDS: null,
		});
		expect(config.cacheTtlMs).toBe(60_000);
		expect(config.negativeTtlMs).toBe(10_000);
		expect(problem({ ...required, ANS_PUSH_JWKS: null })).toContain(
			"ANS_PUSH_JWKS is missing",
		);
	});

	it("accepts a JWKS object binding", () => {
		const config = parseEdgeConfig({
			...required,
			ANS_PUSH_JWKS: { keys: [publicKey] },
		});
		expect(config.pushJwks.keys[0]?.kid).toBe("push-1");
	});

	it("rejects invalid values by name", () => {
		const cases: [Record<string, unknown>, string][] = [
			[{ ANS_CACHE_TTL_SECONDS: "61" }, "ANS_CACHE_TTL_SECONDS"],
			[{ ANS_CACHE_TTL_SECONDS: "1.5" }, "ANS_CACHE_TTL_SECONDS"],
			[{ ANS_NEGATIVE_TTL_SECONDS: "-1" }, "ANS_NEGATIVE_TTL_SECONDS"],
			[{ ANS_SYNC_INTERVAL_SECONDS: "31" }, "ANS_SYNC_INTERVAL_SECONDS"],
			[
				{ ANS_ISOLATE_CACHE_MAX_ENTRIES: "lots" },
				"ANS_ISOLATE_CACHE_MAX_ENTRIES",
			],
			[{ ANS_ORIGIN_URL: "ftp://example.com" }, "ANS_ORIGIN_URL"],
			[{ ANS_EDGE_ID: "has space" }, "ANS_EDGE_ID"],
			[{ ANS_PUSH_JWKS: "{" }, "ANS_PUSH_JWKS"],
			[{ ANS_PUSH_JWKS: '{"keys":[]}' }, "ANS_PUSH_JWKS"],
		];
		for (const [override, variable] of cases) {
			expect(problem({ ...required, ...override })).toContain(variable);
		}
	});

	it("rejects a JWKS with a private key", () => {
		const jwks = JSON.stringify({ keys: [{ ...publicKey, d: "secret" }] });
		expect(problem({ ...required, ANS_PUSH_JWKS: jwks })).toContain(
			'private key member "d"',
		);
	});

	it("lists every missing variable", () => {
		const message = problem({});
		expect(message).toContain("ANS_ORIGIN_URL is missing");
		expect(message).toContain("ANS_PUSH_JWKS is missing");
		expect(message).toContain("ANS_EDGE_ID");
	});
});

describe("parseEdgeSettings", () => {
	it("applies the defaults without the required bindings", () => {
		const settings = parseEdgeSettings({});
		expect(settings.cacheTtlMs).toBe(60_000);
		expect(settings.negativeTtlMs).toBe(10_000);
		expect(settings.syncIntervalMs).toBe(30_000);
		expect(settings.isolateCacheMaxEntries).toBe(10_000);
	});

	it("rejects every invalid setting by name", () => {
		let caught: unknown;
		try {
			parseEdgeSettings({
				ANS_CACHE_TTL_SECONDS: "999",
				ANS_SYNC_INTERVAL_SECONDS: "0",
			});
		} catch (error) {
			caught = error;
		}
		expect(isAnsError(caught)).toBe(true);
		const error = caught as Error & { code: string };
		expect(error.code).toBe("EDGE_CONFIG_INVALID");
		expect(error.message).toContain(
			'ANS_CACHE_TTL_SECONDS "999" must be an integer from 1 to 60',
		);
		expect(error.message).toContain("ANS_SYNC_INTERVAL_SECONDS");
		expect(error.message).not.toContain("ANS_ORIGIN_URL");
	});
});

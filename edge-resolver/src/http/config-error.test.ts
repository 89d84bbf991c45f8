import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
	type MiniflareEdge,
	startMiniflareEdge,
} from "../../../deploy/local/miniflare-edge.ts";
import { bundleEdgeWorker } from "../../scripts/build-worker.ts";

// One edge in workerd (Miniflare) with an invalid TTL. The edge rejects
// every request before it would contact the origin, so the origin URL
// points at a port where nothing listens.

let edge: MiniflareEdge;

beforeAll(async () => {
	edge = await startMiniflareEdge({
		id: "misconfigured",
		originUrl: "http://127.0.0.1:9",
		pushJwks: { keys: [] },
		port: 0,
		script: await bundleEdgeWorker(),
		settings: { ANS_CACHE_TTL_SECONDS: "999" },
		onLog: () => {},
	});
});

afterAll(async () => {
	await edge?.close();
});

describe("edge with an invalid setting", () => {
	it("returns 503 naming the variables", async () => {
		for (const path of ["/health", "/v1/resolve?name=a2a://x.y.Example"]) {
			const response = await fetch(`${edge.url}${path}`);
			const body = (await response.json()) as {
				error: { code: string; message: string };
			};
			expect({ path, status: response.status }).toEqual({ path, status: 503 });
			expect(body.error.code).toBe("EDGE_CONFIG_INVALID");
			expect(body.error.message).toContain("ANS_CACHE_TTL_SECONDS");
			expect(body.error.message).toContain("ANS_PUSH_JWKS");
			expect(response.headers.get("cache-control")).toBe("no-store");
		}
	});
});

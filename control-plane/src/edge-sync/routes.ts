import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../api/env.ts";
import type { Services } from "../api/services.ts";

/**
 * Mounts `GET /.well-known/ans-push-jwks.json` (the public push keys edges
 * pin), `GET /health/edges` (push lag per edge) and `GET /metrics`
 * (Prometheus text format).
 */
export function mountEdgeSyncRoutes(
	app: OpenAPIHono<AppEnv>,
	services: Services,
): void {
	app.get("/.well-known/ans-push-jwks.json", (c) => {
		c.header("Cache-Control", "public, max-age=300");
		return c.json(services.pushKeys.jwks(), 200);
	});

	app.get("/health/edges", (c) => {
		c.header("Cache-Control", "no-store");
		return c.json({ status: "ok", edges: services.edgeSync.status() }, 200);
	});

	app.get("/metrics", async (c) => {
		c.header("Cache-Control", "no-store");
		return c.body(await services.metrics.metrics(), 200, {
			"Content-Type": services.metrics.contentType,
		});
	});
}

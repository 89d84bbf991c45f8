/**
 * Health endpoints for orchestrators. Each returns a JSON body with
 * `status` "ok" (200) or "fail" (503) and the checks behind it.
 *
 * @module
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../api/env.ts";
import type { Services } from "../api/services.ts";

type CheckResult = { ok: boolean; [detail: string]: unknown };

/** Mounts `/health/{liveness,readiness,startup,database,certificate}`. */
export function mountHealthRoutes(
	app: OpenAPIHono<AppEnv>,
	services: Services,
): void {
	app.get("/health/liveness", (c) =>
		reply(c, {
			process: { ok: true, uptimeSeconds: Math.round(process.uptime()) },
		}),
	);

	app.get("/health/startup", (c) =>
		reply(c, {
			startup:
				services.startedAt === undefined
					? { ok: false }
					: { ok: true, startedAt: new Date(services.startedAt).toISOString() },
		}),
	);

	app.get("/health/database", async (c) =>
		reply(c, { database: await checkDatabase(services) }),
	);

	app.get("/health/certificate", (c) =>
		reply(c, { certificate: checkCertificates(services) }),
	);

	app.get("/health/readiness", async (c) =>
		reply(c, {
			startup: { ok: services.startedAt !== undefined },
			database: await checkDatabase(services),
			certificate: checkCertificates(services),
			edges: checkEdges(services),
		}),
	);
}

/**
 * Summarizes edge push lag. Always ok: a lagging edge catches up by pulling
 * the change feed, so it must not take the control plane out of service.
 */
function checkEdges(services: Services): CheckResult {
	const edges = services.edgeSync.status();
	return {
		ok: true,
		count: edges.length,
		maxSequencesBehind: Math.max(
			0,
			...edges.map((edge) => edge.sequencesBehind),
		),
		maxLagSeconds: Math.max(0, ...edges.map((edge) => edge.lagSeconds)),
		failing: edges
			.filter((edge) => edge.consecutiveFailures > 0)
			.map((edge) => edge.id),
	};
}

async function checkDatabase(services: Services): Promise<CheckResult> {
	const started = performance.now();
	try {
		await services.store.ping();
		const head = await services.store.headSeq();
		return {
			ok: true,
			dialect: services.store.dialect,
			headSeq: head,
			latencyMs: Math.round(performance.now() - started),
		};
	} catch (error) {
		services.logger.error({ err: error }, "database health check failed");
		return {
			ok: false,
			dialect: services.store.dialect,
			error: "database query failed",
		};
	}
}

function checkCertificates(services: Services): CheckResult {
	const health = services.ca.health(new Date());
	return {
		ok: health.ok,
		keysLoaded: health.keysLoaded,
		root: health.root,
		intermediate: health.intermediate,
		problems: health.problems,
		signingKey: services.signingKeys.activeKid(),
	};
}

function reply(
	c: Context<AppEnv>,
	checks: Record<string, CheckResult>,
): Response {
	const ok = Object.values(checks).every((check) => check.ok);
	c.header("Cache-Control", "no-store");
	return c.json({ status: ok ? "ok" : "fail", checks }, ok ? 200 : 503);
}

import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../api/env.ts";
import { errorSchema } from "../api/schemas.ts";
import type { Services } from "../api/services.ts";
import {
	endpointSchema,
	registrationResultSchema,
} from "../registration/routes.ts";
import {
	deregisterAgent,
	type LifecycleDeps,
	renewAgent,
	revokeAgent,
	updateAgent,
} from "./actions.ts";
import { authorizeAgentCall } from "./authorize.ts";
import {
	agentRevocationReasons,
	parseRevocationReason,
} from "./revocation-reasons.ts";

const idParam = z.object({
	id: z.string().max(64).openapi({ example: "agt_0f3c…" }),
});
const security: Record<string, string[]>[] = [
	{ bearer: [] },
	{ possession: [] },
];

const errorResponses = {
	400: {
		description: "Invalid request",
		content: { "application/json": { schema: errorSchema } },
	},
	401: {
		description: "Missing or invalid authorization or proof",
		content: { "application/json": { schema: errorSchema } },
	},
	403: {
		description: "Token lacks the admin scope",
		content: { "application/json": { schema: errorSchema } },
	},
	404: {
		description: "Unknown agent id",
		content: { "application/json": { schema: errorSchema } },
	},
	409: {
		description: "Transition not allowed from the current status",
		content: { "application/json": { schema: errorSchema } },
	},
};

const okResponse = {
	200: {
		description: "The agent after the change",
		content: { "application/json": { schema: registrationResultSchema } },
	},
};

const renewRoute = createRoute({
	method: "post",
	path: "/v1/agents/{id}/renew",
	summary: "Renew the agent certificate with a new CSR",
	security,
	request: {
		params: idParam,
		body: {
			required: true,
			content: {
				"application/json": {
					schema: z
						.object({
							csr: z
								.string()
								.min(1)
								.max(16 * 1024),
						})
						.strict(),
				},
			},
		},
	},
	responses: { ...okResponse, ...errorResponses },
});

const revokeRoute = createRoute({
	method: "post",
	path: "/v1/agents/{id}/revoke",
	summary: "Revoke the agent and its certificate",
	security,
	request: {
		params: idParam,
		body: {
			required: false,
			content: {
				"application/json": {
					schema: z
						.object({
							// Checked by parseRevocationReason, which names the allowed reasons.
							reason: z
								.string()
								.max(64)
								.optional()
								.openapi({
									description: `RFC 5280 reason: ${agentRevocationReasons.join(", ")}; unspecified when absent`,
									example: "keyCompromise",
								}),
						})
						.strict(),
				},
			},
		},
	},
	responses: { ...okResponse, ...errorResponses },
});

const deregisterRoute = createRoute({
	method: "delete",
	path: "/v1/agents/{id}",
	summary: "Deregister the agent",
	security,
	request: { params: idParam },
	responses: { ...okResponse, ...errorResponses },
});

const updateRoute = createRoute({
	method: "patch",
	path: "/v1/agents/{id}",
	summary: "Change endpoints or metadata (new signed record, same certificate)",
	security,
	request: {
		params: idParam,
		body: {
			required: true,
			content: {
				"application/json": {
					schema: z
						.object({
							endpoints: z.array(endpointSchema).min(1).max(16).optional(),
							metadata: z.record(z.string(), z.unknown()).optional(),
						})
						.strict(),
				},
			},
		},
	},
	responses: { ...okResponse, ...errorResponses },
});

/** Mounts renew, revoke, deregister and update on `/v1/agents/{id}`. */
export function mountLifecycleRoutes(
	app: OpenAPIHono<AppEnv>,
	services: Services,
): void {
	const deps: LifecycleDeps = {
		store: services.store,
		ca: services.ca,
		publish: services.publish,
		allowLoopbackEndpoints: services.config.allowLoopbackEndpoints,
		onChange: services.onChange,
		onCertificateRevoked: services.onCertificateRevoked,
	};
	// Hono's "/v1/agents/:id/*" also matches "/v1/agents/:id", so one
	// registration covers PATCH and DELETE on the agent and its sub-resources.
	const authorize: MiddlewareHandler<AppEnv> = async (c, next) => {
		if (c.req.method !== "GET") {
			await authorizeAgentCall(services, c, c.req.param("id") ?? "");
		}
		await next();
	};
	app.use("/v1/agents/:id/*", authorize);

	app.openapi(renewRoute, async (c) => {
		const { id } = c.req.valid("param");
		const result = await renewAgent(deps, id, c.req.valid("json").csr);
		c.var.logger.info({ agentId: id }, "agent renewed");
		return c.json(result, 200);
	});

	app.openapi(revokeRoute, async (c) => {
		const { id } = c.req.valid("param");
		const body =
			c.req.header("content-length") === "0" ? {} : c.req.valid("json");
		const reason = parseRevocationReason(body?.reason);
		const result = await revokeAgent(deps, id, reason);
		c.var.logger.info({ agentId: id, reason }, "agent revoked");
		return c.json(result, 200);
	});

	app.openapi(deregisterRoute, async (c) => {
		const { id } = c.req.valid("param");
		const result = await deregisterAgent(deps, id);
		c.var.logger.info({ agentId: id }, "agent deregistered");
		return c.json(result, 200);
	});

	app.openapi(updateRoute, async (c) => {
		const { id } = c.req.valid("param");
		const result = await updateAgent(deps, id, c.req.valid("json"));
		c.var.logger.info({ agentId: id }, "agent updated");
		return c.json(result, 200);
	});
}

import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../api/env.ts";
import { errorSchema } from "../api/schemas.ts";
import type { Services } from "../api/services.ts";
import { requireScope } from "../auth/middleware.ts";
import { registerAgent } from "./register.ts";

/** One endpoint of an agent, as registration and update take it. */
export const endpointSchema = z
	.object({
		protocol: z
			.string()
			.regex(
				/^[A-Za-z][A-Za-z0-9-]{0,15}$/,
				"must be a protocol id such as a2a, mcp or acp",
			),
		url: z.string().min(1).max(2048),
		transport: z.string().min(1).max(32).optional(),
	})
	.strict()
	.openapi("Endpoint");

const registrationSchema = z
	.object({
		// The name grammar limits names to 255 characters with its own error code;
		// this bound only keeps absurd input away from the parser.
		name: z.string().min(1).max(1024).openapi({
			example: "a2a://textProcessor.DocumentTranslation.AcmeCorp.v2.1.hipaa",
		}),
		endpoints: z.array(endpointSchema).max(16).optional().openapi({
			description:
				"Endpoints besides those the metadata names; required when the metadata names none",
		}),
		metadata: z.record(z.string(), z.unknown()).optional().openapi({
			description:
				"Protocol document, checked by the adapter of the name's protocol: A2A agent card (a2a), MCP server.json (mcp), AGNTCY ACP manifest (acp), BeeAI ACP AgentManifest (beeai-acp) or OASF record (oasf). See docs/protocols.md. When absent or {}, the agent has no protocol metadata and endpoints must list at least one endpoint.",
		}),
		csr: z
			.string()
			.min(1)
			.max(16 * 1024)
			.openapi({ description: "PKCS#10 certificate signing request, PEM" }),
	})
	.strict()
	.openapi("RegistrationRequest");

/** An agent's state after registration or a lifecycle change. */
export const registrationResultSchema = z
	.object({
		id: z.string(),
		name: z.string().openapi({ description: "Canonical name" }),
		displayName: z.string(),
		status: z.string(),
		certificate: z.string().openapi({ description: "Agent certificate, PEM" }),
		chain: z
			.array(z.string())
			.openapi({ description: "Issuer chain, intermediate first, PEM" }),
		record: z
			.string()
			.openapi({ description: "Signed endpoint record, compact JWS" }),
	})
	.openapi("Registration");

const registerRoute = createRoute({
	method: "post",
	path: "/v1/agents",
	summary: "Register an agent version",
	security: [{ bearer: [] }],
	request: {
		body: {
			required: true,
			content: { "application/json": { schema: registrationSchema } },
		},
	},
	responses: {
		201: {
			description: "Registered",
			content: { "application/json": { schema: registrationResultSchema } },
		},
		400: {
			description: "Invalid request",
			content: { "application/json": { schema: errorSchema } },
		},
		401: {
			description: "Missing or invalid token",
			content: { "application/json": { schema: errorSchema } },
		},
		409: {
			description: "Name already registered",
			content: { "application/json": { schema: errorSchema } },
		},
		413: {
			description: "Body too large",
			content: { "application/json": { schema: errorSchema } },
		},
	},
});

/** Mounts `POST /v1/agents`. */
export function mountRegistrationRoutes(
	app: OpenAPIHono<AppEnv>,
	services: Services,
): void {
	app.use("/v1/agents", async (c, next) => {
		if (c.req.method !== "POST") {
			return next();
		}
		return requireScope(
			services.store,
			services.adminTokenHash,
			"register",
		)(c, next);
	});
	app.openapi(registerRoute, async (c) => {
		const input = c.req.valid("json");
		const registration = await registerAgent(
			{
				store: services.store,
				ca: services.ca,
				publish: services.publish,
				allowLoopbackEndpoints: services.config.allowLoopbackEndpoints,
				onChange: services.onChange,
			},
			input,
		);
		c.var.logger.info(
			{ agentId: registration.id, name: registration.name },
			"agent registered",
		);
		return c.json(registration, 201);
	});
}

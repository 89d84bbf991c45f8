import { AnsError } from "@ans/shared/errors";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../api/env.ts";
import { errorSchema } from "../api/schemas.ts";
import type { Services } from "../api/services.ts";
import { resolveAtOrigin } from "./lookup.ts";

const resolutionSchema = z
	.object({
		record: z
			.string()
			.openapi({ description: "Signed endpoint record, compact JWS" }),
		certificate: z.string(),
		chain: z.array(z.string()),
	})
	.openapi("Resolution");

const tombstoneSchema = resolutionSchema
	.extend({ error: z.object({ code: z.string(), message: z.string() }) })
	.openapi("Tombstone");

const resolveRoute = createRoute({
	method: "get",
	path: "/v1/resolve",
	summary: "Resolve a name, or a version-less name and a semver range",
	request: {
		query: z.object({
			name: z.string().max(300).openapi({
				example: "a2a://textProcessor.DocumentTranslation.AcmeCorp",
			}),
			range: z.string().max(256).optional().openapi({ example: "^2.0.0" }),
		}),
	},
	responses: {
		200: {
			description: "Active record",
			content: { "application/json": { schema: resolutionSchema } },
		},
		400: {
			description: "Invalid name or range",
			content: { "application/json": { schema: errorSchema } },
		},
		404: {
			description: "No such name or no version in range",
			content: { "application/json": { schema: errorSchema } },
		},
		410: {
			description: "Revoked or deregistered; signed tombstone",
			content: { "application/json": { schema: tombstoneSchema } },
		},
	},
});

const agentSchema = z
	.object({
		id: z.string(),
		name: z.string(),
		displayName: z.string(),
		protocol: z.string(),
		version: z.string(),
		status: z.string(),
		endpoints: z.array(z.record(z.string(), z.unknown())),
		metadata: z.record(z.string(), z.unknown()),
		metadataDigest: z.string(),
		certificateSerial: z.string(),
		record: z.string(),
		createdAt: z.string(),
		updatedAt: z.string(),
	})
	.openapi("Agent");

const getAgentRoute = createRoute({
	method: "get",
	path: "/v1/agents/{id}",
	summary: "Get a stored agent version",
	request: { params: z.object({ id: z.string().max(64) }) },
	responses: {
		200: {
			description: "The agent",
			content: { "application/json": { schema: agentSchema } },
		},
		404: {
			description: "Unknown id",
			content: { "application/json": { schema: errorSchema } },
		},
	},
});

/** Mounts `GET /v1/resolve` and `GET /v1/agents/{id}`. */
export function mountResolutionRoutes(
	app: OpenAPIHono<AppEnv>,
	services: Services,
): void {
	app.openapi(resolveRoute, async (c) => {
		const { name, range } = c.req.valid("query");
		const answer = await resolveAtOrigin(services, name, range);
		c.header("Cache-Control", "no-store");
		if (answer.status === 410) {
			return c.json(answer.body, 410);
		}
		return c.json(answer.body, 200);
	});

	app.openapi(getAgentRoute, async (c) => {
		const { id } = c.req.valid("param");
		const row = await services.store.findAgentById(id);
		if (row === undefined) {
			throw new AnsError("AGENT_NOT_FOUND", `no agent has id ${id}`, {
				status: 404,
				field: "id",
			});
		}
		return c.json(
			{
				id: row.id,
				name: row.name,
				displayName: row.displayName,
				protocol: row.protocol,
				version: row.version,
				status: row.status,
				endpoints: JSON.parse(row.endpointsJson) as Record<string, unknown>[],
				metadata: JSON.parse(row.metadataJson) as Record<string, unknown>,
				metadataDigest: row.metadataDigest,
				certificateSerial: row.certificateSerial,
				record: row.recordJws,
				createdAt: new Date(row.createdAt).toISOString(),
				updatedAt: new Date(row.updatedAt).toISOString(),
			},
			200,
		);
	});
}

import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../api/env.ts";
import { errorSchema } from "../api/schemas.ts";
import type { Services } from "../api/services.ts";
import { discoverAgents } from "./discover.ts";
import { DEFAULT_LIMIT, MAX_LIMIT, parseDiscoveryQuery } from "./query.ts";
import { MAX_QUERY_LENGTH } from "./search-terms.ts";

/** Parameters are plain strings here; parseDiscoveryQuery checks them so each error names its parameter. */
const discoveryParams = z.object({
	protocol: z.string().optional().openapi({
		description: "Protocol id, such as a2a or mcp; case-insensitive",
	}),
	capability: z.string().optional().openapi({
		description:
			"Exact capability, case-insensitive: the name's capability label or one the protocol metadata lists (A2A skill id or tag, OASF skill, …)",
	}),
	provider: z.string().optional().openapi({
		description: "Provider label of the name, case-insensitive",
	}),
	q: z
		.string()
		.optional()
		.openapi({
			description: `Full-text search over names, descriptions and skills; every word must start a word of the agent. At most ${MAX_QUERY_LENGTH} characters.`,
			example: "currency conversion",
		}),
	range: z.string().optional().openapi({
		description: "npm semver range the version must satisfy",
		example: "^1.0",
	}),
	status: z.string().optional().openapi({
		description:
			"Lifecycle status: active (default), revoked, deregistered or expired",
	}),
	cursor: z.string().optional().openapi({
		description: "The `next` value of the previous page, unchanged",
	}),
	limit: z
		.string()
		.optional()
		.openapi({
			description: `Page size, 1 to ${MAX_LIMIT}; default ${DEFAULT_LIMIT}`,
		}),
});

const agentSummarySchema = z
	.object({
		id: z.string(),
		name: z.string().openapi({ description: "Canonical name" }),
		displayName: z.string(),
		protocol: z.string(),
		version: z.string(),
		status: z.string(),
		description: z.string(),
		capabilities: z.array(z.string()),
		provider: z.string().openapi({ description: "Provider label of the name" }),
		endpoints: z.array(z.record(z.string(), z.unknown())),
	})
	.openapi("AgentSummary");

const discoveryPageSchema = z
	.object({
		agents: z.array(agentSummarySchema),
		next: z.string().nullable().openapi({
			description:
				"Cursor of the next page, or null after the last. A page may hold fewer agents than limit while more follow.",
		}),
	})
	.openapi("AgentPage");

const discoverRoute = createRoute({
	method: "get",
	path: "/v1/agents",
	summary: "Search registered agents",
	description:
		"Lists agents in registration order with exact filters, full-text search and a version range. Cursor paging neither skips nor repeats an agent while others register.",
	request: { query: discoveryParams },
	responses: {
		200: {
			description: "One page of agents",
			content: { "application/json": { schema: discoveryPageSchema } },
		},
		400: {
			description: "Invalid parameter; `field` names it",
			content: { "application/json": { schema: errorSchema } },
		},
	},
});

/** Mounts `GET /v1/agents`. */
export function mountDiscoveryRoutes(
	app: OpenAPIHono<AppEnv>,
	services: Services,
): void {
	app.openapi(discoverRoute, async (c) => {
		const query = parseDiscoveryQuery(c.req.valid("query"));
		const page = await discoverAgents(services.store, query);
		c.header("Cache-Control", "no-store");
		return c.json(page, 200);
	});
}

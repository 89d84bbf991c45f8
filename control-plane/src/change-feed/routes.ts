import type { ChangeEvent } from "@ans/shared/change-feed";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../api/env.ts";
import { errorSchema } from "../api/schemas.ts";
import type { Services } from "../api/services.ts";

/** Largest page of the change feed. */
export const maxChangePage = 500;

const changesRoute = createRoute({
	method: "get",
	path: "/v1/changes",
	summary: "Read the change feed after a sequence number",
	request: {
		query: z.object({
			after: z.coerce.number().int().min(0).default(0),
			limit: z.coerce.number().int().min(1).max(maxChangePage).default(100),
		}),
	},
	responses: {
		200: {
			description: "Changes in sequence order",
			content: {
				"application/json": {
					schema: z
						.object({
							changes: z.array(z.record(z.string(), z.unknown())),
							head: z.number().int(),
							next: z.number().int(),
						})
						.openapi("ChangePage"),
				},
			},
		},
		400: {
			description: "Invalid query",
			content: { "application/json": { schema: errorSchema } },
		},
	},
});

/** Mounts `GET /v1/changes`. */
export function mountChangeFeedRoutes(
	app: OpenAPIHono<AppEnv>,
	services: Services,
): void {
	app.openapi(changesRoute, async (c) => {
		const { after, limit } = c.req.valid("query");
		// Head is read first: every change at or below it is committed, so a
		// reader that stops at `next` never skips one.
		const head = await services.store.headSeq();
		const rows = await services.store.listChanges(after, limit);
		const changes = rows
			.filter((row) => row.seq <= head)
			.map((row) => JSON.parse(row.payloadJson) as ChangeEvent);
		const next = changes.at(-1)?.seq ?? Math.max(after, head);
		c.header("Cache-Control", "no-store");
		return c.json(
			{ changes: changes as unknown as Record<string, unknown>[], head, next },
			200,
		);
	});
}

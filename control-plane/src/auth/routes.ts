import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../api/env.ts";
import { errorSchema } from "../api/schemas.ts";
import type { Services } from "../api/services.ts";
import { requireScope } from "./middleware.ts";
import { createToken, scopes } from "./tokens.ts";

const createTokenRoute = createRoute({
	method: "post",
	path: "/v1/tokens",
	summary: "Create an API token (admin)",
	security: [{ bearer: [] }],
	request: {
		body: {
			required: true,
			content: {
				"application/json": {
					schema: z
						.object({
							scopes: z.array(z.enum(scopes)).min(1).default(["register"]),
							label: z.string().max(200).optional(),
							expiresInDays: z.number().int().min(1).max(3650).optional(),
						})
						.strict()
						.openapi("TokenRequest"),
				},
			},
		},
	},
	responses: {
		201: {
			description: "The token; its secret is shown only in this reply",
			content: {
				"application/json": {
					schema: z
						.object({
							id: z.string(),
							token: z.string(),
							scopes: z.array(z.string()),
							expiresAt: z.string().nullable(),
						})
						.openapi("Token"),
				},
			},
		},
		401: {
			description: "Missing or invalid token",
			content: { "application/json": { schema: errorSchema } },
		},
		403: {
			description: "Not an admin token",
			content: { "application/json": { schema: errorSchema } },
		},
	},
});

/** Mounts `POST /v1/tokens`. */
export function mountTokenRoutes(
	app: OpenAPIHono<AppEnv>,
	services: Services,
): void {
	app.use(
		"/v1/tokens",
		requireScope(services.store, services.adminTokenHash, "admin"),
	);
	app.openapi(createTokenRoute, async (c) => {
		const body = c.req.valid("json");
		const now = Date.now();
		const created = await createToken(services.store, {
			scopes: body.scopes,
			...(body.label === undefined ? {} : { label: body.label }),
			...(body.expiresInDays === undefined
				? {}
				: { expiresAt: now + body.expiresInDays * 86_400_000 }),
			now,
		});
		c.var.logger.info(
			{ tokenId: created.id, scopes: created.scopes },
			"token created",
		);
		return c.json(
			{
				...created,
				expiresAt:
					created.expiresAt === null
						? null
						: new Date(created.expiresAt).toISOString(),
			},
			201,
		);
	});
}

import { AnsError } from "@ans/shared/errors";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../api/env.ts";
import { errorSchema } from "../api/schemas.ts";
import type { Services } from "../api/services.ts";
import type { TokenRow } from "../storage/types.ts";
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

const tokenInfoSchema = z
	.object({
		id: z.string(),
		scopes: z.array(z.string()),
		label: z.string().nullable(),
		createdAt: z.string().openapi({ format: "date-time" }),
		expiresAt: z.string().openapi({ format: "date-time" }).nullable(),
		revokedAt: z.string().openapi({ format: "date-time" }).nullable(),
	})
	.openapi("TokenInfo");

const adminErrorResponses = {
	401: {
		description: "Missing or invalid token",
		content: { "application/json": { schema: errorSchema } },
	},
	403: {
		description: "Not an admin token",
		content: { "application/json": { schema: errorSchema } },
	},
};

const listTokensRoute = createRoute({
	method: "get",
	path: "/v1/tokens",
	summary:
		"List API tokens, revoked and expired ones included, without their secrets (admin)",
	security: [{ bearer: [] }],
	responses: {
		200: {
			description: "Tokens, oldest first",
			content: {
				"application/json": {
					schema: z.object({ tokens: z.array(tokenInfoSchema) }),
				},
			},
		},
		...adminErrorResponses,
	},
});

const revokeTokenRoute = createRoute({
	method: "delete",
	path: "/v1/tokens/{id}",
	summary:
		"Revoke an API token at once; revoking it again keeps the first revocation time (admin)",
	security: [{ bearer: [] }],
	request: {
		params: z.object({
			id: z.string().max(64).openapi({ example: "tok_0f3c…" }),
		}),
	},
	responses: {
		200: {
			description: "The revoked token",
			content: { "application/json": { schema: tokenInfoSchema } },
		},
		...adminErrorResponses,
		404: {
			description: "Unknown token id",
			content: { "application/json": { schema: errorSchema } },
		},
	},
});

/** Mounts `POST /v1/tokens`, `GET /v1/tokens` and `DELETE /v1/tokens/{id}`, all for admin tokens only. */
export function mountTokenRoutes(
	app: OpenAPIHono<AppEnv>,
	services: Services,
): void {
	const requireAdmin = requireScope(
		services.store,
		services.adminTokenHash,
		"admin",
	);
	// Hono's "/v1/tokens/*" also matches "/v1/tokens" itself.
	app.use("/v1/tokens/*", requireAdmin);
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

	app.openapi(listTokensRoute, async (c) => {
		const rows = await services.store.listTokens();
		return c.json({ tokens: rows.map(describeToken) }, 200);
	});

	app.openapi(revokeTokenRoute, async (c) => {
		const { id } = c.req.valid("param");
		const row = await services.store.revokeToken(id, Date.now());
		if (row === undefined) {
			throw new AnsError(
				"TOKEN_NOT_FOUND",
				`no API token has id ${JSON.stringify(id)}; list the ids with GET /v1/tokens or ans token list`,
				{ status: 404, field: "id" },
			);
		}
		c.var.logger.info(
			{ tokenId: row.id, revokedAt: row.revokedAt },
			"token revoked",
		);
		return c.json(describeToken(row), 200);
	});
}

/** Converts a token row to its API form: every field but the hash, times in ISO 8601. */
function describeToken(row: TokenRow) {
	return {
		id: row.id,
		scopes: row.scopes.split(" ").filter((scope) => scope !== ""),
		label: row.label,
		createdAt: new Date(row.createdAt).toISOString(),
		expiresAt: isoOrNull(row.expiresAt),
		revokedAt: isoOrNull(row.revokedAt),
	};
}

function isoOrNull(time: number | null): string | null {
	return time === null ? null : new Date(time).toISOString();
}

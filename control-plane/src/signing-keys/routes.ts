import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../api/env.ts";
import { errorSchema } from "../api/schemas.ts";
import type { Services } from "../api/services.ts";
import { requireScope } from "../auth/middleware.ts";
import { runMaintenance } from "../maintenance/job.ts";

const keySchema = z
	.object({
		kid: z.string(),
		alg: z.string(),
		status: z.enum(["published", "active", "retired"]),
		createdAt: z.string(),
		activatedAt: z.string().nullable(),
		activateAfter: z.string().nullable(),
		retiredAt: z.string().nullable(),
		unpublishAt: z.string().nullable(),
	})
	.openapi("SigningKey");

const rotateRoute = createRoute({
	method: "post",
	path: "/v1/admin/signing-keys/rotate",
	summary: "Rotate the record-signing key (admin)",
	description:
		"Publishes a new key in the JWKS now; it starts signing after activateAfterSeconds (default ANS_SIGNING_KEY_PUBLISH_SECONDS), then every record is re-signed with it. The old key stays in the JWKS until the records it signed have expired.",
	security: [{ bearer: [] }],
	request: {
		body: {
			required: false,
			content: {
				"application/json": {
					schema: z
						.object({
							activateAfterSeconds: z
								.number()
								.int()
								.min(0)
								.max(7 * 86400)
								.optional(),
						})
						.strict(),
				},
			},
		},
	},
	responses: {
		202: {
			description: "Rotation started",
			content: { "application/json": { schema: keySchema } },
		},
		409: {
			description: "A rotation is already pending",
			content: { "application/json": { schema: errorSchema } },
		},
	},
});

const listRoute = createRoute({
	method: "get",
	path: "/v1/admin/signing-keys",
	summary: "List record-signing keys and their lifecycle (admin)",
	security: [{ bearer: [] }],
	responses: {
		200: {
			description: "Keys",
			content: {
				"application/json": { schema: z.object({ keys: z.array(keySchema) }) },
			},
		},
	},
});

/** Mounts the signing-key admin routes. */
export function mountSigningKeyRoutes(
	app: OpenAPIHono<AppEnv>,
	services: Services,
): void {
	app.use(
		"/v1/admin/signing-keys/*",
		requireScope(services.store, services.adminTokenHash, "admin"),
	);
	app.use(
		"/v1/admin/signing-keys",
		requireScope(services.store, services.adminTokenHash, "admin"),
	);

	app.openapi(rotateRoute, async (c) => {
		const body =
			c.req.header("content-length") === "0" ? {} : c.req.valid("json");
		const delay =
			body?.activateAfterSeconds ?? services.config.signingKeyPublishSeconds;
		const key = await services.signingKeys.rotate(Date.now(), delay);
		c.var.logger.info(
			{ kid: key.kid, activateAfter: key.activateAfter },
			"signing key rotation started",
		);
		if (delay === 0) {
			// Activate and re-sign now, in the background: re-signing every record can take a while.
			runMaintenance(services.maintenance).catch((error: unknown) =>
				services.logger.error(
					{ err: error },
					"re-signing after key rotation failed",
				),
			);
		}
		return c.json(key, 202);
	});

	app.openapi(listRoute, (c) =>
		c.json({ keys: services.signingKeys.list() }, 200),
	);
}

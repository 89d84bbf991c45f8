import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../api/env.ts";
import { errorSchema } from "../api/schemas.ts";
import type { Services } from "../api/services.ts";
import { requireScope } from "../auth/middleware.ts";

const ROTATE_PATH = "/v1/admin/ca/rotate-intermediate";

const rotationSchema = z
	.object({
		id: z
			.string()
			.openapi({ description: "Id of the new current intermediate" }),
		previousId: z.string(),
		subject: z.string(),
		notBefore: z.string().openapi({ format: "date-time" }),
		notAfter: z.string().openapi({ format: "date-time" }),
		chain: z
			.array(z.string())
			.openapi({ description: "New intermediate and root certificate, PEM" }),
	})
	.openapi("IntermediateRotation");

const rotateRoute = createRoute({
	method: "post",
	path: ROTATE_PATH,
	summary:
		"Create a new intermediate CA that issues from now on; older intermediates keep serving CRLs and OCSP",
	security: [{ bearer: [] }],
	responses: {
		201: {
			description: "Rotated",
			content: { "application/json": { schema: rotationSchema } },
		},
		401: {
			description: "Missing or invalid token",
			content: { "application/json": { schema: errorSchema } },
		},
		403: {
			description: "Token lacks the admin scope",
			content: { "application/json": { schema: errorSchema } },
		},
	},
});

/** Mounts `POST /v1/admin/ca/rotate-intermediate`, which needs the admin scope. */
export function mountCaAdminRoutes(
	app: OpenAPIHono<AppEnv>,
	services: Services,
): void {
	app.use(
		ROTATE_PATH,
		requireScope(services.store, services.adminTokenHash, "admin"),
	);
	app.openapi(rotateRoute, async (c) => {
		const previousId = services.ca.intermediate().id;
		const rotated = await services.ca.rotateIntermediate();
		c.var.logger.info(
			{ intermediateId: rotated.id, previousIntermediateId: previousId },
			"intermediate CA rotated through the admin API",
		);
		// The first CRL of the new intermediate is generated now, so that it
		// is ready before the first certificate that points to it.
		await services.revocation.crl.regenerate(rotated.id);
		return c.json(
			{
				id: rotated.id,
				previousId,
				subject: rotated.certificate.subject,
				notBefore: rotated.certificate.notBefore.toISOString(),
				notAfter: rotated.certificate.notAfter.toISOString(),
				chain: services.ca.chainPem(rotated.id),
			},
			201,
		);
	});
}

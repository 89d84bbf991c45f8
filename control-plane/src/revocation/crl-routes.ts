import { encodePem } from "@ans/shared/keys";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../api/env.ts";
import { errorSchema } from "../api/schemas.ts";
import type { Services } from "../api/services.ts";

/** Maximum time a client or proxy may cache a CRL: 15 minutes, as for other public certificate material. */
const MAX_CRL_CACHE_SECONDS = 900;

const crlRoute = createRoute({
	method: "get",
	path: "/v1/ca/crl",
	summary:
		"Certificate revocation list of an intermediate CA: DER, or PEM with Accept: application/x-pem-file or ?format=pem",
	request: {
		query: z.object({
			issuer: z
				.string()
				.regex(/^[1-9][0-9]{0,8}$/, "must be an intermediate id such as 1")
				.optional()
				.openapi({
					description:
						"Intermediate id, as in the CRL distribution point of a certificate. Defaults to the current intermediate.",
					example: "1",
				}),
			format: z.enum(["der", "pem"]).optional(),
		}),
	},
	responses: {
		200: {
			description: "The current CRL, signed by the intermediate",
			content: {
				"application/pkix-crl": {
					schema: z.string().openapi({ format: "binary" }),
				},
				"application/x-pem-file": { schema: z.string() },
			},
		},
		400: {
			description: "Invalid query",
			content: { "application/json": { schema: errorSchema } },
		},
		404: {
			description: "No such intermediate",
			content: { "application/json": { schema: errorSchema } },
		},
	},
});

/** Mounts `GET /v1/ca/crl`. */
export function mountCrlRoutes(
	app: OpenAPIHono<AppEnv>,
	services: Services,
): void {
	app.openapi(crlRoute, async (c) => {
		const query = c.req.valid("query");
		const crl = await services.revocation.crl.current(query.issuer);

		const secondsLeft = Math.floor(
			(crl.nextUpdate.getTime() - Date.now()) / 1000,
		);
		const maxAge = Math.max(0, Math.min(MAX_CRL_CACHE_SECONDS, secondsLeft));
		const headers = {
			"Cache-Control": `public, max-age=${maxAge}`,
			"Last-Modified": crl.thisUpdate.toUTCString(),
		};

		const accept = c.req.header("accept") ?? "";
		const pem =
			query.format === "pem" ||
			(query.format === undefined && accept.includes("application/x-pem-file"));
		if (pem) {
			// RFC 7468 (section 9) and OpenSSL label a PEM CRL "X509 CRL".
			return c.body(encodePem(crl.der, "X509 CRL"), 200, {
				...headers,
				"Content-Type": "application/x-pem-file",
			});
		}
		return c.body(crl.der, 200, {
			...headers,
			"Content-Type": "application/pkix-crl",
		});
	});
}

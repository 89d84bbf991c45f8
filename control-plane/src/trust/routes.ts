/**
 * Public trust material a client needs to verify answers offline: the CA
 * certificates and the registry's JWS signing keys.
 *
 * @module
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../api/env.ts";
import type { Services } from "../api/services.ts";

/** Public certificates are cacheable for 15 minutes. */
const publicCacheControl = "public, max-age=900";

const caRoute = createRoute({
	method: "get",
	path: "/v1/ca/certificates",
	summary:
		"ANS root and intermediate CA certificates (JSON, or a PEM bundle with Accept: application/pem-certificate-chain)",
	responses: {
		200: {
			description: "CA certificates",
			content: {
				"application/json": {
					schema: z
						.object({
							root: z.string(),
							intermediate: z.string(),
							chain: z.array(z.string()),
						})
						.openapi("CaCertificates"),
				},
				"application/pem-certificate-chain": { schema: z.string() },
			},
		},
	},
});

const jwksRoute = createRoute({
	method: "get",
	path: "/.well-known/jwks.json",
	summary: "Registry record-signing keys (JWKS)",
	responses: {
		200: {
			description: "JSON Web Key Set",
			content: {
				"application/json": {
					schema: z
						.object({ keys: z.array(z.record(z.string(), z.unknown())) })
						.openapi("Jwks"),
				},
			},
		},
	},
});

/** Mounts `GET /v1/ca/certificates` and `GET /.well-known/jwks.json`. */
export function mountTrustRoutes(
	app: OpenAPIHono<AppEnv>,
	services: Services,
): void {
	app.openapi(caRoute, (c) => {
		const chain = services.ca.chainPem();
		const root = services.ca.rootPem();
		const intermediate = chain[0] ?? "";
		c.header("Cache-Control", publicCacheControl);
		const accept = c.req.header("accept") ?? "";
		if (/application\/(pem-certificate-chain|x-pem-file)/.test(accept)) {
			return c.body(`${chain.map((pem) => pem.trim()).join("\n")}\n`, 200, {
				"Content-Type": "application/pem-certificate-chain",
			});
		}
		return c.json({ root, intermediate, chain }, 200);
	});

	app.openapi(jwksRoute, async (c) => {
		c.header("Cache-Control", publicCacheControl);
		return c.json(await services.signingKeys.jwks(), 200);
	});
}

/**
 * Public trust material a client needs to verify answers offline: the CA
 * certificates and the registry's JWS signing keys.
 *
 * @module
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../api/env.ts";
import { errorSchema } from "../api/schemas.ts";
import type { Services } from "../api/services.ts";

/** Public certificates and the JWKS are cacheable for 15 minutes. */
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

/** An intermediate's file name: its decimal id and `.cer`, such as `1.cer`. */
const INTERMEDIATE_FILE = /^[1-9][0-9]{0,8}\.cer$/;

const intermediateRoute = createRoute({
	method: "get",
	path: "/v1/ca/intermediates/{file}",
	summary:
		"One intermediate CA certificate as DER, the target of the caIssuers URI in agent certificates",
	description:
		"RFC 5280 section 4.2.2.1 expects a caIssuers URI to return a DER certificate (application/pkix-cert). Older intermediates stay available, so certificates they issued still lead to their issuer.",
	request: {
		params: z.object({
			file: z.string().regex(INTERMEDIATE_FILE).openapi({
				description: "Intermediate id followed by .cer",
				example: "1.cer",
			}),
		}),
	},
	responses: {
		200: {
			description: "The intermediate certificate, DER",
			content: {
				"application/pkix-cert": {
					schema: z.string().openapi({ format: "binary" }),
				},
			},
		},
		404: {
			description: "No intermediate has this id",
			content: { "application/json": { schema: errorSchema } },
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

/**
 * Mounts `GET /v1/ca/certificates`, `GET /v1/ca/intermediates/{id}.cer`
 * and `GET /.well-known/jwks.json`.
 */
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

	app.openapi(intermediateRoute, (c) => {
		const { file } = c.req.valid("param");
		// The parameter matched INTERMEDIATE_FILE, so it ends in ".cer".
		const id = file.slice(0, -".cer".length);
		// Raises CA_ISSUER_NOT_FOUND (404) for an id the CA does not have.
		const intermediate = services.ca.intermediate(id);
		c.header("Cache-Control", publicCacheControl);
		return c.body(new Uint8Array(intermediate.certificate.rawData), 200, {
			"Content-Type": "application/pkix-cert",
		});
	});

	app.openapi(jwksRoute, async (c) => {
		c.header("Cache-Control", publicCacheControl);
		return c.json(await services.signingKeys.jwks(), 200);
	});
}

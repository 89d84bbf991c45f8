import { AnsError } from "@ans/shared/errors";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../api/env.ts";
import { errorSchema } from "../api/schemas.ts";
import type { Services } from "../api/services.ts";
import { normalizeSerialHex } from "./certificate-status.ts";

const statusSchema = z
	.object({
		serial: z.string().openapi({ description: "Lowercase hex serial number" }),
		status: z.enum(["good", "revoked"]),
		issuerId: z
			.string()
			.openapi({ description: "Id of the issuing intermediate CA" }),
		revokedAt: z.string().optional().openapi({ format: "date-time" }),
		reason: z
			.string()
			.optional()
			.openapi({ description: "RFC 5280 CRLReason name" }),
		notAfter: z.string().openapi({ format: "date-time" }),
		checkedAt: z.string().openapi({
			format: "date-time",
			description: "Time the status was read from the database",
		}),
	})
	.openapi("CertificateStatus");

const statusRoute = createRoute({
	method: "get",
	path: "/v1/certificates/{serial}/status",
	summary: "Revocation status of an agent certificate",
	request: {
		params: z.object({
			serial: z.string().max(64).openapi({
				description:
					"Serial number in hex, as `openssl x509 -serial` prints it",
				example: "5f1c0e8a9d2b4c6e8f0a1b2c3d4e5f60",
			}),
		}),
	},
	responses: {
		200: {
			description: "Status of an issued certificate",
			content: { "application/json": { schema: statusSchema } },
		},
		400: {
			description: "Invalid serial number",
			content: { "application/json": { schema: errorSchema } },
		},
		404: {
			description: "The CA never issued a certificate with this serial",
			content: { "application/json": { schema: errorSchema } },
		},
	},
});

/** Mounts `GET /v1/certificates/{serial}/status`, served through the validation cache. */
export function mountStatusRoutes(
	app: OpenAPIHono<AppEnv>,
	services: Services,
): void {
	app.openapi(statusRoute, async (c) => {
		const serial = normalizeSerialHex(c.req.valid("param").serial);
		const found = await services.revocation.statuses.lookup(serial);
		if (found.status === "unknown") {
			throw new AnsError(
				"CERTIFICATE_NOT_FOUND",
				`no certificate with serial ${serial} was issued by this registry; check the serial with openssl x509 -serial`,
				{ status: 404, field: "serial" },
			);
		}
		c.header("Cache-Control", "no-cache");
		return c.json(
			{
				serial: found.serial,
				status: found.status,
				issuerId: found.issuerId,
				...(found.revokedAt === undefined
					? {}
					: { revokedAt: new Date(found.revokedAt).toISOString() }),
				...(found.reason === undefined ? {} : { reason: found.reason }),
				notAfter: new Date(found.notAfter).toISOString(),
				checkedAt: new Date(found.checkedAt).toISOString(),
			},
			200,
		);
	});
}

/**
 * Revocation services: CRLs per intermediate, the OCSP responder, the
 * certificate status endpoint and the validation cache behind them.
 *
 * @module
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../api/env.ts";
import type { Services } from "../api/services.ts";
import { mountCrlRoutes } from "./crl-routes.ts";
import { mountOcspRoutes } from "./ocsp-routes.ts";
import { mountStatusRoutes } from "./status-routes.ts";

export * from "./certificate-status.ts";
export * from "./crl-publisher.ts";
export * from "./ocsp-responder.ts";
export * from "./redis-validation-cache.ts";
export * from "./revocation.ts";
export * from "./validation-cache.ts";

/** Mounts the CRL, OCSP and certificate status routes. */
export function mountRevocationRoutes(
	app: OpenAPIHono<AppEnv>,
	services: Services,
): void {
	mountCrlRoutes(app, services);
	mountOcspRoutes(app, services);
	mountStatusRoutes(app, services);
}

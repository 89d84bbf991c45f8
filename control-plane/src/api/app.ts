/**
 * Builds the control plane's Hono app from started services.
 *
 * @module
 */
import { AnsError } from "@ans/shared/errors";
import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { requestId } from "hono/request-id";
import { mountTokenRoutes } from "../auth/routes.ts";
import { mountCaAdminRoutes } from "../certificates/rotation-routes.ts";
import { mountChangeFeedRoutes } from "../change-feed/routes.ts";
import { mountDiscoveryRoutes } from "../discovery/routes.ts";
import { mountEdgeSyncRoutes } from "../edge-sync/index.ts";
import { mountHealthRoutes } from "../health/routes.ts";
import { mountLifecycleRoutes } from "../lifecycle/routes.ts";
import { mountRegistrationRoutes } from "../registration/routes.ts";
import { mountResolutionRoutes } from "../resolution/routes.ts";
import { mountRevocationRoutes } from "../revocation/index.ts";
import { mountSigningKeyRoutes } from "../signing-keys/routes.ts";
import { mountTrustRoutes } from "../trust/routes.ts";
import type { AppEnv } from "./env.ts";
import { handleError, handleNotFound } from "./errors.ts";
import { requestLog } from "./request-log.ts";
import type { Services } from "./services.ts";
import { validationError } from "./validation-error.ts";

/** Creates the HTTP app; routes read everything they need from `services`. */
export function createApp(services: Services): OpenAPIHono<AppEnv> {
	const app = new OpenAPIHono<AppEnv>({
		defaultHook: (result, _c) => {
			if (!result.success) {
				const target = "target" in result ? String(result.target) : "json";
				const input = "data" in result ? result.data : undefined;
				throw validationError(result.error, target, input);
			}
			return undefined;
		},
	});

	app.use(requestId({ headerName: "X-Request-Id" }));
	app.use(requestLog(services.logger));
	app.use(
		bodyLimit({
			maxSize: services.config.maxBodyBytes,
			onError: (c) => {
				// The rest of the body is never read, so the connection cannot be reused.
				c.header("Connection", "close");
				throw new AnsError(
					"BODY_TOO_LARGE",
					`request body exceeds ${services.config.maxBodyBytes} bytes (ANS_MAX_BODY_BYTES)`,
					{ status: 413, field: "body" },
				);
			},
		}),
	);
	app.onError(handleError);
	app.notFound(handleNotFound);

	mountHealthRoutes(app, services);
	mountTrustRoutes(app, services);
	mountTokenRoutes(app, services);
	mountRegistrationRoutes(app, services);
	mountDiscoveryRoutes(app, services);
	mountResolutionRoutes(app, services);
	mountLifecycleRoutes(app, services);
	mountSigningKeyRoutes(app, services);
	mountRevocationRoutes(app, services);
	mountCaAdminRoutes(app, services);
	mountChangeFeedRoutes(app, services);
	mountEdgeSyncRoutes(app, services);

	app.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
		type: "http",
		scheme: "bearer",
	});
	app.doc31("/openapi.json", {
		openapi: "3.1.0",
		info: {
			title: "Agent Name Service control plane",
			version: "0.1.0",
			description:
				"Registration, certificate issuance, resolution origin and change feed.",
		},
	});
	return app;
}

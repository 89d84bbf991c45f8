import type { MiddlewareHandler } from "hono";
import type { Logger } from "../logging/logger.ts";
import type { AppEnv } from "./env.ts";

/**
 * Gives each request a child logger carrying its request id, and logs one
 * line per completed request. Query strings are left out because they may
 * carry names users consider private; the path is enough to correlate.
 */
export function requestLog(logger: Logger): MiddlewareHandler<AppEnv> {
	return async (c, next) => {
		const started = performance.now();
		const child = logger.child({ reqId: c.var.requestId });
		c.set("logger", child);
		await next();
		const status = c.res.status;
		const fields = {
			method: c.req.method,
			path: c.req.path,
			status,
			ms: Math.round((performance.now() - started) * 10) / 10,
		};
		if (status >= 500) {
			child.error(fields, "request completed");
		} else {
			child.info(fields, "request completed");
		}
	};
}

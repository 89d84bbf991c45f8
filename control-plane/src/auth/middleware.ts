import { AnsError } from "@ans/shared/errors";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../api/env.ts";
import type { Store } from "../storage/types.ts";
import { authenticateToken, type Scope } from "./tokens.ts";

/** Rejects a request unless its bearer token grants `scope`. */
export function requireScope(
	store: Store,
	adminTokenHash: string,
	scope: Scope,
): MiddlewareHandler<AppEnv> {
	return async (c, next) => {
		const header = c.req.header("authorization");
		const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
		if (match?.[1] === undefined) {
			throw new AnsError(
				"TOKEN_MISSING",
				"this call needs an Authorization: Bearer <token> header (create one with `ans token create`)",
				{ status: 401, field: "authorization" },
			);
		}
		const granted = await authenticateToken(store, adminTokenHash, match[1]);
		if (!granted.has(scope)) {
			throw new AnsError(
				"TOKEN_SCOPE_MISSING",
				`the bearer token lacks the "${scope}" scope`,
				{
					status: 403,
					field: "authorization",
				},
			);
		}
		c.set("scopes", granted);
		await next();
	};
}

import type { Logger } from "../logging/logger.ts";

/** Per-request variables the middleware sets. */
export interface AppEnv {
	Variables: {
		requestId: string;
		logger: Logger;
		/** Scopes granted by the bearer token, set by the auth middleware. */
		scopes: ReadonlySet<string>;
	};
}

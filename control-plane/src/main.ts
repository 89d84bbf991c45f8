/**
 * Entry point of `npm run start:control-plane`: reads the environment,
 * starts the control plane and stops it cleanly on SIGINT or SIGTERM.
 */
import { isAnsError } from "@ans/shared/errors";
import { type Config, loadConfig } from "./config/config.ts";
import { createLogger } from "./logging/logger.ts";
import { startControlPlane } from "./server.ts";

let config: Config;
try {
	config = loadConfig();
} catch (error) {
	// A configuration mistake needs its message, not a stack trace.
	process.stderr.write(`${(error as Error).message}\n`);
	process.exit(1);
}
const logger = createLogger(config.logLevel);
const running = await startControlPlane(config, { logger }).catch(
	(error: unknown) => {
		const code = isAnsError(error) ? error.code : undefined;
		const hint =
			code?.startsWith("KEY_PASSPHRASE") === true
				? " (the passphrase comes from ANS_KEY_PASSPHRASE)"
				: "";
		logger.fatal(
			{ err: error, code },
			`control plane failed to start: ${(error as Error).message}${hint}`,
		);
		process.exit(1);
	},
);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
	process.once(signal, () => {
		logger.info({ signal }, "stopping");
		running.close().then(
			() => process.exit(0),
			(error: unknown) => {
				logger.error({ err: error }, "error while stopping");
				process.exit(1);
			},
		);
	});
}

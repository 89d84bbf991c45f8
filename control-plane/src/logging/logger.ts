/**
 * JSON logging with pino. Redaction covers the places a secret could reach
 * a log line through a structured field; code must still never pass keys,
 * tokens or CSRs to the logger.
 *
 * @module
 */
import { type Logger, pino } from "pino";

export type { Logger };

/** Paths that pino replaces with "[redacted]" wherever they appear. */
const redactedPaths = [
	"authorization",
	"headers.authorization",
	"req.headers.authorization",
	"token",
	"adminToken",
	"passphrase",
	"privateKey",
	"csr",
	"*.token",
	"*.privateKey",
	"*.csr",
];

/** Creates the service logger writing JSON lines to stdout. */
export function createLogger(
	level: string,
	base: Record<string, unknown> = {},
): Logger {
	return pino({
		level,
		base: { service: "ans-control-plane", ...base },
		redact: { paths: redactedPaths, censor: "[redacted]" },
		timestamp: pino.stdTimeFunctions.isoTime,
	});
}

/**
 * JSON log lines on the console, which workerd forwards to its log output.
 * The field names follow pino's (`level`, `time`, `msg`) so one log
 * pipeline reads control-plane and edge logs alike.
 *
 * @module
 */

type Level = "info" | "warn" | "error";

const LEVEL_NUMBERS: Record<Level, number> = { info: 30, warn: 40, error: 50 };

/** Writes one log line with `fields`; an `err` field is reduced to its name and message. */
export function log(
	level: Level,
	msg: string,
	fields: Record<string, unknown> = {},
): void {
	const { err, ...rest } = fields;
	const line: Record<string, unknown> = {
		level: LEVEL_NUMBERS[level],
		time: Date.now(),
		msg,
		...rest,
	};
	if (err !== undefined) {
		line.err =
			err instanceof Error
				? { type: err.name, message: err.message }
				: { message: String(err) };
	}
	const text = JSON.stringify(line);
	if (level === "error") {
		console.error(text);
	} else if (level === "warn") {
		console.warn(text);
	} else {
		console.log(text);
	}
}

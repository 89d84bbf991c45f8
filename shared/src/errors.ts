/**
 * Errors that cross a boundary (HTTP reply, CLI output, verification result)
 * carry a stable machine-readable `code`, the HTTP `status` that fits, and
 * the offending `field` when one input value is at fault.
 *
 * @module
 */

/** Body of every error reply: `{"error":{"code","message","field"}}`. */
export interface ErrorBody {
	error: {
		code: string;
		message: string;
		field?: string;
	};
}

/**
 * An error with a stable code a caller can switch on.
 *
 * @example
 * throw new AnsError("NAME_EMPTY_LABEL", "agentId is empty", { status: 400, field: "name" });
 */
export class AnsError extends Error {
	readonly code: string;
	readonly status: number;
	readonly field: string | undefined;

	constructor(
		code: string,
		message: string,
		options: { status?: number; field?: string; cause?: unknown } = {},
	) {
		super(message, { cause: options.cause });
		this.name = "AnsError";
		this.code = code;
		this.status = options.status ?? 400;
		this.field = options.field;
	}

	/** Builds the JSON body used in HTTP replies and CLI error output. */
	toBody(): ErrorBody {
		const error: ErrorBody["error"] = {
			code: this.code,
			message: this.message,
		};
		if (this.field !== undefined) {
			error.field = this.field;
		}
		return { error };
	}
}

/** Reports whether a value is an {@link AnsError}, across module copies too. */
export function isAnsError(value: unknown): value is AnsError {
	return (
		value instanceof AnsError ||
		(value instanceof Error &&
			value.name === "AnsError" &&
			"code" in value &&
			"status" in value)
	);
}

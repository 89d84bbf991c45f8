import { AnsError } from "../errors.ts";

/** Maximum length of the input excerpt that an error message repeats. */
const MAX_QUOTED_LENGTH = 80;

/** Builds the AnsError for an invalid name: status 400, field `name`. */
export function nameError(code: string, message: string): AnsError {
	return new AnsError(code, message, { status: 400, field: "name" });
}

/**
 * Quotes a value for an error message as a JSON string, so control characters
 * stay visible. Long values are cut to their first 80 characters because an
 * over-long input would otherwise be echoed in full.
 */
export function quote(value: string): string {
	if (value.length <= MAX_QUOTED_LENGTH) {
		return JSON.stringify(value);
	}
	return `${JSON.stringify(value.slice(0, MAX_QUOTED_LENGTH))}…`;
}

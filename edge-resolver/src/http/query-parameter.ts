/**
 * Reading one query parameter with the control plane's rules and error
 * codes, so that both reject a bad resolve query alike.
 *
 * @module
 */
import { AnsError } from "@ans/shared/errors";

/**
 * Returns the only value of the query parameter `name`, or undefined when
 * it is absent. `values` contains every value in the request, as Hono's
 * `c.req.queries(name)` returns them.
 *
 * @throws AnsError `FIELD_REPEATED` (400) when the parameter was given more
 * than once, and `FIELD_INVALID` (400) when the value is longer than
 * `maxLength` characters.
 */
export function singleQueryParameter(
	name: string,
	values: readonly string[] | undefined,
	maxLength: number,
): string | undefined {
	if (values === undefined || values.length === 0) {
		return undefined;
	}
	if (values.length > 1) {
		throw new AnsError(
			"FIELD_REPEATED",
			`${name} was given more than once; give it once`,
			{ status: 400, field: name },
		);
	}
	const value = values[0] as string;
	if (value.length > maxLength) {
		throw new AnsError(
			"FIELD_INVALID",
			`${name} must be at most ${maxLength} characters, got ${value.length}`,
			{ status: 400, field: name },
		);
	}
	return value;
}

/**
 * Turns a request-schema failure into one {@link AnsError} that names the
 * first invalid field and the value expected, in place of zod's own
 * wording.
 *
 * @module
 */
import { AnsError } from "@ans/shared/errors";
import type { ZodError } from "zod";

type Issue = ZodError["issues"][number];

/**
 * Builds the error for the first issue. `target` is the validated part of
 * the request (`json`, `query`, `param`) and `input` its raw value, which
 * distinguishes a missing field from a present but invalid one.
 */
export function validationError(
	error: ZodError,
	target: string,
	input: unknown,
): AnsError {
	const issue = error.issues[0];
	if (issue === undefined) {
		return new AnsError("FIELD_INVALID", "invalid request", {
			status: 400,
			field: targetName(target),
		});
	}
	const path = issue.path;
	const field = formatPath(path) || targetName(target);
	const value = valueAt(input, path);

	if (path.length === 0 && target === "json" && issue.code === "invalid_type") {
		return new AnsError(
			"BODY_NOT_OBJECT",
			"the request body must be a JSON object",
			{ status: 400, field: "body" },
		);
	}
	if (issue.code === "unrecognized_keys") {
		const key = issue.keys[0] ?? "";
		const unknown = formatPath([...path, key]);
		return new AnsError(
			"FIELD_UNKNOWN",
			`unknown field ${JSON.stringify(unknown)}; remove it or check its spelling`,
			{ status: 400, field: unknown },
		);
	}
	if (target === "query" && Array.isArray(value)) {
		return new AnsError(
			"FIELD_REPEATED",
			`${field} was given more than once; give it once`,
			{
				status: 400,
				field,
			},
		);
	}
	if (value === undefined) {
		return new AnsError("FIELD_REQUIRED", `${field} is required`, {
			status: 400,
			field,
		});
	}
	return new AnsError("FIELD_INVALID", describe(issue, field, value), {
		status: 400,
		field,
	});
}

function describe(issue: Issue, field: string, value: unknown): string {
	switch (issue.code) {
		case "invalid_type":
			return `${field} must be ${article(issue.expected)}, got ${typeName(value)}`;
		case "too_big":
			return `${field} must be at most ${issue.maximum} ${unit(issue.origin)}, got ${size(value)}`;
		case "too_small":
			return Number(issue.minimum) === 1 &&
				(issue.origin === "string" || issue.origin === "array")
				? `${field} must not be empty`
				: `${field} must be at least ${issue.minimum} ${unit(issue.origin)}, got ${size(value)}`;
		case "invalid_value":
			return `${field} must be one of ${issue.values.map((option) => JSON.stringify(option)).join(", ")}`;
		default:
			return `${field}: ${issue.message}`;
	}
}

function unit(origin: string): string {
	if (origin === "string") {
		return "characters";
	}
	if (origin === "array" || origin === "set") {
		return "items";
	}
	return "";
}

function size(value: unknown): string {
	if (typeof value === "string" || Array.isArray(value)) {
		return String(value.length);
	}
	return JSON.stringify(value) ?? String(value);
}

function article(expected: string): string {
	return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function typeName(value: unknown): string {
	if (value === null) {
		return "null";
	}
	return Array.isArray(value) ? "an array" : article(typeof value);
}

function targetName(target: string): string {
	return target === "json" ? "body" : target;
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
	let current = input;
	for (const part of path) {
		if (current === null || typeof current !== "object") {
			return undefined;
		}
		current = (current as Record<PropertyKey, unknown>)[part];
	}
	return current;
}

function formatPath(path: PropertyKey[]): string {
	let out = "";
	for (const part of path) {
		if (typeof part === "number") {
			out += `[${part}]`;
		} else {
			out += out === "" ? String(part) : `.${String(part)}`;
		}
	}
	return out;
}

import { AnsError } from "../errors.ts";

function invalid(path: string, problem: string): AnsError {
	return new AnsError(
		"JSON_VALUE_INVALID",
		`Value at ${path} ${problem}, so it has no canonical JSON form. Use only strings, finite numbers, booleans, null, arrays and plain objects.`,
		{ status: 400, field: path },
	);
}

function isPlainObject(value: object): boolean {
	const prototype = Object.getPrototypeOf(value);
	return prototype === Object.prototype || prototype === null;
}

// A lone surrogate cannot be encoded as UTF-8, and RFC 8785 rejects it.
const LONE_SURROGATE = /\p{Cs}/u;

function serialize(
	value: unknown,
	path: string,
	ancestors: Set<object>,
): string {
	if (value === null || typeof value === "boolean") {
		return JSON.stringify(value);
	}
	if (typeof value === "number") {
		if (!Number.isFinite(value)) {
			throw invalid(path, `is the number ${value}`);
		}
		return JSON.stringify(value);
	}
	if (typeof value === "string") {
		if (LONE_SURROGATE.test(value)) {
			throw invalid(path, "is a string with a lone UTF-16 surrogate");
		}
		return JSON.stringify(value);
	}
	if (typeof value !== "object") {
		throw invalid(path, `has type ${typeof value}`);
	}
	if (ancestors.has(value)) {
		throw invalid(path, "refers back to an enclosing object");
	}

	ancestors.add(value);
	let text: string;
	if (Array.isArray(value)) {
		const items = value.map((item, index) => {
			if (item === undefined) {
				throw invalid(`${path}[${index}]`, "is undefined");
			}
			return serialize(item, `${path}[${index}]`, ancestors);
		});
		text = `[${items.join(",")}]`;
	} else if (isPlainObject(value)) {
		const record = value as Record<string, unknown>;
		// Default sort compares UTF-16 code units, which is the key order RFC 8785 prescribes.
		const keys = Object.keys(record)
			.filter((key) => record[key] !== undefined)
			.sort();
		const members = keys.map((key) => {
			const member = serialize(record[key], `${path}.${key}`, ancestors);
			return `${serialize(key, `${path}.${key}`, ancestors)}:${member}`;
		});
		text = `{${members.join(",")}}`;
	} else {
		throw invalid(
			path,
			`is a ${value.constructor?.name ?? "non-plain"} object`,
		);
	}
	ancestors.delete(value);
	return text;
}

/**
 * Serializes a JSON value with object keys sorted by UTF-16 code units and no
 * whitespace. Strings and numbers use the ECMAScript JSON serialization, as
 * RFC 8785 (JSON Canonicalization Scheme) does, so the output is JCS for
 * every value this function accepts.
 *
 * Object members whose value is `undefined` are left out, as `JSON.stringify`
 * does.
 *
 * @throws AnsError `JSON_VALUE_INVALID` (status 400, field is the JSON path
 * such as `$.a[0]`) for non-finite numbers, lone surrogates, `undefined` array
 * items, cycles, and values that are not plain JSON data (functions, symbols,
 * bigints, Dates, Maps, class instances).
 */
export function canonicalJson(value: unknown): string {
	return serialize(value, "$", new Set());
}

import type { ValidationIssue } from "./types.ts";

/** A JSON object as parsed. */
export type JsonObject = Record<string, unknown>;

/** Reports whether a value is a JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Appends one reference token to a JSON pointer, escaped as RFC 6901 requires. */
export function childPointer(pointer: string, token: string | number): string {
	const escaped = String(token).replaceAll("~", "~0").replaceAll("/", "~1");
	return `${pointer}/${escaped}`;
}

/** Describes a JSON value's type for messages, such as "a number" or "null". */
export function describeJsonType(value: unknown): string {
	if (value === null) {
		return "null";
	}
	if (Array.isArray(value)) {
		return "an array";
	}
	if (typeof value === "object") {
		return "an object";
	}
	return `a ${typeof value}`;
}

/**
 * Reads members of a protocol document and collects a
 * {@link ValidationIssue} for each member that is missing or has the wrong
 * type. Optional members that are absent or `null` read as `undefined`,
 * because SDKs in several languages write `null` for unset fields.
 */
export class DocumentReader {
	readonly issues: ValidationIssue[] = [];

	/** Records an issue; `message` continues the pointer, as in "must not be empty". */
	report(pointer: string, code: string, message: string): void {
		this.issues.push({ pointer, code, message });
	}

	/** Returns `value` when it is an object, and reports a type mismatch otherwise. */
	object(value: unknown, pointer: string): JsonObject | undefined {
		if (isJsonObject(value)) {
			return value;
		}
		this.#mismatch(pointer, "an object", value);
		return undefined;
	}

	/** Reads a member that must be an object. */
	requiredObject(parent: JsonObject, key: string, pointer: string) {
		const value = this.#required(parent, key, pointer);
		return value === undefined
			? undefined
			: this.object(value, childPointer(pointer, key));
	}

	/** Reads a member that, when present, must be an object. */
	optionalObject(parent: JsonObject, key: string, pointer: string) {
		const value = parent[key];
		return value === undefined || value === null
			? undefined
			: this.object(value, childPointer(pointer, key));
	}

	/** Reads a member that must be a string, non-empty unless `allowEmpty`. */
	requiredString(
		parent: JsonObject,
		key: string,
		pointer: string,
		options: { allowEmpty?: boolean } = {},
	): string | undefined {
		const value = this.#required(parent, key, pointer);
		return value === undefined
			? undefined
			: this.#string(value, childPointer(pointer, key), options);
	}

	/** Reads a member that, when present, must be a string, non-empty unless `allowEmpty`. */
	optionalString(
		parent: JsonObject,
		key: string,
		pointer: string,
		options: { allowEmpty?: boolean } = {},
	): string | undefined {
		const value = parent[key];
		return value === undefined || value === null
			? undefined
			: this.#string(value, childPointer(pointer, key), options);
	}

	/** Reads a member that, when present, must be a boolean. */
	optionalBoolean(
		parent: JsonObject,
		key: string,
		pointer: string,
	): boolean | undefined {
		const value = parent[key];
		if (value === undefined || value === null) {
			return undefined;
		}
		if (typeof value !== "boolean") {
			this.#mismatch(childPointer(pointer, key), "true or false", value);
			return undefined;
		}
		return value;
	}

	/** Reads a member that must be an array. */
	requiredArray(
		parent: JsonObject,
		key: string,
		pointer: string,
	): unknown[] | undefined {
		const value = this.#required(parent, key, pointer);
		return value === undefined
			? undefined
			: this.#array(value, childPointer(pointer, key));
	}

	/** Reads a member that, when present, must be an array. */
	optionalArray(
		parent: JsonObject,
		key: string,
		pointer: string,
	): unknown[] | undefined {
		const value = parent[key];
		return value === undefined || value === null
			? undefined
			: this.#array(value, childPointer(pointer, key));
	}

	/** Reads a member that must be (or, unless `required`, may be) an array of non-empty strings. */
	stringArray(
		parent: JsonObject,
		key: string,
		pointer: string,
		options: { required: boolean },
	): string[] | undefined {
		const items = options.required
			? this.requiredArray(parent, key, pointer)
			: this.optionalArray(parent, key, pointer);
		if (items === undefined) {
			return undefined;
		}
		const arrayPointer = childPointer(pointer, key);
		const strings: string[] = [];
		items.forEach((item, index) => {
			const text = this.#string(item, childPointer(arrayPointer, index), {});
			if (text !== undefined) {
				strings.push(text);
			}
		});
		return strings;
	}

	/**
	 * Reads a member that must be (or, unless `required`, may be) an absolute
	 * URL. `schemes` lists the accepted schemes without the colon; absent
	 * means any scheme.
	 */
	url(
		parent: JsonObject,
		key: string,
		pointer: string,
		options: { required: boolean; schemes?: readonly string[] },
	): string | undefined {
		const text = options.required
			? this.requiredString(parent, key, pointer)
			: this.optionalString(parent, key, pointer);
		if (text === undefined) {
			return undefined;
		}
		const urlPointer = childPointer(pointer, key);
		if (!URL.canParse(text)) {
			this.report(
				urlPointer,
				"URL_INVALID",
				`must be an absolute URL such as https://agent.example.com/, but it is ${quoteValue(text)}`,
			);
			return undefined;
		}
		const scheme = new URL(text).protocol.slice(0, -1);
		if (options.schemes !== undefined && !options.schemes.includes(scheme)) {
			this.report(
				urlPointer,
				"URL_SCHEME_UNSUPPORTED",
				`must use ${options.schemes.join(" or ")}, but it uses ${quoteValue(scheme)}`,
			);
			return undefined;
		}
		return text;
	}

	#required(parent: JsonObject, key: string, pointer: string): unknown {
		const value = parent[key];
		if (value === undefined) {
			this.report(childPointer(pointer, key), "FIELD_MISSING", "is missing");
		}
		return value;
	}

	#string(
		value: unknown,
		pointer: string,
		options: { allowEmpty?: boolean },
	): string | undefined {
		if (typeof value !== "string") {
			this.#mismatch(pointer, "a string", value);
			return undefined;
		}
		if (value.trim() === "" && options.allowEmpty !== true) {
			this.report(pointer, "VALUE_EMPTY", "must not be empty or blank");
			return undefined;
		}
		return value;
	}

	#array(value: unknown, pointer: string): unknown[] | undefined {
		if (Array.isArray(value)) {
			return value;
		}
		this.#mismatch(pointer, "an array", value);
		return undefined;
	}

	#mismatch(pointer: string, expected: string, value: unknown): void {
		this.report(
			pointer,
			"TYPE_MISMATCH",
			`must be ${expected}, but it is ${describeJsonType(value)}`,
		);
	}
}

/** Quotes a document value for a message, cut to 80 characters. */
export function quoteValue(value: string): string {
	const excerpt = value.length > 80 ? `${value.slice(0, 80)}…` : value;
	return JSON.stringify(excerpt);
}

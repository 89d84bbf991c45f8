import { isJsonObject, type JsonObject } from "./document-reader.ts";

/**
 * Returns the non-blank strings of `values`, trimmed, keeping the first of
 * any that are equal ignoring case.
 */
export function uniqueTexts(values: Iterable<unknown>): string[] {
	const seen = new Set<string>();
	const texts: string[] = [];
	for (const value of values) {
		if (typeof value !== "string") {
			continue;
		}
		const text = value.trim();
		const key = text.toLowerCase();
		if (text === "" || seen.has(key)) {
			continue;
		}
		seen.add(key);
		texts.push(text);
	}
	return texts;
}

/** Joins the strings among `parts` into search text, one per line, without repeats. */
export function joinSearchText(parts: Iterable<unknown>): string {
	return uniqueTexts(parts).join("\n");
}

/** Returns `object[key]` when it is a string with text, and undefined otherwise. */
export function textMember(
	object: JsonObject | undefined,
	key: string,
): string | undefined {
	const value = object?.[key];
	return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

/** Returns `object[key]` when it is an object. */
export function objectMember(
	object: JsonObject | undefined,
	key: string,
): JsonObject | undefined {
	const value = object?.[key];
	return isJsonObject(value) ? value : undefined;
}

/** Returns the objects in the array `object[key]`, each with its index; [] when absent. */
export function objectItems(
	object: JsonObject | undefined,
	key: string,
): [JsonObject, number][] {
	const value = object?.[key];
	if (!Array.isArray(value)) {
		return [];
	}
	const items: [JsonObject, number][] = [];
	value.forEach((item, index) => {
		if (isJsonObject(item)) {
			items.push([item, index]);
		}
	});
	return items;
}

/** Returns the strings in the array `object[key]`; [] when absent. */
export function textItems(
	object: JsonObject | undefined,
	key: string,
): string[] {
	const value = object?.[key];
	return Array.isArray(value)
		? value.filter((item): item is string => typeof item === "string")
		: [];
}

/**
 * Returns the owner label of a reverse-DNS identifier: the user of
 * `io.github.<user>` and the second label otherwise, so `com.cloudflare`
 * gives `cloudflare` and `org.agntcy.mailcomposer` gives `agntcy`.
 * Returns undefined for fewer than two labels.
 */
export function reverseDnsOwner(identifier: string): string | undefined {
	const labels = identifier.split(".").filter((label) => label !== "");
	if (labels.length < 2) {
		return undefined;
	}
	const [first, second, third] = labels;
	if (
		first?.toLowerCase() === "io" &&
		second?.toLowerCase() === "github" &&
		third !== undefined
	) {
		return third;
	}
	return second;
}

/** Copies the members of `values` that are not undefined onto `target`. */
export function assignDefined<T extends object>(
	target: T,
	values: Partial<T>,
): void {
	for (const [key, value] of Object.entries(values)) {
		if (value !== undefined) {
			(target as Record<string, unknown>)[key] = value;
		}
	}
}

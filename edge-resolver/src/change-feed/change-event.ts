/**
 * Shape checks for change events that arrive from the network, in a push or
 * a pulled feed page, before the replica stores them.
 *
 * @module
 */
import type { ChangeEvent } from "@ans/shared/change-feed";

const STRING_FIELDS = [
	"type",
	"agentId",
	"baseKey",
	"name",
	"version",
	"status",
	"record",
	"certificate",
] as const;

/**
 * Describes what is wrong with `value` as a {@link ChangeEvent}, naming it
 * `label` (such as `changes[3]`), or returns undefined when the shape is valid.
 */
export function changeEventProblem(
	value: unknown,
	label: string,
): string | undefined {
	const event = value as Record<string, unknown> | null;
	if (event === null || typeof event !== "object") {
		return `${label} is not an object`;
	}
	if (!isSequence(event.seq) || event.seq === 0) {
		return `${label}.seq must be a positive integer`;
	}
	for (const field of STRING_FIELDS) {
		if (typeof event[field] !== "string") {
			return `${label}.${field} must be a string`;
		}
	}
	if (
		!Array.isArray(event.chain) ||
		!event.chain.every((pem) => typeof pem === "string")
	) {
		return `${label}.chain must be an array of PEM strings`;
	}
	return undefined;
}

/** Reports whether `value` is a safe non-negative integer, the type of every sequence number. */
export function isSequence(value: unknown): value is number {
	return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

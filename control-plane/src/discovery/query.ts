import { createHash } from "node:crypto";
import { AnsError } from "@ans/shared/errors";
import { MAX_LABEL_LENGTH } from "@ans/shared/names";
import { adapterFor, supportedProtocols } from "@ans/shared/protocols";
import { AGENT_STATUSES } from "@ans/shared/records";
import { parseRange } from "@ans/shared/versions";
import type { AgentSearch, AgentSearchAfter } from "../storage/types.ts";
import { decodeCursor } from "./cursor.ts";
import {
	MAX_QUERY_LENGTH,
	MAX_SEARCH_TERMS,
	searchTerms,
} from "./search-terms.ts";

/** Page size when the request names none. */
export const DEFAULT_LIMIT = 20;
/** Largest page size a request may ask for. */
export const MAX_LIMIT = 100;
/** Longest `capability` value accepted. */
export const MAX_CAPABILITY_LENGTH = 256;

const LABEL = /^[A-Za-z0-9_-]+$/;

/** Query parameters of `GET /v1/agents` as received; empty strings count as absent. */
export interface DiscoveryParams {
	protocol?: string | undefined;
	capability?: string | undefined;
	provider?: string | undefined;
	q?: string | undefined;
	range?: string | undefined;
	status?: string | undefined;
	cursor?: string | undefined;
	limit?: string | undefined;
}

/** A validated discovery request. */
export interface DiscoveryQuery {
	/** Store filters without `after` and `limit`. */
	filters: Omit<AgentSearch, "after" | "limit">;
	/** npm semver range that versions must satisfy; undefined matches every version. */
	range: string | undefined;
	limit: number;
	/** Position after which the page starts, decoded from the cursor. */
	after: AgentSearchAfter | undefined;
	/** Digest of filters and range, which cursors carry. */
	filterKey: string;
}

/**
 * Validates the query parameters of `GET /v1/agents`. Protocol, capability
 * and provider compare case-insensitively, and `status` defaults to `active`.
 *
 * @throws AnsError with status 400 and the parameter as `field`:
 * PROTOCOL_INVALID, PROTOCOL_UNSUPPORTED, CAPABILITY_INVALID,
 * PROVIDER_INVALID, QUERY_TOO_LONG, QUERY_INVALID, RANGE_INVALID,
 * STATUS_INVALID, LIMIT_INVALID, CURSOR_INVALID or CURSOR_MISMATCH.
 */
export function parseDiscoveryQuery(params: DiscoveryParams): DiscoveryQuery {
	const filters: DiscoveryQuery["filters"] = {
		status: parseStatus(present(params.status)),
	};
	const protocol = present(params.protocol);
	if (protocol !== undefined) {
		filters.protocol = parseProtocol(protocol);
	}
	const capability = present(params.capability);
	if (capability !== undefined) {
		filters.capability = parseCapability(capability);
	}
	const provider = present(params.provider);
	if (provider !== undefined) {
		filters.provider = parseProvider(provider);
	}
	const q = present(params.q);
	if (q !== undefined) {
		filters.terms = parseTerms(q);
	}
	const rangeText = present(params.range);
	const range = rangeText === undefined ? undefined : parseRange(rangeText);
	const limit = parseLimit(present(params.limit));

	const filterKey = digestFilters(filters, range);
	const cursor = present(params.cursor);
	const after =
		cursor === undefined ? undefined : decodeCursor(cursor, filterKey);
	return { filters, range, limit, after, filterKey };
}

function present(value: string | undefined): string | undefined {
	return value === undefined || value.trim() === "" ? undefined : value;
}

function parseStatus(status: string | undefined): string {
	if (status === undefined) {
		return "active";
	}
	const lower = status.trim().toLowerCase();
	if (!(AGENT_STATUSES as readonly string[]).includes(lower)) {
		throw badParameter(
			"STATUS_INVALID",
			"status",
			`status ${JSON.stringify(status)} is not a lifecycle status. Use one of: ${AGENT_STATUSES.join(", ")}.`,
		);
	}
	return lower;
}

function parseProtocol(protocol: string): string {
	const lower = protocol.trim().toLowerCase();
	if (!/^[a-z][a-z0-9-]{0,15}$/.test(lower)) {
		throw badParameter(
			"PROTOCOL_INVALID",
			"protocol",
			`protocol ${JSON.stringify(protocol.slice(0, 40))} is not a protocol id: use a letter followed by up to 15 letters, digits or "-", such as a2a.`,
		);
	}
	if (adapterFor(lower) === undefined) {
		throw badParameter(
			"PROTOCOL_UNSUPPORTED",
			"protocol",
			`protocol ${JSON.stringify(lower)} is not supported. Use one of: ${supportedProtocols().join(", ")}.`,
		);
	}
	return lower;
}

function parseCapability(capability: string): string {
	const trimmed = capability.trim();
	if (trimmed.length > MAX_CAPABILITY_LENGTH) {
		throw badParameter(
			"CAPABILITY_INVALID",
			"capability",
			`capability is ${trimmed.length} characters long, but the maximum is ${MAX_CAPABILITY_LENGTH}.`,
		);
	}
	return trimmed.toLowerCase();
}

function parseProvider(provider: string): string {
	const trimmed = provider.trim();
	if (trimmed.length > MAX_LABEL_LENGTH || !LABEL.test(trimmed)) {
		throw badParameter(
			"PROVIDER_INVALID",
			"provider",
			`provider ${JSON.stringify(trimmed.slice(0, 80))} is not a name label: use up to ${MAX_LABEL_LENGTH} ASCII letters, digits, "-" or "_", as in the provider part of an ANS name.`,
		);
	}
	return trimmed.toLowerCase();
}

function parseTerms(q: string): string[] {
	if (q.length > MAX_QUERY_LENGTH) {
		throw badParameter(
			"QUERY_TOO_LONG",
			"q",
			`q is ${q.length} characters long, but the maximum is ${MAX_QUERY_LENGTH}. Search with fewer words.`,
		);
	}
	const terms = searchTerms(q);
	if (terms.length === 0) {
		throw badParameter(
			"QUERY_INVALID",
			"q",
			"q contains no letters or digits. Search for words, such as q=currency conversion.",
		);
	}
	if (terms.length > MAX_SEARCH_TERMS) {
		throw badParameter(
			"QUERY_INVALID",
			"q",
			`q has ${terms.length} distinct words, but the maximum is ${MAX_SEARCH_TERMS}. Search with fewer words.`,
		);
	}
	return terms;
}

function parseLimit(limit: string | undefined): number {
	if (limit === undefined) {
		return DEFAULT_LIMIT;
	}
	const value = /^\d{1,4}$/.test(limit.trim())
		? Number(limit.trim())
		: Number.NaN;
	if (!(value >= 1 && value <= MAX_LIMIT)) {
		throw badParameter(
			"LIMIT_INVALID",
			"limit",
			`limit ${JSON.stringify(limit.slice(0, 20))} is not a whole number from 1 to ${MAX_LIMIT}.`,
		);
	}
	return value;
}

function digestFilters(
	filters: DiscoveryQuery["filters"],
	range: string | undefined,
): string {
	const canonical = JSON.stringify([
		filters.protocol ?? null,
		filters.capability ?? null,
		filters.provider ?? null,
		filters.status ?? null,
		filters.terms ?? null,
		range ?? null,
	]);
	return createHash("sha256")
		.update(canonical)
		.digest("base64url")
		.slice(0, 16);
}

function badParameter(code: string, field: string, message: string): AnsError {
	return new AnsError(code, message, { status: 400, field });
}

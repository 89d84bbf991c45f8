/**
 * Edge configuration: the worker's bindings, validated once per bindings
 * object so a bad value fails every request with the variable's name
 * instead of half-working.
 *
 * @module
 */
import { AnsError } from "@ans/shared/errors";
import type { DurableObjectNamespace } from "@cloudflare/workers-types";
import type { JSONWebKeySet } from "jose";

/** Maximum TTL of positive answers, seconds. */
export const MAX_CACHE_TTL_SECONDS = 60;

/** Bindings of the edge worker, as wrangler.toml, Miniflare or a workerd config sets them. */
export interface EdgeBindings {
	/** Durable Object namespace of {@link EdgeReplica}. */
	REPLICA: DurableObjectNamespace;
	/** Control-plane base URL, e.g. http://127.0.0.1:8080. */
	ANS_ORIGIN_URL?: unknown;
	/** JWKS of the control plane's push keys, as JSON text or an object. */
	ANS_PUSH_JWKS?: unknown;
	/** Id of this edge location, which pushes must name as their audience. */
	ANS_EDGE_ID?: unknown;
	ANS_CACHE_TTL_SECONDS?: unknown;
	ANS_NEGATIVE_TTL_SECONDS?: unknown;
	ANS_SYNC_INTERVAL_SECONDS?: unknown;
	ANS_ISOLATE_CACHE_MAX_ENTRIES?: unknown;
}

/** Bindings that tune the edge and have defaults. */
export const EDGE_SETTING_NAMES = [
	"ANS_CACHE_TTL_SECONDS",
	"ANS_NEGATIVE_TTL_SECONDS",
	"ANS_SYNC_INTERVAL_SECONDS",
	"ANS_ISOLATE_CACHE_MAX_ENTRIES",
] as const;

/** Values of the bindings in {@link EDGE_SETTING_NAMES}, unvalidated. */
export type EdgeSettingBindings = Partial<
	Record<(typeof EDGE_SETTING_NAMES)[number], unknown>
>;

/** Validated tunable settings, with durations in milliseconds. */
export interface EdgeSettings {
	/** Lifetime of a positive answer after the replica last reached the feed head. */
	cacheTtlMs: number;
	/** Lifetime of a not-found answer confirmed by the origin. */
	negativeTtlMs: number;
	/** Period of the replica's catch-up pull (Durable Object alarm). */
	syncIntervalMs: number;
	/** Capacity of the per-isolate answer cache, where 0 disables it. */
	isolateCacheMaxEntries: number;
}

/** Validated edge configuration: origin URL, pinned push keys, edge id and settings. */
export interface EdgeConfig extends EdgeSettings {
	originUrl: string;
	pushJwks: JSONWebKeySet;
	edgeId: string;
}

const parsed = new WeakMap<object, EdgeConfig>();

/**
 * Validates the bindings and returns the settings, reusing the result for
 * the same bindings object.
 *
 * @throws AnsError `EDGE_CONFIG_INVALID` (503) listing every invalid
 * variable with the reason. The status is 503 because this location cannot
 * serve until an operator fixes it, while other edge locations may still
 * respond.
 */
export function edgeConfig(bindings: EdgeBindings): EdgeConfig {
	const cached = parsed.get(bindings);
	if (cached !== undefined) {
		return cached;
	}
	const config = parseEdgeConfig(bindings);
	parsed.set(bindings, config);
	return config;
}

/**
 * Validates the bindings without caching; see {@link edgeConfig}.
 *
 * @throws AnsError `EDGE_CONFIG_INVALID` (503) listing every invalid variable.
 */
export function parseEdgeConfig(
	bindings: Omit<EdgeBindings, "REPLICA">,
): EdgeConfig {
	const problems: string[] = [];
	const collect = problemCollector(problems);
	const originUrl = collect(() => readOriginUrl(bindings.ANS_ORIGIN_URL), "");
	const pushJwks = collect(() => readPushJwks(bindings.ANS_PUSH_JWKS), {
		keys: [],
	});
	const edgeId = collect(() => readEdgeId(bindings.ANS_EDGE_ID), "");
	const settings = readSettings(bindings, collect);
	throwIfInvalid(problems);
	return { originUrl, pushJwks, edgeId, ...settings };
}

/**
 * Validates only the tunable settings, for a launcher that checks them
 * before the origin URL and the push keys exist.
 *
 * @throws AnsError `EDGE_CONFIG_INVALID` (503) listing every invalid setting.
 */
export function parseEdgeSettings(bindings: EdgeSettingBindings): EdgeSettings {
	const problems: string[] = [];
	const settings = readSettings(bindings, problemCollector(problems));
	throwIfInvalid(problems);
	return settings;
}

type Collect = <T>(read: () => T, fallback: T) => T;

/** Returns a function that runs `read` and, if it throws, records the message and returns `fallback`. */
function problemCollector(problems: string[]): Collect {
	return (read, fallback) => {
		try {
			return read();
		} catch (error) {
			problems.push((error as Error).message);
			return fallback;
		}
	};
}

function throwIfInvalid(problems: string[]): void {
	if (problems.length > 0) {
		throw new AnsError(
			"EDGE_CONFIG_INVALID",
			`invalid edge configuration: ${problems.join("; ")}`,
			{ status: 503 },
		);
	}
}

function readSettings(
	bindings: EdgeSettingBindings,
	collect: Collect,
): EdgeSettings {
	const ttlSeconds = collect(
		() =>
			readNumber("ANS_CACHE_TTL_SECONDS", bindings.ANS_CACHE_TTL_SECONDS, {
				fallback: MAX_CACHE_TTL_SECONDS,
				min: 1,
				max: MAX_CACHE_TTL_SECONDS,
				integer: true,
			}),
		MAX_CACHE_TTL_SECONDS,
	);
	const negativeSeconds = collect(
		() =>
			readNumber(
				"ANS_NEGATIVE_TTL_SECONDS",
				bindings.ANS_NEGATIVE_TTL_SECONDS,
				{ fallback: 10, min: 0, max: MAX_CACHE_TTL_SECONDS, integer: true },
			),
		10,
	);
	const syncSeconds = collect(
		() =>
			readNumber(
				"ANS_SYNC_INTERVAL_SECONDS",
				bindings.ANS_SYNC_INTERVAL_SECONDS,
				{
					fallback: Math.min(30, ttlSeconds / 2),
					min: 0.5,
					max: 30,
					integer: false,
				},
			),
		30,
	);
	const maxEntries = collect(
		() =>
			readNumber(
				"ANS_ISOLATE_CACHE_MAX_ENTRIES",
				bindings.ANS_ISOLATE_CACHE_MAX_ENTRIES,
				{ fallback: 10_000, min: 0, max: 1_000_000, integer: true },
			),
		10_000,
	);
	return {
		cacheTtlMs: ttlSeconds * 1000,
		negativeTtlMs: negativeSeconds * 1000,
		syncIntervalMs: Math.round(syncSeconds * 1000),
		isolateCacheMaxEntries: maxEntries,
	};
}

function readOriginUrl(value: unknown): string {
	if (typeof value !== "string" || value === "") {
		throw new Error(
			"ANS_ORIGIN_URL is missing; set it to the control plane's base URL, e.g. http://127.0.0.1:8080",
		);
	}
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		throw new Error(`ANS_ORIGIN_URL ${JSON.stringify(value)} is not a URL`);
	}
	if (url.protocol !== "http:" && url.protocol !== "https:") {
		throw new Error(
			`ANS_ORIGIN_URL ${JSON.stringify(value)} must use http or https`,
		);
	}
	return value.replace(/\/+$/, "");
}

function readEdgeId(value: unknown): string {
	if (typeof value !== "string" || !/^[A-Za-z0-9._:-]{1,64}$/.test(value)) {
		throw new Error(
			`ANS_EDGE_ID ${JSON.stringify(value ?? null)} is invalid; use 1 to 64 letters, digits, ".", "_", ":" or "-", the id the control plane lists in ANS_EDGES`,
		);
	}
	return value;
}

/**
 * Parses the pinned push JWKS. Only public ES256 keys with a `kid` are
 * accepted, because pushes name their key by `kid` and an edge must never
 * hold a private key.
 */
function readPushJwks(value: unknown): JSONWebKeySet {
	if (isUnset(value)) {
		throw new Error(
			"ANS_PUSH_JWKS is missing; set it to the JWKS served at the control plane's /.well-known/ans-push-jwks.json",
		);
	}
	let jwks: unknown = value;
	if (typeof value === "string") {
		try {
			jwks = JSON.parse(value);
		} catch {
			throw new Error("ANS_PUSH_JWKS is not valid JSON");
		}
	}
	const keys = (jwks as { keys?: unknown } | null)?.keys;
	if (!Array.isArray(keys) || keys.length === 0) {
		throw new Error(
			'ANS_PUSH_JWKS must be a JSON object {"keys": [...]} with at least one key',
		);
	}
	keys.forEach((key: unknown, index) => {
		const jwk = key as Record<string, unknown> | null;
		if (jwk === null || typeof jwk !== "object") {
			throw new Error(`ANS_PUSH_JWKS keys[${index}] is not an object`);
		}
		if ("d" in jwk) {
			throw new Error(
				`ANS_PUSH_JWKS keys[${index}] contains a private key member "d"; pin only the public keys`,
			);
		}
		if (jwk.kty !== "EC" || jwk.crv !== "P-256") {
			throw new Error(
				`ANS_PUSH_JWKS keys[${index}] is not an EC P-256 key (ES256 is the only push algorithm)`,
			);
		}
		if (typeof jwk.kid !== "string" || jwk.kid === "") {
			throw new Error(`ANS_PUSH_JWKS keys[${index}] has no kid`);
		}
	});
	return jwks as JSONWebKeySet;
}

function readNumber(
	name: string,
	value: unknown,
	rule: { fallback: number; min: number; max: number; integer: boolean },
): number {
	if (isUnset(value)) {
		return rule.fallback;
	}
	const number = typeof value === "number" ? value : Number(value);
	const valid =
		Number.isFinite(number) &&
		(!rule.integer || Number.isInteger(number)) &&
		number >= rule.min &&
		number <= rule.max;
	if (!valid) {
		const kind = rule.integer ? "an integer" : "a number";
		throw new Error(
			`${name} ${JSON.stringify(value)} must be ${kind} from ${rule.min} to ${rule.max}`,
		);
	}
	return number;
}

/** Reports whether a binding is absent. workerd's `fromEnvironment` yields null for an unset variable. */
function isUnset(value: unknown): boolean {
	return value === undefined || value === null || value === "";
}

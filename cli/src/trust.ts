/**
 * Trust material for offline verification: the registry JWKS and the ANS
 * root certificates, saved once with `ans trust fetch` and read from a file
 * afterwards, so later verifications need no network.
 *
 * The roots in a trust file stay pinned. The JWKS is treated as an HTTP
 * cache of `/.well-known/jwks.json` at the file's `source`, because a
 * signing-key rotation adds a key that the saved copy lacks:
 * {@link refreshTrustJwks} refetches it and rewrites the file.
 *
 * @module
 */

import { renameSync, writeFileSync } from "node:fs";
import { AnsError } from "@ans/shared/errors";
import { decodeProtectedHeader, type JSONWebKeySet } from "jose";
import { readJson } from "./files.ts";
import { callJson } from "./http.ts";

/**
 * Age in ms after which a saved JWKS counts as stale: the max-age (900
 * seconds) that the control plane sends in the JWKS Cache-Control header.
 */
export const JWKS_MAX_AGE_MS = 15 * 60 * 1000;

/** A saved trust bundle. */
export interface TrustBundle {
	/** URL of the control plane it was fetched from. */
	source: string;
	/** When the bundle, and so its roots, were fetched, ISO 8601. */
	fetchedAt: string;
	/**
	 * When `jwks` was last fetched, ISO 8601. Files written before JWKS
	 * refreshing existed lack it, and then `fetchedAt` applies.
	 */
	jwksFetchedAt?: string;
	jwks: JSONWebKeySet;
	roots: string[];
}

/** Fetches the JWKS and root certificate from a control plane. */
export async function fetchTrust(baseUrl: string): Promise<TrustBundle> {
	const jwks = await fetchJwks(baseUrl);
	const { body: ca } = await callJson<{ root: string }>(
		"GET",
		`${baseUrl}/v1/ca/certificates`,
	);
	const fetchedAt = new Date().toISOString();
	return {
		source: baseUrl,
		fetchedAt,
		jwksFetchedAt: fetchedAt,
		jwks,
		roots: [ca.root],
	};
}

/** Fetches `/.well-known/jwks.json` and checks that it has a `keys` array. */
async function fetchJwks(baseUrl: string): Promise<JSONWebKeySet> {
	const url = `${baseUrl}/.well-known/jwks.json`;
	const { body } = await callJson<JSONWebKeySet | undefined>("GET", url);
	if (!Array.isArray(body?.keys)) {
		throw new AnsError(
			"JWKS_INVALID",
			`${url} returned JSON without a "keys" array, so it is not a JWKS; check that the trust source is an ANS control plane`,
			{ status: 502, field: "jwks" },
		);
	}
	return body;
}

/** Reads a trust bundle written by `ans trust fetch`. */
export function readTrust(path: string): TrustBundle {
	const value = readJson(path, "trust") as Partial<TrustBundle> | null;
	if (
		!Array.isArray(value?.jwks?.keys) ||
		!Array.isArray(value.roots) ||
		value.roots.length === 0
	) {
		throw new AnsError(
			"TRUST_FILE_INVALID",
			`${path} is not a trust bundle; create one with ans trust fetch`,
			{
				status: 400,
				field: "trust",
			},
		);
	}
	return value as TrustBundle;
}

/** A trust bundle and the file it was read from, if any. */
export interface LoadedTrust {
	bundle: TrustBundle;
	/** Undefined when the bundle was fetched because no trust file was given. */
	path: string | undefined;
}

/** Options of {@link loadTrust}. */
export interface LoadTrustOptions {
	/**
	 * Whether a trust file's JWKS may be refreshed from its source, when it
	 * is older than {@link JWKS_MAX_AGE_MS} or lacks `recordKid`.
	 */
	refresh: boolean;
	/** Key id in the header of the record about to be verified. */
	recordKid: string | undefined;
}

/**
 * Reads the trust bundle from `--trust` or `ANS_TRUST_FILE`. Without either,
 * it is fetched from `fallbackUrl` with a warning on stderr, because trusting
 * what the same server sends proves less than a pinned bundle.
 *
 * With `refresh`, a trust file's JWKS is refetched from its `source` at most
 * once: when it is stale, or when it lacks the record's kid after a
 * signing-key rotation. See {@link refreshTrustJwks}.
 */
export async function loadTrust(
	trustFile: string | undefined,
	fallbackUrl: string,
	options: LoadTrustOptions,
): Promise<LoadedTrust> {
	const path = trustFile ?? process.env.ANS_TRUST_FILE;
	if (path === undefined || path === "") {
		process.stderr.write(
			`warning: no --trust file or ANS_TRUST_FILE; fetched the JWKS and root from ${fallbackUrl}. Pin them once with: ans trust fetch --out trust.json\n`,
		);
		return { bundle: await fetchTrust(fallbackUrl), path: undefined };
	}
	const bundle = readTrust(path);
	if (!options.refresh) {
		return { bundle, path };
	}
	const now = new Date();
	const kidMissing =
		options.recordKid !== undefined &&
		!jwksHasKid(bundle.jwks, options.recordKid);
	if (kidMissing || isJwksStale(bundle, now)) {
		return { bundle: await refreshTrustJwks(path, bundle, now), path };
	}
	return { bundle, path };
}

/** Reports whether the bundle's JWKS is older than {@link JWKS_MAX_AGE_MS}, or of unknown age. */
export function isJwksStale(bundle: TrustBundle, now: Date): boolean {
	const fetchedAt = Date.parse(bundle.jwksFetchedAt ?? bundle.fetchedAt);
	if (Number.isNaN(fetchedAt)) {
		return true;
	}
	return now.getTime() - fetchedAt > JWKS_MAX_AGE_MS;
}

/**
 * Fetches the current JWKS from the bundle's `source` and rewrites the trust
 * file with it, keeping `source`, `fetchedAt` and the pinned `roots`. The
 * new file replaces the old one by rename, so a reader never sees half a
 * file. Returns the new bundle.
 *
 * A failed fetch or write leaves the file as it was, prints a warning on
 * stderr and returns the old bundle, so verification goes on with the
 * saved keys.
 */
export async function refreshTrustJwks(
	path: string,
	bundle: TrustBundle,
	now: Date = new Date(),
): Promise<TrustBundle> {
	try {
		const jwks = await fetchJwks(sourceUrl(path, bundle.source));
		const refreshed: TrustBundle = {
			...bundle,
			jwksFetchedAt: now.toISOString(),
			jwks,
		};
		const temporary = `${path}.${process.pid}.tmp`;
		writeFileSync(temporary, `${JSON.stringify(refreshed, null, 2)}\n`, {
			mode: 0o644,
		});
		renameSync(temporary, path);
		return refreshed;
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		process.stderr.write(
			`warning: could not refresh the JWKS in ${path} from ${String(bundle.source)}: ${reason}. Verifying with the saved keys.\n`,
		);
		return bundle;
	}
}

/**
 * Returns the key id in the protected header of a compact JWS, or
 * undefined when the header cannot be decoded. Verification then reports
 * the malformed record.
 */
export function recordKeyId(record: unknown): string | undefined {
	if (typeof record !== "string") {
		return undefined;
	}
	try {
		const { kid } = decodeProtectedHeader(record);
		return typeof kid === "string" ? kid : undefined;
	} catch {
		return undefined;
	}
}

function jwksHasKid(jwks: JSONWebKeySet, kid: string): boolean {
	return jwks.keys.some((key) => key.kid === kid);
}

/** Returns the trust file's `source` as a base URL; raises `TRUST_FILE_INVALID` unless it is http(s). */
function sourceUrl(path: string, source: unknown): string {
	if (typeof source === "string") {
		try {
			const url = new URL(source);
			if (url.protocol === "https:" || url.protocol === "http:") {
				return url.href.replace(/\/+$/, "");
			}
		} catch {
			// Falls through to the error below.
		}
	}
	throw new AnsError(
		"TRUST_FILE_INVALID",
		`${path} has source ${JSON.stringify(source)}, which is not an http(s) URL to fetch the JWKS from; recreate the file with ans trust fetch --out ${path}`,
		{ status: 400, field: "trust" },
	);
}

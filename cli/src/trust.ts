/**
 * Trust material for offline verification: the registry JWKS and the ANS
 * root certificates, saved once with `ans trust fetch` and read from a file
 * afterwards, so later verifications need no network.
 *
 * @module
 */

import { AnsError } from "@ans/shared/errors";
import type { JSONWebKeySet } from "jose";
import { readJson } from "./files.ts";
import { callJson } from "./http.ts";

/** A saved trust bundle. */
export interface TrustBundle {
	/** URL of the control plane it was fetched from. */
	source: string;
	fetchedAt: string;
	jwks: JSONWebKeySet;
	roots: string[];
}

/** Fetches the JWKS and root certificate from a control plane. */
export async function fetchTrust(baseUrl: string): Promise<TrustBundle> {
	const { body: jwks } = await callJson<JSONWebKeySet>(
		"GET",
		`${baseUrl}/.well-known/jwks.json`,
	);
	const { body: ca } = await callJson<{ root: string }>(
		"GET",
		`${baseUrl}/v1/ca/certificates`,
	);
	return {
		source: baseUrl,
		fetchedAt: new Date().toISOString(),
		jwks,
		roots: [ca.root],
	};
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

/**
 * Reads the trust bundle from `--trust` or `ANS_TRUST_FILE`. Without either,
 * it is fetched from `fallbackUrl` with a warning on stderr, because trusting
 * what the same server sends proves less than a pinned bundle.
 */
export async function loadTrust(
	trustFile: string | undefined,
	fallbackUrl: string,
): Promise<TrustBundle> {
	const path = trustFile ?? process.env.ANS_TRUST_FILE;
	if (path !== undefined && path !== "") {
		return readTrust(path);
	}
	process.stderr.write(
		`warning: no --trust file or ANS_TRUST_FILE; fetched the JWKS and root from ${fallbackUrl}. Pin them once with: ans trust fetch --out trust.json\n`,
	);
	return fetchTrust(fallbackUrl);
}

/**
 * Online revocation check of an agent certificate for `verifyResolution`:
 * OCSP first, and the issuer's CRL when OCSP fails for any reason. Uses
 * `fetch` and WebCrypto only, so it runs in Node, browsers and workerd.
 *
 * @module
 */
import { AnsError } from "../errors.ts";
import { checkCrl } from "./crl-client.ts";
import { checkOcspResponse, createOcspRequest } from "./ocsp-client.ts";
import type { RevocationResult } from "./verify.ts";
import { x509 } from "./x509-provider.ts";

type X509Certificate = x509.X509Certificate;

/** Default time limit of each HTTP request, in ms. */
export const DEFAULT_REVOCATION_TIMEOUT_MS = 5000;

/** Default allowed clock difference for thisUpdate and nextUpdate, in seconds. */
export const DEFAULT_REVOCATION_CLOCK_TOLERANCE_SECONDS = 300;

/** Largest OCSP response read, in bytes. */
const MAX_OCSP_RESPONSE_BYTES = 64 * 1024;

/** Largest CRL read, in bytes. */
const MAX_CRL_BYTES = 10 * 1024 * 1024;

/** Options of {@link checkRevocationOnline}. */
export interface OnlineRevocationOptions {
	/**
	 * Base URL of the registry, such as `https://ans.example.com`. Used for
	 * `/v1/ca/ocsp` and `/v1/ca/crl` when the certificate names no OCSP URL
	 * or CRL distribution point.
	 */
	baseUrl?: string;
	/** OCSP URL to use instead of the one in the certificate. */
	ocspUrl?: string;
	/** CRL URL to use instead of the certificate's distribution point. */
	crlUrl?: string;
	/** Check time. Defaults to the current time. */
	now?: Date;
	/** Time limit of each HTTP request in ms. Defaults to 5000. */
	timeoutMs?: number;
	/** Allowed clock difference in seconds. Defaults to 300. */
	clockToleranceSeconds?: number;
	/** HTTP client. Defaults to the global `fetch`. */
	fetch?: typeof fetch;
}

/** Result of {@link checkRevocationOnline}. */
export interface OnlineRevocationResult extends RevocationResult {
	source: "ocsp" | "crl";
	/** URL of the OCSP responder or CRL that gave the status. */
	url: string;
	/** Reason OCSP was not used, set when the status comes from the CRL. */
	ocspFailure?: string;
}

/**
 * Checks whether `leaf`, issued by `issuer`, is revoked. It queries the
 * OCSP responder first (`ocspUrl` when given, else the certificate's AIA
 * OCSP URL, else `baseUrl`) and checks the response's signature, the
 * responder's authorization by `issuer`, the nonce and the freshness. When
 * any of that fails, it downloads the CRL (`crlUrl`, else the certificate's
 * distribution point, else `baseUrl`), checks its signature by `issuer` and
 * its nextUpdate, and looks the serial number up there. The result names
 * the source used and, after a fallback, the reason OCSP failed.
 *
 * An OCSP `unknown` is returned as it is, without a CRL lookup, because the
 * registry's CRL cannot know more about a serial than its responder.
 *
 * @throws AnsError `REVOCATION_UNAVAILABLE` (503) when neither OCSP nor the
 * CRL gives a trustworthy status, with both reasons in the message.
 */
export async function checkRevocationOnline(
	leaf: X509Certificate,
	issuer: X509Certificate,
	options: OnlineRevocationOptions = {},
): Promise<OnlineRevocationResult> {
	const now = options.now ?? new Date();
	const toleranceMs =
		(options.clockToleranceSeconds ??
			DEFAULT_REVOCATION_CLOCK_TOLERANCE_SECONDS) * 1000;
	const timeoutMs = options.timeoutMs ?? DEFAULT_REVOCATION_TIMEOUT_MS;
	const fetchFn = options.fetch ?? fetch;

	const ocspUrl =
		options.ocspUrl ?? ocspUrlOf(leaf) ?? endpoint(options, "ocsp");
	let ocspFailure: string;
	if (ocspUrl === undefined) {
		ocspFailure =
			"the certificate names no OCSP responder and no base URL was given";
	} else {
		try {
			const request = await createOcspRequest(leaf, issuer);
			const body = await post(fetchFn, ocspUrl, request.der, timeoutMs);
			const status = await checkOcspResponse(
				body,
				request,
				issuer,
				now,
				toleranceMs,
			);
			return {
				status: status.status,
				source: "ocsp",
				url: ocspUrl,
				...(status.reason === undefined ? {} : { reason: status.reason }),
				...(status.revokedAt === undefined
					? {}
					: { revokedAt: status.revokedAt }),
			};
		} catch (error) {
			ocspFailure = `OCSP at ${ocspUrl} failed: ${describe(error)}`;
		}
	}

	const crlUrl = options.crlUrl ?? crlUrlOf(leaf) ?? endpoint(options, "crl");
	if (crlUrl === undefined) {
		throw unavailable(
			`${ocspFailure}; the certificate names no CRL distribution point and no base URL was given`,
		);
	}
	try {
		const body = await get(fetchFn, crlUrl, timeoutMs);
		const status = await checkCrl(body, leaf, issuer, now, toleranceMs);
		return {
			status: status.status,
			source: "crl",
			url: crlUrl,
			ocspFailure,
			...(status.reason === undefined ? {} : { reason: status.reason }),
			...(status.revokedAt === undefined
				? {}
				: { revokedAt: status.revokedAt }),
		};
	} catch (error) {
		throw unavailable(
			`${ocspFailure}; CRL at ${crlUrl} failed: ${describe(error)}`,
			error,
		);
	}
}

/**
 * Returns a `checkRevocation` callback for `verifyResolution` that calls
 * {@link checkRevocationOnline} with `options`.
 */
export function onlineRevocationCheck(
	options: OnlineRevocationOptions = {},
): (
	leaf: X509Certificate,
	issuer: X509Certificate,
) => Promise<RevocationResult> {
	return (leaf, issuer) => checkRevocationOnline(leaf, issuer, options);
}

function ocspUrlOf(leaf: X509Certificate): string | undefined {
	const access = leaf.getExtension(x509.AuthorityInfoAccessExtension);
	return access?.ocsp
		.filter((name) => name.type === "url")
		.map((name) => name.value)
		.find(isHttpUrl);
}

function crlUrlOf(leaf: X509Certificate): string | undefined {
	const points = leaf.getExtension(x509.CRLDistributionPointsExtension);
	for (const point of points?.distributionPoints ?? []) {
		for (const name of point.distributionPoint?.fullName ?? []) {
			const uri = name.uniformResourceIdentifier;
			if (uri !== undefined && isHttpUrl(uri)) {
				return uri;
			}
		}
	}
	return undefined;
}

function endpoint(
	options: OnlineRevocationOptions,
	kind: "ocsp" | "crl",
): string | undefined {
	if (options.baseUrl === undefined) {
		return undefined;
	}
	return `${options.baseUrl.replace(/\/+$/, "")}/v1/ca/${kind}`;
}

function isHttpUrl(value: string): boolean {
	return /^https?:\/\//i.test(value);
}

async function post(
	fetchFn: typeof fetch,
	url: string,
	body: Uint8Array<ArrayBuffer>,
	timeoutMs: number,
): Promise<Uint8Array<ArrayBuffer>> {
	const response = await fetchFn(url, {
		method: "POST",
		headers: {
			"content-type": "application/ocsp-request",
			accept: "application/ocsp-response",
		},
		body,
		signal: AbortSignal.timeout(timeoutMs),
	});
	return readBody(response, MAX_OCSP_RESPONSE_BYTES);
}

async function get(
	fetchFn: typeof fetch,
	url: string,
	timeoutMs: number,
): Promise<Uint8Array<ArrayBuffer>> {
	const response = await fetchFn(url, {
		headers: { accept: "application/pkix-crl" },
		signal: AbortSignal.timeout(timeoutMs),
	});
	return readBody(response, MAX_CRL_BYTES);
}

/** Reads a 200 response body, stopping with an error past `maxBytes`. */
async function readBody(
	response: Response,
	maxBytes: number,
): Promise<Uint8Array<ArrayBuffer>> {
	if (response.status !== 200) {
		await response.body?.cancel();
		throw new Error(`HTTP status ${response.status}`);
	}
	const reader = response.body?.getReader();
	if (reader === undefined) {
		return new Uint8Array(0);
	}
	const chunks: Uint8Array[] = [];
	let total = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) {
			break;
		}
		total += value.byteLength;
		if (total > maxBytes) {
			await reader.cancel();
			throw new Error(`the body exceeds ${maxBytes} bytes`);
		}
		chunks.push(value);
	}
	const body = new Uint8Array(total);
	let offset = 0;
	for (const chunk of chunks) {
		body.set(chunk, offset);
		offset += chunk.byteLength;
	}
	return body;
}

function describe(error: unknown): string {
	if (error instanceof Error) {
		const cause =
			error.cause instanceof Error ? ` (${error.cause.message})` : "";
		return `${error.message}${cause}`;
	}
	return String(error);
}

function unavailable(message: string, cause?: unknown): AnsError {
	return new AnsError(
		"REVOCATION_UNAVAILABLE",
		`Revocation status is unavailable: ${message}. Check that the registry is reachable, or verify offline without a revocation check.`,
		{ status: 503, field: "certificate", cause },
	);
}

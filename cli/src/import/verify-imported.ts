import { isAnsError } from "@ans/shared/errors";
import { verifyResolution } from "@ans/shared/verification";
import { callJson } from "../http.ts";
import type { TrustBundle } from "../trust.ts";
import { mapWithConcurrency } from "./pool.ts";

/** A name that did not resolve or verify through one resolver. */
export interface VerifyFailure {
	name: string;
	code: string;
	message: string;
}

/** Outcome of verifying the imported names through one resolver. */
export interface ResolverVerification {
	/** Resolver base URL: an edge or the control plane. */
	url: string;
	verified: number;
	failed: number;
	seconds: number;
	failures: VerifyFailure[];
}

/** Attempts per name when the resolver answers 503 or cannot be reached. */
const MAX_ATTEMPTS = 3;
/** Wait between those attempts, in milliseconds. */
const RETRY_DELAY_MS = 500;

/**
 * Resolves every canonical name through `resolverUrl` (`GET /v1/resolve`)
 * and verifies each answer offline with `verifyResolution`: the record
 * signature against the trust bundle's JWKS, the certificate chain to its
 * root, the certificate's URI SAN against the name, and the validity
 * windows. A 503 or an unreachable resolver is retried; every other
 * failure is recorded with its error code, and none stops the run.
 */
export async function verifyThroughResolver(
	resolverUrl: string,
	canonicalNames: string[],
	trust: TrustBundle,
	options: { concurrency: number; onVerified?: () => void },
): Promise<ResolverVerification> {
	const started = performance.now();
	const base = resolverUrl.replace(/\/+$/, "");
	const outcomes = await mapWithConcurrency(
		canonicalNames,
		options.concurrency,
		async (name) => {
			const failure = await verifyName(base, name, trust);
			options.onVerified?.();
			return failure;
		},
	);
	const failures = outcomes.filter(
		(outcome): outcome is VerifyFailure => outcome !== undefined,
	);
	return {
		url: base,
		verified: canonicalNames.length - failures.length,
		failed: failures.length,
		seconds: (performance.now() - started) / 1000,
		failures,
	};
}

async function verifyName(
	base: string,
	name: string,
	trust: TrustBundle,
): Promise<VerifyFailure | undefined> {
	const query = new URLSearchParams({ name });
	for (let attempt = 1; ; attempt++) {
		try {
			const { body } = await callJson<{
				record: string;
				certificate: string;
				chain: string[];
			}>("GET", `${base}/v1/resolve?${query}`);
			await verifyResolution(body, {
				jwks: trust.jwks,
				trustAnchors: trust.roots,
				expectedName: name,
			});
			return undefined;
		} catch (error) {
			const code = isAnsError(error) ? error.code : "VERIFY_FAILED";
			const status = isAnsError(error) ? error.status : 500;
			const transient = status === 503 || code === "SERVER_UNREACHABLE";
			if (!transient || attempt >= MAX_ATTEMPTS) {
				return { name, code, message: (error as Error).message };
			}
			await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
		}
	}
}

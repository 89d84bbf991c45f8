import type { AgentKeyType } from "@ans/shared/keys";
import { fetchTrust, readTrust } from "../trust.ts";
import { planEntries } from "./plan-entries.ts";
import { mapWithConcurrency } from "./pool.ts";
import type { ProgressLine } from "./progress.ts";
import { importProtocol } from "./protocols.ts";
import { readEntries } from "./read-entries.ts";
import { type RegisterContext, registerPlan } from "./register-plan.ts";
import type { SkipReason } from "./skip-reason.ts";
import {
	type ResolverVerification,
	verifyThroughResolver,
} from "./verify-imported.ts";

/** Settings of one import run. */
export interface ImportOptions {
	protocol: string;
	/** Files or directories to read, see `readEntries`. */
	files: string[];
	/** Control plane base URL without a trailing `/`. */
	controlPlaneUrl: string;
	/** Bearer token with the register scope. */
	token: string;
	/** Provider label for documents from which none can be derived. */
	fallbackProvider?: string | undefined;
	/** Registrations and verifications in flight at once. */
	concurrency: number;
	keyType: AgentKeyType;
	keyDir?: string | undefined;
	/** Resolvers (edges or the control plane) to resolve and verify every imported name through. */
	verifyThrough: string[];
	/** Trust bundle file; without it the JWKS and root are fetched from the control plane. */
	trustFile?: string | undefined;
	progress?: ProgressLine | undefined;
}

/** Outcome of one entry. */
export interface EntryResult {
	source: string;
	status: "imported" | "already-registered" | "skipped" | "failed";
	/** Registered name in display case, once the entry mapped to one. */
	name?: string;
	/** Agent id of the registration. */
	id?: string;
	reason?: SkipReason;
	/** Detail of a skip or failure. */
	message?: string;
}

/** The result of `ans import`, printed as JSON. */
export interface ImportSummary {
	protocol: string;
	controlPlane: string;
	entries: number;
	imported: number;
	alreadyRegistered: number;
	skipped: number;
	failed: number;
	skippedByReason: Partial<Record<SkipReason, number>>;
	/** Wall time of reading, mapping and registering, in seconds. */
	seconds: number;
	/** Entries imported per second of {@link seconds}. */
	agentsPerSecond: number;
	verification: ResolverVerification[];
	results: EntryResult[];
}

/**
 * Imports protocol documents through the public API. It reads the files and
 * maps every entry to a name or a skip reason, skipping a repeated canonical
 * name. It registers the rest with bounded concurrency. Then it resolves and
 * verifies every imported or already registered name through each
 * `verifyThrough` resolver.
 *
 * @throws AnsError for unreadable input, an unsupported protocol, an
 * unreachable control plane when trust material must be fetched, and a
 * token that the control plane rejects (401 or 403).
 */
export async function runImport(
	options: ImportOptions,
): Promise<ImportSummary> {
	const protocol = importProtocol(options.protocol);
	const trust =
		options.verifyThrough.length === 0
			? undefined
			: options.trustFile === undefined
				? await fetchTrust(options.controlPlaneUrl)
				: readTrust(options.trustFile);
	const started = performance.now();

	const entries = readEntries(options.files);
	const { planned: plans, skipped } = planEntries(protocol, entries, {
		fallbackProvider: options.fallbackProvider,
	});
	const planned = plans.map(({ source, plan }) => {
		// Stays "failed" unless the registration reports another outcome.
		const result: EntryResult = { source, status: "failed", name: plan.name };
		return { plan, result };
	});
	const results: EntryResult[] = [
		...planned.map(({ result }) => result),
		...skipped.map(
			({ source, name, reason, message }): EntryResult => ({
				source,
				status: "skipped",
				...(name === undefined ? {} : { name }),
				reason,
				message,
			}),
		),
	];
	// Results are listed in input order, whatever step decided them.
	const order = new Map(entries.map((entry, index) => [entry.source, index]));
	results.sort(
		(a, b) => (order.get(a.source) ?? 0) - (order.get(b.source) ?? 0),
	);

	const context: RegisterContext = {
		baseUrl: options.controlPlaneUrl,
		token: options.token,
		keyType: options.keyType,
		keyDir: options.keyDir,
		loopbackRejected: false,
	};
	options.progress?.start("registering", planned.length);
	try {
		await mapWithConcurrency(
			planned,
			options.concurrency,
			async ({ plan, result }) => {
				const outcome = await registerPlan(context, plan);
				result.status = outcome.status;
				if (
					outcome.status === "imported" ||
					outcome.status === "already-registered"
				) {
					result.id = outcome.id;
				} else if (outcome.status === "skipped") {
					result.reason = outcome.reason;
					result.message = outcome.message;
				} else {
					result.message = `${outcome.code}: ${outcome.message}`;
				}
				options.progress?.tick();
			},
		);
	} finally {
		options.progress?.finish();
	}
	const seconds = (performance.now() - started) / 1000;

	const registered = planned
		.filter(
			({ result }) =>
				result.status === "imported" || result.status === "already-registered",
		)
		.map(({ plan }) => plan.canonicalName);
	const verification: ResolverVerification[] = [];
	for (const url of options.verifyThrough) {
		if (trust === undefined) {
			break;
		}
		options.progress?.start(`verifying through ${url}`, registered.length);
		try {
			verification.push(
				await verifyThroughResolver(url, registered, trust, {
					concurrency: options.concurrency,
					onVerified: () => options.progress?.tick(),
				}),
			);
		} finally {
			options.progress?.finish();
		}
	}
	return summarize(
		options,
		protocol.adapter.id,
		results,
		seconds,
		verification,
	);
}

function summarize(
	options: ImportOptions,
	protocol: string,
	results: EntryResult[],
	seconds: number,
	verification: ResolverVerification[],
): ImportSummary {
	const count = (status: EntryResult["status"]) =>
		results.filter((result) => result.status === status).length;
	const skippedByReason: Partial<Record<SkipReason, number>> = {};
	for (const result of results) {
		if (result.reason !== undefined) {
			skippedByReason[result.reason] =
				(skippedByReason[result.reason] ?? 0) + 1;
		}
	}
	const imported = count("imported");
	return {
		protocol,
		controlPlane: options.controlPlaneUrl,
		entries: results.length,
		imported,
		alreadyRegistered: count("already-registered"),
		skipped: count("skipped"),
		failed: count("failed"),
		skippedByReason,
		seconds: round(seconds),
		agentsPerSecond: seconds > 0 ? round(imported / seconds) : 0,
		verification: verification.map((entry) => ({
			...entry,
			seconds: round(entry.seconds),
		})),
		results,
	};
}

function round(value: number): number {
	return Math.round(value * 100) / 100;
}

/**
 * Benchmark 3: propagation latency, from the end of an endpoint update at
 * the control plane until every edge serves the new signed record.
 *
 * @module
 */
import type { BenchAgent } from "./bench-stack.ts";
import { percentile } from "./statistics.ts";
import { sleep } from "./workerd-process.ts";

/** Maximum wait for one update to reach every edge, ms; a trial that takes longer counts as timed out. */
const TRIAL_TIMEOUT_MS = 10_000;

/** Pause between trials, ms, so a trial's pushes do not overlap the next update. */
const PAUSE_BETWEEN_TRIALS_MS = 20;

/** Options of {@link measurePropagation}. */
export interface PropagationOptions {
	edgeUrls: string[];
	agent: BenchAgent;
	/** Sends an authenticated request to the control plane and returns the 2xx body. */
	admin(method: string, path: string, body?: unknown): Promise<unknown>;
	trials: number;
	/** Wait between two polls of one edge, ms. */
	pollIntervalMs: number;
}

/** Result of {@link measurePropagation}, durations in ms. */
export interface PropagationResult {
	trials: number;
	timedOut: number;
	/** Time until the last of the edges served the new record. */
	allEdges: { p50Ms: number; p99Ms: number; maxMs: number };
	/** Time until each single edge served it, over every edge and trial. */
	perEdge: { p50Ms: number; p99Ms: number; maxMs: number };
	/** Duration of the PATCH request itself, for context. */
	update: { p50Ms: number; p99Ms: number; maxMs: number };
	/** Duration of one poll request, the other half of the time resolution. */
	poll: { p50Ms: number; p99Ms: number; maxMs: number };
}

/**
 * Runs `trials` endpoint updates of `agent` one after another. A trial's
 * clock starts when the PATCH response body has arrived, which is after
 * the control plane committed the change. Each edge is then polled with
 * `GET /v1/resolve` every `pollIntervalMs` until the `record` in its response
 * equals the record in the PATCH response. The edge's time is taken when
 * that poll's response arrived, so it overstates the true time by up to one
 * poll interval plus one poll's duration.
 *
 * @throws Error when no trial reached every edge within the timeout.
 */
export async function measurePropagation(
	options: PropagationOptions,
): Promise<PropagationResult> {
	const allEdges: number[] = [];
	const perEdge: number[] = [];
	const updates: number[] = [];
	const polls: number[] = [];
	let timedOut = 0;

	for (let trial = 0; trial < options.trials; trial += 1) {
		const started = performance.now();
		const updated = (await options.admin(
			"PATCH",
			`/v1/agents/${options.agent.id}`,
			{
				endpoints: [
					{
						protocol: "a2a",
						url: `https://agents.example.com/moved/${trial}`,
					},
				],
			},
		)) as { record: string };
		const committed = performance.now();
		updates.push(committed - started);

		const times = await Promise.all(
			options.edgeUrls.map((edgeUrl) =>
				pollUntilServed(edgeUrl, options, updated.record, committed, polls),
			),
		);
		if (times.some((time) => time === undefined)) {
			timedOut += 1;
		} else {
			const served = times as number[];
			allEdges.push(Math.max(...served));
			perEdge.push(...served);
		}
		await sleep(PAUSE_BETWEEN_TRIALS_MS);
	}

	if (allEdges.length === 0) {
		throw new Error(
			`no update reached every edge within ${TRIAL_TIMEOUT_MS} ms in ${options.trials} trials`,
		);
	}
	return {
		trials: options.trials,
		timedOut,
		allEdges: figures(allEdges),
		perEdge: figures(perEdge),
		update: figures(updates),
		poll: figures(polls),
	};
}

/**
 * Polls one edge until it serves `record` and returns the ms from
 * `committed`, or undefined after {@link TRIAL_TIMEOUT_MS}.
 */
async function pollUntilServed(
	edgeUrl: string,
	options: PropagationOptions,
	record: string,
	committed: number,
	polls: number[],
): Promise<number | undefined> {
	const url = `${edgeUrl}/v1/resolve?${new URLSearchParams({ name: options.agent.name })}`;
	const maxPolls = Math.ceil(TRIAL_TIMEOUT_MS / options.pollIntervalMs);
	for (let poll = 0; poll < maxPolls; poll += 1) {
		const sent = performance.now();
		const response = await fetch(url);
		const body = (await response.json()) as { record?: string };
		const arrived = performance.now();
		polls.push(arrived - sent);
		if (response.status === 200 && body.record === record) {
			return arrived - committed;
		}
		if (arrived - committed > TRIAL_TIMEOUT_MS) {
			return undefined;
		}
		await sleep(options.pollIntervalMs);
	}
	return undefined;
}

function figures(values: number[]): {
	p50Ms: number;
	p99Ms: number;
	maxMs: number;
} {
	return {
		p50Ms: percentile(values, 50),
		p99Ms: percentile(values, 99),
		maxMs: Math.max(...values),
	};
}

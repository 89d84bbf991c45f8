/**
 * Benchmark 3: propagation latency, from the end of an endpoint update at
 * the control plane until every edge serves the new signed record.
 *
 * @module
 */
import { decodeRecord } from "@ans/shared/records";
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
	/** Returns the control plane's push state per edge, recorded when a trial times out. */
	pushStatus(): unknown;
}

/** Last response of an edge that did not serve the update before the trial timed out. */
export interface LaggingEdge {
	edgeUrl: string;
	/** Status, `X-ANS-Cache` and `X-ANS-Cache-Layer` of the last poll. */
	status: number;
	cache: string | null;
	layer: string | null;
	/** `seq` of the record in the last poll's body, if it had one. */
	servedSeq: number | undefined;
	/** The edge's `/health` body after the timeout. */
	health: unknown;
}

/** A trial in which some edge did not serve the update in time. */
export interface TimedOutTrial {
	trial: number;
	/** `seq` of the record the PATCH response carried. */
	expectedSeq: number;
	laggingEdges: LaggingEdge[];
	/** Push state per edge when the trial timed out. */
	pushStatus: unknown;
}

/** Outcome of polling one edge in one trial. */
type PollOutcome =
	| { served: true; ms: number }
	| { served: false; last: Omit<LaggingEdge, "health"> };

/** Result of {@link measurePropagation}, durations in ms. */
export interface PropagationResult {
	trials: number;
	timedOut: number;
	/** Details of every timed-out trial, for diagnosis. */
	timeouts: TimedOutTrial[];
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
	const timeouts: TimedOutTrial[] = [];

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

		const outcomes = await Promise.all(
			options.edgeUrls.map((edgeUrl) =>
				pollUntilServed(edgeUrl, options, updated.record, committed, polls),
			),
		);
		const served: number[] = [];
		const lagging: Omit<LaggingEdge, "health">[] = [];
		for (const outcome of outcomes) {
			if (outcome.served) {
				served.push(outcome.ms);
			} else {
				lagging.push(outcome.last);
			}
		}
		if (lagging.length === 0) {
			allEdges.push(Math.max(...served));
			perEdge.push(...served);
		} else {
			timeouts.push({
				trial,
				expectedSeq: decodeRecord(updated.record).payload.seq,
				pushStatus: options.pushStatus(),
				laggingEdges: await Promise.all(
					lagging.map(async (edge) => ({
						...edge,
						health: await (await fetch(`${edge.edgeUrl}/health`)).json(),
					})),
				),
			});
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
		timedOut: timeouts.length,
		timeouts,
		allEdges: figures(allEdges),
		perEdge: figures(perEdge),
		update: figures(updates),
		poll: figures(polls),
	};
}

/**
 * Polls one edge until it serves `record` and returns the ms from
 * `committed`, or what the last poll returned after {@link TRIAL_TIMEOUT_MS}.
 */
async function pollUntilServed(
	edgeUrl: string,
	options: PropagationOptions,
	record: string,
	committed: number,
	polls: number[],
): Promise<PollOutcome> {
	const url = `${edgeUrl}/v1/resolve?${new URLSearchParams({ name: options.agent.name })}`;
	const maxPolls = Math.ceil(TRIAL_TIMEOUT_MS / options.pollIntervalMs);
	let last: Omit<LaggingEdge, "health"> | undefined;
	for (let poll = 0; poll < maxPolls; poll += 1) {
		const sent = performance.now();
		const response = await fetch(url);
		const body = (await response.json()) as { record?: string };
		const arrived = performance.now();
		polls.push(arrived - sent);
		if (response.status === 200 && body.record === record) {
			return { served: true, ms: arrived - committed };
		}
		last = {
			edgeUrl,
			status: response.status,
			cache: response.headers.get("x-ans-cache"),
			layer: response.headers.get("x-ans-cache-layer"),
			servedSeq:
				body.record === undefined
					? undefined
					: decodeRecord(body.record).payload.seq,
		};
		if (arrived - committed > TRIAL_TIMEOUT_MS) {
			break;
		}
		await sleep(options.pollIntervalMs);
	}
	if (last === undefined) {
		throw new Error(`no poll of ${edgeUrl} was sent; the timeout is too short`);
	}
	return { served: false, last };
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

/**
 * Benchmark 2: latency of requests that the isolate cache cannot serve,
 * one request at a time, next to cache hits measured with the same client.
 *
 * @module
 */
import { percentile } from "./statistics.ts";

/** The three request kinds measured, named by the layer that must serve them. */
export type MissPathKind = "isolate-hit" | "replica" | "origin-not-found";

/** Latency figures of one request kind, ms. */
export interface MissPathSeries {
	kind: MissPathKind;
	/** Status, `X-ANS-Cache` and `X-ANS-Cache-Layer` every response had. */
	expected: { status: number; cache: string; layer: string };
	requests: number;
	p50Ms: number;
	p99Ms: number;
	maxMs: number;
}

/** Options of {@link measureMissPaths}. */
export interface MissPathOptions {
	edgeUrl: string;
	/** Version-less name of an agent with version 1.0.0 that the edge's replica holds. */
	registeredBaseName: string;
	/** Requests measured per kind, after `warmupRequests` that are not. */
	requests: number;
	warmupRequests: number;
}

interface Series {
	kind: MissPathKind;
	expected: { status: number; cache: string; layer: string };
	/** Query string of request number `index`; different indexes give different cache keys unless the kind is a hit. */
	query(index: number): URLSearchParams;
}

/**
 * Measures each request kind with sequential requests from this process.
 * Each "replica" request uses a range never asked before, so the isolate
 * cache misses and the replica resolves it from SQLite. Each
 * "origin-not-found" request uses a name never registered, so the isolate,
 * the replica and the negative cache miss and the control plane answers
 * 404.
 *
 * @throws Error when a response does not come from the expected layer,
 * because its latency would belong to another path.
 */
export async function measureMissPaths(
	options: MissPathOptions,
): Promise<MissPathSeries[]> {
	const series: Series[] = [
		{
			kind: "isolate-hit",
			expected: { status: 200, cache: "hit", layer: "isolate" },
			query: () =>
				new URLSearchParams({ name: options.registeredBaseName, range: "^1" }),
		},
		{
			kind: "replica",
			expected: { status: 200, cache: "hit", layer: "replica" },
			// Every range admits 1.0.0, and each differs in its upper bound.
			query: (index) =>
				new URLSearchParams({
					name: options.registeredBaseName,
					range: `>=1.0.0 <${index + 2}.0.0`,
				}),
		},
		{
			kind: "origin-not-found",
			expected: { status: 404, cache: "miss", layer: "origin" },
			query: (index) =>
				new URLSearchParams({ name: `a2a://absent${index}.edgeBench.Example` }),
		},
	];

	const results: MissPathSeries[] = [];
	for (const kind of series) {
		// The first request of a hit fills the isolate cache, so it is a warm-up too.
		for (let index = 0; index < options.warmupRequests; index += 1) {
			await timeRequest(options.edgeUrl, kind, index, false);
		}
		const latencies: number[] = [];
		const end = options.warmupRequests + options.requests;
		for (let index = options.warmupRequests; index < end; index += 1) {
			latencies.push(await timeRequest(options.edgeUrl, kind, index, true));
		}
		results.push({
			kind: kind.kind,
			expected: kind.expected,
			requests: latencies.length,
			p50Ms: percentile(latencies, 50),
			p99Ms: percentile(latencies, 99),
			maxMs: Math.max(...latencies),
		});
	}
	return results;
}

/** Sends request `index` of `series` and returns the ms until its body was read. */
async function timeRequest(
	edgeUrl: string,
	series: Series,
	index: number,
	check: boolean,
): Promise<number> {
	const url = `${edgeUrl}/v1/resolve?${series.query(index)}`;
	const started = performance.now();
	const response = await fetch(url);
	await response.arrayBuffer();
	const elapsed = performance.now() - started;
	const actual = {
		status: response.status,
		cache: response.headers.get("x-ans-cache"),
		layer: response.headers.get("x-ans-cache-layer"),
	};
	const matches =
		actual.status === series.expected.status &&
		actual.cache === series.expected.cache &&
		actual.layer === series.expected.layer;
	if (check && !matches) {
		throw new Error(
			`${series.kind} request ${url} returned ${JSON.stringify(actual)}, expected ${JSON.stringify(series.expected)}`,
		);
	}
	return elapsed;
}

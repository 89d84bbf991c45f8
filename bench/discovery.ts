/**
 * Discovery latency benchmark, run with `npm run bench:discovery`: fills a
 * control plane with synthesized registrations through the API (see
 * discovery-corpus.ts), then times `GET /v1/agents` with full-text
 * queries, filters, a version range and cursor pagination, one request at
 * a time. Prints Markdown tables for docs/benchmarks.md.
 *
 * Options (after `--`): --agents N (default 10000), --requests N per query
 * (200) and --concurrency N for the fill (8). --data-dir DIR keeps the
 * database in DIR, so a second run with the same DIR skips the fill.
 *
 * @module
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { runImport } from "../cli/src/import/run-import.ts";
import { synthesizeCorpus } from "./discovery-corpus.ts";
import {
	describeMachine,
	startBenchControlPlane,
} from "./import-control-plane.ts";

/** Label and query string of each timed request. */
const QUERIES: [string, string][] = [
	["one word", "q=weather"],
	["two words", "q=database%20server"],
	["word prefix", "q=git"],
	["no match", "q=zyxwvut"],
	["protocol and capability", "protocol=mcp&capability=tools"],
	["provider", "provider=kukapay-7"],
	["text, filter and range", "protocol=a2a&q=agent&range=%5E1.0.0"],
	["largest page", "protocol=mcp&limit=100"],
];

const { values } = parseArgs({
	options: {
		agents: { type: "string", default: "10000" },
		requests: { type: "string", default: "200" },
		concurrency: { type: "string", default: "8" },
		"data-dir": { type: "string" },
	},
});
const agents = positiveInteger("agents", values.agents);
const requests = positiveInteger("requests", values.requests);
const concurrency = positiveInteger("concurrency", values.concurrency);
const dataDir = values["data-dir"];
const filled =
	dataDir !== undefined && existsSync(join(dataDir, "admin-token"));

process.stderr.write(`${describeMachine()}\n`);
const controlPlane = await startBenchControlPlane({ dataDir });
try {
	if (!filled) {
		await fill(controlPlane.url, controlPlane.token);
	}
	const total = await countAgents(controlPlane.url);
	process.stderr.write(`${total} active agents\n`);

	const rows: string[] = [];
	for (const [label, query] of QUERIES) {
		const timing = await timeQuery(controlPlane.url, query, requests);
		rows.push(
			`| ${label} | \`${query}\` | ${timing.results} | ${timing.p50.toFixed(1)} | ${timing.p99.toFixed(1)} |`,
		);
	}
	const pages = await timePagination(controlPlane.url, requests);
	process.stdout.write(
		[
			`${total} active agents; ${requests} sequential requests per row.`,
			"",
			"| Query | Parameters | Agents on the first page | p50 ms | p99 ms |",
			"| --- | --- | --- | --- | --- |",
			...rows,
			`| next pages | \`protocol=mcp&limit=100\`, pages 2 to 11 by cursor | 100 | ${pages.p50.toFixed(1)} | ${pages.p99.toFixed(1)} |`,
			"",
		].join("\n"),
	);
} finally {
	await controlPlane.stop();
}

async function fill(url: string, token: string): Promise<void> {
	const corpus = synthesizeCorpus(agents);
	const work = mkdtempSync(join(tmpdir(), "ans-bench-corpus-"));
	try {
		for (const protocol of ["mcp", "a2a"] as const) {
			const file = join(work, `${protocol}.json`);
			writeFileSync(file, JSON.stringify(corpus[protocol]));
			const summary = await runImport({
				protocol,
				files: [file],
				controlPlaneUrl: url,
				token,
				fallbackProvider: "a2a-samples",
				concurrency,
				keyType: "P-256",
				verifyThrough: [],
			});
			process.stderr.write(
				`filled ${summary.imported} ${protocol} agents in ${summary.seconds} s (${summary.agentsPerSecond} per second), ${summary.skipped} skipped, ${summary.failed} failed\n`,
			);
		}
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
}

async function countAgents(url: string): Promise<number> {
	let total = 0;
	let cursor: string | null = null;
	// Bounded by the agent count: each page holds up to 100 agents.
	for (let page = 0; page <= agents / 100 + 10; page++) {
		const query = new URLSearchParams({ limit: "100" });
		if (cursor !== null) {
			query.set("cursor", cursor);
		}
		const body = await getPage(url, query.toString());
		total += body.agents.length;
		cursor = body.next;
		if (cursor === null) {
			break;
		}
	}
	return total;
}

async function timeQuery(
	url: string,
	query: string,
	count: number,
): Promise<{ results: number; p50: number; p99: number }> {
	const first = await getPage(url, query);
	const durations: number[] = [];
	for (let index = 0; index < count; index++) {
		const started = performance.now();
		await getPage(url, query);
		durations.push(performance.now() - started);
	}
	return { results: first.agents.length, ...percentiles(durations) };
}

/** Times the requests for pages 2 to 11 of one listing, repeated until `count` timings exist. */
async function timePagination(
	url: string,
	count: number,
): Promise<{ p50: number; p99: number }> {
	const durations: number[] = [];
	while (durations.length < count) {
		let cursor = (await getPage(url, "protocol=mcp&limit=100")).next;
		for (let page = 2; page <= 11 && cursor !== null; page++) {
			const query = `protocol=mcp&limit=100&cursor=${encodeURIComponent(cursor)}`;
			const started = performance.now();
			const body = await getPage(url, query);
			durations.push(performance.now() - started);
			cursor = body.next;
		}
		if (cursor === null && durations.length === 0) {
			throw new Error("the listing has a single page, so nothing was timed");
		}
	}
	return percentiles(durations);
}

async function getPage(
	url: string,
	query: string,
): Promise<{ agents: unknown[]; next: string | null }> {
	const response = await fetch(`${url}/v1/agents?${query}`);
	if (!response.ok) {
		throw new Error(
			`GET /v1/agents?${query} failed with ${response.status}: ${await response.text()}`,
		);
	}
	return (await response.json()) as { agents: unknown[]; next: string | null };
}

function percentiles(durations: number[]): { p50: number; p99: number } {
	const sorted = [...durations].sort((a, b) => a - b);
	const at = (fraction: number) =>
		sorted[
			Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)
		] ?? 0;
	return { p50: at(0.5), p99: at(0.99) };
}

function positiveInteger(name: string, value: string): number {
	const number = Number(value);
	if (!Number.isInteger(number) || number < 1) {
		throw new Error(`--${name} must be a positive integer, but it is ${value}`);
	}
	return number;
}

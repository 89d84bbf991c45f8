/**
 * Formats the edge benchmark's results as Markdown tables, the form
 * docs/benchmarks.md records them in.
 *
 * @module
 */
import type { Machine } from "./machine.ts";
import type { MissPathSeries } from "./miss-path.ts";
import type { PropagationResult } from "./propagation.ts";
import type { Spread } from "./statistics.ts";
import type { TargetSummary, ThroughputResult } from "./throughput.ts";

/** Settings of a run, printed with its results. */
export interface RunSettings {
	connections: number;
	durationSeconds: number;
	warmupSeconds: number;
	repetitions: number;
	missRequests: number;
	trials: number;
	pollIntervalMs: number;
	/** Response body sizes in bytes of the edge and of the baseline. */
	edgeBodyBytes: number;
	baselineBodyBytes: number;
	generator: string;
}

/** The 1-minute load average before and after each section. */
export type LoadBySection = Record<string, { before: number; after: number }>;

/** Formats the machine, the settings and every measured section. */
export function formatReport(report: {
	machine: Machine;
	settings: RunSettings;
	load: LoadBySection;
	throughput?: ThroughputResult;
	missPaths?: MissPathSeries[];
	propagation?: PropagationResult;
}): string {
	const { machine, settings } = report;
	const lines = [
		`Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB RAM, Node ${machine.node}, ${machine.workerd}, ${settings.generator}`,
		`Started: ${machine.startedAt}`,
		`Load average (1 min) before/after: ${Object.entries(report.load)
			.map(([section, load]) => `${section} ${load.before}/${load.after}`)
			.join(", ")}`,
		"",
	];
	if (report.throughput !== undefined) {
		lines.push(...formatThroughput(report.throughput, settings), "");
	}
	if (report.missPaths !== undefined) {
		lines.push(...formatMissPaths(report.missPaths, settings), "");
	}
	if (report.propagation !== undefined) {
		lines.push(...formatPropagation(report.propagation, settings), "");
	}
	return lines.join("\n");
}

function formatThroughput(
	result: ThroughputResult,
	settings: RunSettings,
): string[] {
	const row = (label: string, summary: TargetSummary, bytes: number) =>
		`| ${label} | ${bytes} | ${range(summary.requestsPerSecond, 0)} | ${range(summary.p50Ms, 2)} | ${range(summary.p99Ms, 2)} | ${range(summary.maxMs, 1)} | ${range(summary.serverCores, 2)} | ${range(summary.generatorCores, 2)} | ${range(summary.otherCores, 2)} |`;
	return [
		`Cache-hit throughput: wrk, 1 thread, ${settings.connections} connections, ${settings.durationSeconds} s per run after a ${settings.warmupSeconds} s warm-up, ${settings.repetitions} repetitions. Median (min–max).`,
		"",
		"| Target | Body bytes | Requests/s | p50 ms | p99 ms | max ms | Server cores | wrk cores | Other cores |",
		"| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
		row("edge, isolate cache hit", result.edge, settings.edgeBodyBytes),
		row("hello-world Hono worker", result.baseline, settings.baselineBodyBytes),
		"",
		`Ratio edge/baseline per repetition: ${range(result.ratio, 3)}`,
		"",
		"| Repetition | Edge requests/s | Baseline requests/s | Ratio | Other cores during edge / baseline run |",
		"| ---: | ---: | ---: | ---: | ---: |",
		...result.edge.runs.map((edgeRun, index) => {
			const baselineRun = result.baseline.runs[index];
			if (baselineRun === undefined) {
				throw new Error(`repetition ${index + 1} has no baseline run`);
			}
			const ratio = edgeRun.requestsPerSecond / baselineRun.requestsPerSecond;
			const other = (run: { otherCpuSeconds: number }) =>
				(run.otherCpuSeconds / settings.durationSeconds).toFixed(2);
			return `| ${index + 1} | ${edgeRun.requestsPerSecond.toFixed(0)} | ${baselineRun.requestsPerSecond.toFixed(0)} | ${ratio.toFixed(3)} | ${other(edgeRun)} / ${other(baselineRun)} |`;
		}),
	];
}

function formatMissPaths(
	series: MissPathSeries[],
	settings: RunSettings,
): string[] {
	return [
		`Miss-path latency: ${settings.missRequests} sequential requests per kind from Node fetch, after a warm-up.`,
		"",
		"| Kind | Status, X-ANS-Cache, layer | p50 ms | p99 ms | max ms |",
		"| --- | --- | ---: | ---: | ---: |",
		...series.map(
			(kind) =>
				`| ${kind.kind} | ${kind.expected.status}, ${kind.expected.cache}, ${kind.expected.layer} | ${kind.p50Ms.toFixed(2)} | ${kind.p99Ms.toFixed(2)} | ${kind.maxMs.toFixed(2)} |`,
		),
	];
}

function formatPropagation(
	result: PropagationResult,
	settings: RunSettings,
): string[] {
	const row = (
		label: string,
		figures: { p50Ms: number; p99Ms: number; maxMs?: number },
	) =>
		`| ${label} | ${figures.p50Ms.toFixed(1)} | ${figures.p99Ms.toFixed(1)} | ${figures.maxMs === undefined ? "" : figures.maxMs.toFixed(1)} |`;
	return [
		`Propagation: ${result.trials} trials (${result.timedOut} timed out), polling every ${settings.pollIntervalMs} ms.`,
		"",
		"| Measure | p50 ms | p99 ms | max ms |",
		"| --- | ---: | ---: | ---: |",
		row("commit to all 3 edges serving", result.allEdges),
		row("commit to one edge serving", result.perEdge),
		row("PATCH request", result.update),
		row("one poll request", result.poll),
		...result.timeouts.flatMap((timeout) => [
			"",
			`Timed-out trial ${timeout.trial}: expected seq ${timeout.expectedSeq}; lagging edges ${JSON.stringify(timeout.laggingEdges)}; push status ${JSON.stringify(timeout.pushStatus)}`,
		]),
	];
}

function range(value: Spread, digits: number): string {
	return `${value.median.toFixed(digits)} (${value.min.toFixed(digits)}–${value.max.toFixed(digits)})`;
}

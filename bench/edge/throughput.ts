/**
 * Benchmark 1: cache-hit throughput of an edge next to the hello-world
 * baseline on the same workerd build, with the same load for both.
 *
 * @module
 */
import { machineCpuSeconds, processCpuSeconds } from "./process-cpu.ts";
import { type Spread, spread } from "./statistics.ts";
import { runWrk, type WrkResult } from "./wrk.ts";

/** Options of {@link measureHitThroughput}. */
export interface ThroughputOptions {
	/** Resolve URL of a name the edge has cached in its isolate. */
	edgeUrl: string;
	edgePid: number;
	/** URL of the hello-world worker. */
	baselineUrl: string;
	baselinePid: number;
	connections: number;
	durationSeconds: number;
	warmupSeconds: number;
	repetitions: number;
	scratchDir: string;
}

/** One wrk run against one target, with the server's CPU use. */
export interface TargetRun extends WrkResult {
	/** CPU time of the workerd process during the run, seconds. */
	serverCpuSeconds: number;
	/**
	 * CPU time of every other process during the run, seconds: the
	 * machine's busy time minus the server's and wrk's. It includes this
	 * benchmark's Node process, which is idle while wrk runs.
	 */
	otherCpuSeconds: number;
	/** CPU time stolen by the hypervisor during the run, seconds. */
	stealSeconds: number;
}

/** Summary of every repetition of one target. */
export interface TargetSummary {
	requestsPerSecond: Spread;
	p50Ms: Spread;
	p99Ms: Spread;
	maxMs: Spread;
	/** Server CPU use as a fraction of one core. */
	serverCores: Spread;
	/** Load generator CPU use as a fraction of one core. */
	generatorCores: Spread;
	/** CPU use of all other processes, in cores. */
	otherCores: Spread;
	runs: TargetRun[];
}

/** Result of {@link measureHitThroughput}. */
export interface ThroughputResult {
	edge: TargetSummary;
	baseline: TargetSummary;
	/** Edge rate divided by the baseline rate of the same repetition. */
	ratio: Spread;
}

/**
 * Runs wrk against the edge and the baseline in alternating order, so a
 * change in background load affects both targets alike, after one warm-up
 * run of each.
 *
 * @throws Error when any run had a non-2xx response or a socket error,
 * because its rate would then not measure successful responses.
 */
export async function measureHitThroughput(
	options: ThroughputOptions,
): Promise<ThroughputResult> {
	const edge = { url: options.edgeUrl, pid: options.edgePid };
	const baseline = { url: options.baselineUrl, pid: options.baselinePid };
	for (const target of [edge, baseline]) {
		await runTarget(target, options, options.warmupSeconds);
	}

	const edgeRuns: TargetRun[] = [];
	const baselineRuns: TargetRun[] = [];
	for (let repetition = 0; repetition < options.repetitions; repetition += 1) {
		if (repetition % 2 === 0) {
			edgeRuns.push(await runTarget(edge, options, options.durationSeconds));
			baselineRuns.push(
				await runTarget(baseline, options, options.durationSeconds),
			);
		} else {
			baselineRuns.push(
				await runTarget(baseline, options, options.durationSeconds),
			);
			edgeRuns.push(await runTarget(edge, options, options.durationSeconds));
		}
	}

	const ratios = edgeRuns.map(
		(run, index) =>
			run.requestsPerSecond /
			(baselineRuns[index] as TargetRun).requestsPerSecond,
	);
	return {
		edge: summarize(edgeRuns, options.durationSeconds),
		baseline: summarize(baselineRuns, options.durationSeconds),
		ratio: spread(ratios),
	};
}

async function runTarget(
	target: { url: string; pid: number },
	options: ThroughputOptions,
	durationSeconds: number,
): Promise<TargetRun> {
	const cpuBefore = await processCpuSeconds(target.pid);
	const machineBefore = await machineCpuSeconds();
	const result = await runWrk({
		url: target.url,
		connections: options.connections,
		durationSeconds,
		scratchDir: options.scratchDir,
	});
	const machineAfter = await machineCpuSeconds();
	const cpuAfter = await processCpuSeconds(target.pid);
	if (result.non2xx > 0 || result.socketErrors > 0) {
		throw new Error(
			`wrk against ${target.url} got ${result.non2xx} non-2xx responses and ${result.socketErrors} socket errors in ${result.requests} requests`,
		);
	}
	const serverCpuSeconds = cpuAfter - cpuBefore;
	const busySeconds = machineAfter.busySeconds - machineBefore.busySeconds;
	return {
		...result,
		serverCpuSeconds,
		otherCpuSeconds: Math.max(
			0,
			busySeconds - serverCpuSeconds - result.generatorCpuSeconds,
		),
		stealSeconds: machineAfter.stealSeconds - machineBefore.stealSeconds,
	};
}

function summarize(runs: TargetRun[], durationSeconds: number): TargetSummary {
	return {
		requestsPerSecond: spread(runs.map((run) => run.requestsPerSecond)),
		p50Ms: spread(runs.map((run) => run.p50Ms)),
		p99Ms: spread(runs.map((run) => run.p99Ms)),
		maxMs: spread(runs.map((run) => run.maxMs)),
		serverCores: spread(
			runs.map((run) => run.serverCpuSeconds / durationSeconds),
		),
		generatorCores: spread(
			runs.map((run) => run.generatorCpuSeconds / durationSeconds),
		),
		otherCores: spread(
			runs.map((run) => run.otherCpuSeconds / durationSeconds),
		),
		runs,
	};
}

/**
 * Runs the `wrk` load generator and parses its report. wrk is a C program
 * that drives many connections from one thread. The benchmark uses it
 * because on a 2-core machine every core-second the generator needs is
 * taken from the server, and docs/benchmarks.md compares its CPU use with
 * a client running in Node.
 *
 * @module
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Options of {@link runWrk}. */
export interface WrkOptions {
	url: string;
	/** Open connections, each with one request in flight. */
	connections: number;
	durationSeconds: number;
	/** Directory for the CPU time file that /usr/bin/time writes. */
	scratchDir: string;
}

/** Figures of one wrk run. */
export interface WrkResult {
	requests: number;
	requestsPerSecond: number;
	/**
	 * Latency percentiles, ms, from wrk's `--latency` distribution. wrk
	 * corrects it for coordinated omission before printing. Each response
	 * slower than twice the mean interval between requests on a connection
	 * adds synthetic samples, so rare stalls weigh on p99 as they would for
	 * clients that keep sending at the mean rate.
	 */
	p50Ms: number;
	p99Ms: number;
	/** Slowest single response, ms, which the correction does not change. */
	maxMs: number;
	/** Responses with a status other than 2xx or 3xx. */
	non2xx: number;
	/** Connect, read, write and timeout errors together. */
	socketErrors: number;
	/** User plus system CPU time of wrk itself, seconds. */
	generatorCpuSeconds: number;
}

/**
 * Returns the version line of wrk.
 *
 * @throws Error saying what to install when wrk or /usr/bin/time is missing.
 */
export async function wrkVersion(): Promise<string> {
	try {
		await run("/usr/bin/time", ["--version"]);
	} catch {
		throw new Error(
			"/usr/bin/time is missing; install it (Debian: apt-get install time) to measure the load generator's CPU use",
		);
	}
	// `wrk --version` prints the version and its usage, then exits with 1.
	const output = await run("wrk", ["--version"]).then(
		(result) => result.stdout,
		(error: { stdout?: string }) => error.stdout ?? "",
	);
	const version = /^wrk (\S+)/.exec(output)?.[1];
	if (version === undefined) {
		throw new Error(
			"wrk is missing; install it (Debian: apt-get install wrk) and run the benchmark again",
		);
	}
	return `wrk ${version}`;
}

/**
 * Runs wrk with one thread against `url` and returns its figures.
 *
 * @throws Error when wrk fails or its report cannot be parsed.
 */
export async function runWrk(options: WrkOptions): Promise<WrkResult> {
	const timeFile = join(options.scratchDir, "wrk-cpu.txt");
	const { stdout } = await run(
		"/usr/bin/time",
		[
			"-f",
			"%U %S",
			"-o",
			timeFile,
			"wrk",
			"--threads",
			"1",
			"--connections",
			String(options.connections),
			"--duration",
			`${options.durationSeconds}s`,
			"--latency",
			options.url,
		],
		{ timeout: (options.durationSeconds + 30) * 1000 },
	);
	const [user, system] = (await readFile(timeFile, "utf8"))
		.trim()
		.split(/\s+/)
		.map(Number);
	return {
		...parseWrkReport(stdout),
		generatorCpuSeconds: (user ?? Number.NaN) + (system ?? Number.NaN),
	};
}

/**
 * Parses the text report of `wrk --latency`.
 *
 * @throws Error when the report has no request rate, request count,
 * maximum latency, or 50 % and 99 % latency.
 */
export function parseWrkReport(
	report: string,
): Omit<WrkResult, "generatorCpuSeconds"> {
	const rate = /Requests\/sec:\s+([\d.]+)/.exec(report)?.[1];
	const count = /(\d+) requests in /.exec(report)?.[1];
	const p50 = /^\s+50%\s+(\S+)/m.exec(report)?.[1];
	const p99 = /^\s+99%\s+(\S+)/m.exec(report)?.[1];
	// "Latency  <mean>  <stdev>  <max>  <within one stdev>"
	const max = /^[ \t]+Latency[ \t]+\S+[ \t]+\S+[ \t]+(\S+)/m.exec(report)?.[1];
	if (
		rate === undefined ||
		count === undefined ||
		p50 === undefined ||
		p99 === undefined ||
		max === undefined
	) {
		throw new Error(
			`the wrk report lacks the request rate, request count, latency maximum or latency distribution:\n${report}`,
		);
	}
	const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(report)?.[1];
	const socket =
		/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(
			report,
		);
	const socketErrors =
		socket === null
			? 0
			: socket.slice(1).reduce((sum, value) => sum + Number(value), 0);
	return {
		requests: Number(count),
		requestsPerSecond: Number(rate),
		p50Ms: durationToMs(p50),
		p99Ms: durationToMs(p99),
		maxMs: durationToMs(max),
		non2xx: Number(non2xx ?? 0),
		socketErrors,
	};
}

/** Converts a wrk duration such as `512.00us`, `1.20ms` or `2.00s` to ms. */
function durationToMs(text: string): number {
	const match = /^([\d.]+)(us|ms|s|m|h)$/.exec(text);
	if (match === null) {
		throw new Error(`unknown wrk duration ${JSON.stringify(text)}`);
	}
	const factor = { us: 0.001, ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[
		match[2] as "us" | "ms" | "s" | "m" | "h"
	];
	return Number(match[1]) * factor;
}

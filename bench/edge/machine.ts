/**
 * Description of the machine and software a benchmark ran on.
 *
 * @module
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { cpus, loadavg, totalmem } from "node:os";
import { promisify } from "node:util";
import { WORKERD_BINARY } from "./workerd-process.ts";

const run = promisify(execFile);

/** Hardware and versions. */
export interface Machine {
	/** `model name` from /proc/cpuinfo. */
	cpuModel: string;
	/** Logical CPUs visible to this process. */
	cores: number;
	/** Total memory, GiB. */
	memoryGiB: number;
	node: string;
	/** Output of `workerd --version`. */
	workerd: string;
	/** Start time, ISO 8601 UTC. */
	startedAt: string;
}

/** Reads the machine description. */
export async function describeMachine(): Promise<Machine> {
	const cpuinfo = await readFile("/proc/cpuinfo", "utf8").catch(() => "");
	const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1];
	const { stdout } = await run(WORKERD_BINARY, ["--version"]);
	return {
		cpuModel: model ?? cpus()[0]?.model ?? "unknown",
		cores: cpus().length,
		memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
		node: process.version,
		workerd: stdout.trim(),
		startedAt: new Date().toISOString(),
	};
}

/** Returns the 1-minute load average, rounded to two decimals. */
export function loadAverage(): number {
	return Math.round((loadavg()[0] ?? 0) * 100) / 100;
}

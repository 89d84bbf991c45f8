/**
 * CPU time of a process and of the whole machine from Linux's /proc, to
 * show how the cores are shared between the load generator, the server and
 * everything else that runs at the same time.
 *
 * @module
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";

const run = promisify(execFile);

let ticksPerSecond: Promise<number> | undefined;

/** Returns the unit of /proc CPU times, from `getconf CLK_TCK`. */
function clockTicksPerSecond(): Promise<number> {
	ticksPerSecond ??= run("getconf", ["CLK_TCK"]).then(({ stdout }) =>
		Number(stdout.trim()),
	);
	return ticksPerSecond;
}

/**
 * Returns the user plus system CPU time that process `pid` has used so far,
 * in seconds, from fields 14 and 15 of /proc/<pid>/stat.
 *
 * @throws Error when the process does not exist or /proc is unavailable.
 */
export async function processCpuSeconds(pid: number): Promise<number> {
	const stat = await readFile(`/proc/${pid}/stat`, "utf8");
	// The command name in field 2 may contain spaces, so fields are counted
	// from the closing parenthesis, after which field 3 starts.
	const fields = stat
		.slice(stat.lastIndexOf(")") + 2)
		.trim()
		.split(" ");
	const userTicks = Number(fields[11]);
	const systemTicks = Number(fields[12]);
	return (userTicks + systemTicks) / (await clockTicksPerSecond());
}

/** CPU time of the whole machine since boot, seconds summed over all cores. */
export interface MachineCpu {
	/** User, nice, system, IRQ and soft IRQ time. */
	busySeconds: number;
	/** Time the hypervisor ran something else while a virtual CPU was ready. */
	stealSeconds: number;
}

/**
 * Returns the machine's CPU time from the `cpu` line of /proc/stat.
 *
 * @throws Error when /proc/stat is unavailable.
 */
export async function machineCpuSeconds(): Promise<MachineCpu> {
	const stat = await readFile("/proc/stat", "utf8");
	const line = stat.split("\n").find((entry) => entry.startsWith("cpu "));
	if (line === undefined) {
		throw new Error("/proc/stat has no aggregate cpu line");
	}
	// Columns: user nice system idle iowait irq softirq steal.
	const [user, nice, system, , , irq, softirq, steal] = line
		.trim()
		.split(/\s+/)
		.slice(1)
		.map(Number);
	const ticks = await clockTicksPerSecond();
	return {
		busySeconds:
			((user ?? 0) +
				(nice ?? 0) +
				(system ?? 0) +
				(irq ?? 0) +
				(softirq ?? 0)) /
			ticks,
		stealSeconds: (steal ?? 0) / ticks,
	};
}

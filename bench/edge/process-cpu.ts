/**
 * CPU time of a process from Linux's /proc, to show how the two cores are
 * shared between the load generator and the server.
 *
 * @module
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";

const run = promisify(execFile);

let ticksPerSecond: Promise<number> | undefined;

/**
 * Returns the user plus system CPU time that process `pid` has used so far,
 * in seconds, from fields 14 and 15 of /proc/<pid>/stat.
 *
 * @throws Error when the process does not exist or /proc is unavailable.
 */
export async function processCpuSeconds(pid: number): Promise<number> {
	ticksPerSecond ??= run("getconf", ["CLK_TCK"]).then(({ stdout }) =>
		Number(stdout.trim()),
	);
	const stat = await readFile(`/proc/${pid}/stat`, "utf8");
	// The command name in field 2 may contain spaces, so fields are counted
	// from the closing parenthesis, after which field 3 starts.
	const fields = stat
		.slice(stat.lastIndexOf(")") + 2)
		.trim()
		.split(" ");
	const userTicks = Number(fields[11]);
	const systemTicks = Number(fields[12]);
	return (userTicks + systemTicks) / (await ticksPerSecond);
}

/**
 * Stopping child processes that tests spawn, such as the workerd binary,
 * so that none outlives its test file. For tests only.
 *
 * @module
 */
import type { ChildProcess } from "node:child_process";

/** Maximum wait in ms for a process to exit after SIGTERM, before it gets SIGKILL. */
export const STOP_GRACE_MS = 10_000;

/** Maximum wait in ms for a process to exit after SIGKILL. */
const KILL_WAIT_MS = 5_000;

/** Reports whether the child has exited, by exit code or by signal. */
export function hasExited(child: ChildProcess): boolean {
	return child.exitCode !== null || child.signalCode !== null;
}

/**
 * Reports whether a process with `pid` exists. Signal 0 checks the pid
 * without delivering anything. ESRCH means no such process, and EPERM means
 * one exists that belongs to another user.
 *
 * @throws RangeError unless `pid` is a positive integer, because 0 and
 * negative numbers name process groups.
 */
export function isProcessRunning(pid: number): boolean {
	if (!Number.isInteger(pid) || pid <= 0) {
		throw new RangeError(`pid must be a positive integer, got ${pid}`);
	}
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === "EPERM";
	}
}

/**
 * Waits up to `timeoutMs` for the child to exit and reports whether it
 * did. It sends no signal.
 */
export function waitForExit(
	child: ChildProcess,
	timeoutMs: number,
): Promise<boolean> {
	if (hasExited(child)) {
		return Promise.resolve(true);
	}
	const exited = new Promise<void>((resolve) =>
		child.once("exit", () => resolve()),
	);
	return settlesWithin(exited, timeoutMs);
}

/**
 * Sends SIGTERM to the child and waits for its exit. A child still running
 * after `graceMs` gets SIGKILL.
 *
 * @throws Error when the child has not exited 5 s after SIGKILL.
 */
export async function stopChildProcess(
	child: ChildProcess,
	graceMs = STOP_GRACE_MS,
): Promise<void> {
	if (hasExited(child)) {
		return;
	}
	child.kill("SIGTERM");
	if (await waitForExit(child, graceMs)) {
		return;
	}
	child.kill("SIGKILL");
	if (!(await waitForExit(child, KILL_WAIT_MS))) {
		throw new Error(
			`process ${child.pid} did not exit within ${KILL_WAIT_MS} ms of SIGKILL`,
		);
	}
}

/** Reports whether `promise` settles within `ms`, clearing its timer either way. */
async function settlesWithin(
	promise: Promise<void>,
	ms: number,
): Promise<boolean> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<false>((resolve) => {
		timer = setTimeout(() => resolve(false), ms);
	});
	try {
		return await Promise.race([promise.then(() => true), timeout]);
	} finally {
		clearTimeout(timer);
	}
}

import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import {
	isProcessRunning,
	stopChildProcess,
	waitForExit,
} from "../../edge-resolver/src/testing/child-process.ts";

// Runs deploy/local/stack.ts as `npm start` does, through tsx, with one
// edge on free ports of 127.0.0.1, and stops it with signals.

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const STACK = fileURLToPath(new URL("./stack.ts", import.meta.url));

/** Maximum wait for the stack to print its URLs, ms. */
const START_TIMEOUT_MS = 60_000;
/** Maximum wait for the stack to exit after a stop signal, ms. */
const STOP_TIMEOUT_MS = 30_000;

interface StartedStack {
	child: ChildProcess;
	/** Standard output and error, interleaved. */
	output: string[];
	dataDir: string;
	ports: number[];
}

const started: StartedStack[] = [];

afterEach(async () => {
	for (const stack of started.splice(0)) {
		try {
			await stopChildProcess(stack.child);
		} finally {
			rmSync(stack.dataDir, { recursive: true, force: true });
		}
	}
});

async function freePort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	const address = server.address();
	await new Promise((resolve) => server.close(resolve));
	if (address === null || typeof address === "string") {
		throw new Error("the probe server has no TCP port");
	}
	return address.port;
}

/** Reports whether a TCP server can listen on `port` of 127.0.0.1. */
async function isPortFree(port: number): Promise<boolean> {
	const server = createServer();
	const listening = await new Promise<boolean>((resolve) => {
		server.once("error", () => resolve(false));
		server.listen(port, "127.0.0.1", () => resolve(true));
	});
	if (listening) {
		await new Promise((resolve) => server.close(resolve));
	}
	return listening;
}

/**
 * Spawns the stack in its own process group, so that a test can signal
 * the group without reaching vitest.
 */
async function spawnStack(
	env: Record<string, string> = {},
): Promise<StartedStack> {
	const dataDir = mkdtempSync(join(tmpdir(), "ans-stack-"));
	const ports = [await freePort(), await freePort()];
	const child = spawn(process.execPath, ["--import", "tsx", STACK], {
		cwd: ROOT,
		env: {
			PATH: process.env.PATH,
			HOST: "127.0.0.1",
			PORT: String(ports[0]),
			ANS_EDGE_PORTS: String(ports[1]),
			ANS_DATA_DIR: dataDir,
			...env,
		},
		detached: true,
		stdio: ["ignore", "pipe", "pipe"],
	});
	const output: string[] = [];
	child.stdout?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
	child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
	const stack = { child, output, dataDir, ports };
	started.push(stack);
	return stack;
}

/** Waits until the stack printed the edge's URL, its last startup line. */
async function waitForUrls(stack: StartedStack): Promise<void> {
	const deadline = Date.now() + START_TIMEOUT_MS;
	// Bounded by the deadline, with 100 ms between checks.
	while (Date.now() < deadline) {
		if (/^edge-1 +http:/m.test(stack.output.join(""))) {
			return;
		}
		if (stack.child.exitCode !== null) {
			break;
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	throw new Error(`the stack did not start:\n${stack.output.join("")}`);
}

/** Returns the child's pid, which exists once spawn has succeeded. */
function pidOf(child: ChildProcess): number {
	if (child.pid === undefined) {
		throw new Error("the stack process failed to spawn");
	}
	return child.pid;
}

/** Returns the pids of the workerd processes that the stack process started. */
function workerdPids(pid: number): number[] {
	const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8")
		.trim()
		.split(/\s+/)
		.filter((text) => text !== "")
		.map(Number);
	return children.filter((child) => {
		try {
			return readFileSync(`/proc/${child}/cmdline`, "utf8").includes("workerd");
		} catch {
			// The child exited between the two reads.
			return false;
		}
	});
}

/** Returns the `msg` of every JSON log line in the output. */
function logMessages(output: string[]): string[] {
	const messages: string[] = [];
	for (const line of output.join("").split("\n")) {
		try {
			const parsed = JSON.parse(line) as { msg?: unknown };
			if (typeof parsed.msg === "string") {
				messages.push(parsed.msg);
			}
		} catch {
			// A URL line or a plain line from workerd.
		}
	}
	return messages;
}

async function expectStopped(
	stack: StartedStack,
	workerd: number[],
): Promise<void> {
	expect(await waitForExit(stack.child, STOP_TIMEOUT_MS)).toBe(true);
	expect(stack.child.exitCode).toBe(0);
	const messages = logMessages(stack.output);
	expect(messages).toContain("stopping the stack");
	expect(messages).toContain("control plane stopped");
	expect(messages.at(-1)).toBe("stack stopped");
	for (const pid of workerd) {
		expect({ pid, running: isProcessRunning(pid) }).toEqual({
			pid,
			running: false,
		});
	}
	for (const port of stack.ports) {
		expect({ port, free: await isPortFree(port) }).toEqual({
			port,
			free: true,
		});
	}
}

describe("npm start stack", () => {
	for (const signal of ["SIGINT", "SIGTERM"] as const) {
		it(`stops on ${signal} to the node process`, async () => {
			const stack = await spawnStack();
			await waitForUrls(stack);
			const workerd = workerdPids(pidOf(stack.child));
			expect(workerd).toHaveLength(1);

			stack.child.kill(signal);
			await expectStopped(stack, workerd);
		});
	}

	it("stops on SIGINT to the process group", async () => {
		const stack = await spawnStack();
		await waitForUrls(stack);
		const workerd = workerdPids(pidOf(stack.child));
		expect(workerd).toHaveLength(1);

		// As Ctrl-C does: workerd gets the signal too.
		process.kill(-pidOf(stack.child), "SIGINT");
		await expectStopped(stack, workerd);
	});

	it("rejects an invalid edge setting before starting", async () => {
		const stack = await spawnStack({ ANS_CACHE_TTL_SECONDS: "999" });
		expect(await waitForExit(stack.child, STOP_TIMEOUT_MS)).toBe(true);
		expect(stack.child.exitCode).toBe(1);
		const output = stack.output.join("");
		expect(output).toContain(
			'ANS_CACHE_TTL_SECONDS "999" must be an integer from 1 to 60',
		);
		expect(logMessages(stack.output)).toEqual([]);
		expect(readdirSync(stack.dataDir)).toEqual([]);
	});
});

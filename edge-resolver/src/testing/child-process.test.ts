import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import {
	hasExited,
	isProcessRunning,
	stopChildProcess,
} from "./child-process.ts";

/** Spawns a Node process that prints "ready" and then idles until killed. */
function spawnIdleNode(ignoreSigterm: boolean) {
	const handler = ignoreSigterm ? 'process.on("SIGTERM", () => {});' : "";
	const child = spawn(
		process.execPath,
		["-e", `${handler} console.log("ready"); setInterval(() => {}, 1000);`],
		{ stdio: ["ignore", "pipe", "inherit"] },
	);
	// The SIGTERM handler is in place once "ready" is printed.
	const ready = new Promise<void>((resolve) =>
		child.stdout?.once("data", () => resolve()),
	);
	return { child, ready };
}

describe("stopChildProcess", () => {
	it("stops a process with SIGTERM", async () => {
		const { child, ready } = spawnIdleNode(false);
		await ready;
		const pid = child.pid ?? 0;
		expect(isProcessRunning(pid)).toBe(true);

		await stopChildProcess(child);
		expect(child.signalCode).toBe("SIGTERM");
		expect(isProcessRunning(pid)).toBe(false);
	});

	it("sends SIGKILL after the grace period", async () => {
		const { child, ready } = spawnIdleNode(true);
		await ready;
		const pid = child.pid ?? 0;

		await stopChildProcess(child, 200);
		expect(child.signalCode).toBe("SIGKILL");
		expect(isProcessRunning(pid)).toBe(false);
	});

	it("returns at once for an exited process", async () => {
		const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
		await new Promise((resolve) => child.once("exit", resolve));
		expect(hasExited(child)).toBe(true);

		await stopChildProcess(child);
		expect(child.exitCode).toBe(0);
	});
});

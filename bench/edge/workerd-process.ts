/**
 * Starts and stops `workerd serve` processes for the edge benchmark, each
 * in its own temporary directory with a config and a bundled worker.
 *
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Path of the workerd platform binary that npm installed. Not
 * node_modules/.bin/workerd: without its install script that is a Node
 * wrapper, and stopping the wrapper would leave the real workerd running.
 */
export const WORKERD_BINARY = (
	createRequire(import.meta.url)("workerd") as { default: string }
).default;

/** Readiness polls of a starting workerd, 100 ms apart. */
const READY_POLLS = 150;

/** Options of {@link startWorkerd}. */
export interface WorkerdOptions {
	/** Label in error messages, e.g. "edge-1". */
	label: string;
	/** Cap'n Proto config text that embeds `worker.js`. */
	config: string;
	/** Bundled worker module, written as `worker.js` beside the config. */
	workerSource: string;
	/** Environment that `fromEnvironment` bindings read. */
	env: Record<string, string>;
	/** Port the config listens on, on 127.0.0.1. */
	port: number;
	/** Path polled until it returns 200, e.g. "/health". */
	readyPath: string;
	/** Directory for the config, the bundle and any storage. */
	dir: string;
	/** Further `workerd serve` arguments, such as `--inspector-addr=127.0.0.1:9229`. */
	extraArgs?: string[];
}

/** A running workerd process. */
export interface WorkerdProcess {
	label: string;
	/** Base URL, e.g. http://127.0.0.1:41234. */
	url: string;
	/** Process id of the workerd binary, for CPU accounting. */
	pid: number;
	/** Output of the process, for failure diagnosis. */
	output: string[];
	/** Sends SIGTERM and waits for the process to exit. */
	stop(): Promise<void>;
}

/**
 * Returns a TCP port on 127.0.0.1 that was free a moment ago, found by
 * binding port 0. Another process may take it before workerd binds it, in
 * which case workerd fails to start and {@link startWorkerd} reports it.
 */
export async function freePort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve, reject) => {
		server.once("error", reject);
		server.listen(0, "127.0.0.1", resolve);
	});
	const address = server.address();
	await new Promise((resolve) => server.close(resolve));
	if (address === null || typeof address === "string") {
		throw new Error("the port probe server has no TCP port");
	}
	return address.port;
}

/** Creates an empty temporary directory whose name starts with `prefix`. */
export function makeTempDir(prefix: string): Promise<string> {
	return mkdtemp(join(tmpdir(), prefix));
}

/** Deletes a directory made by {@link makeTempDir}. */
export function removeDir(dir: string): Promise<void> {
	return rm(dir, { recursive: true, force: true });
}

/**
 * Replaces the only occurrence of `from` in `text`.
 *
 * @throws Error when `from` occurs zero or several times, because the
 * config template then changed in a way this benchmark does not expect.
 */
export function replaceOnce(text: string, from: string, to: string): string {
	const parts = text.split(from);
	if (parts.length !== 2) {
		throw new Error(
			`the workerd config must contain ${from} exactly once, found ${parts.length - 1}`,
		);
	}
	return parts.join(to);
}

/** Reads a config template from disk. */
export function readTemplate(path: string): Promise<string> {
	return readFile(path, "utf8");
}

/**
 * Writes the config and the bundle into `options.dir`, starts
 * `workerd serve --experimental` there and waits until `readyPath`
 * returns 200.
 *
 * @throws Error with workerd's output when it exits or is not ready
 * within 15 s.
 */
export async function startWorkerd(
	options: WorkerdOptions,
): Promise<WorkerdProcess> {
	await writeFile(join(options.dir, "config.capnp"), options.config);
	await writeFile(join(options.dir, "worker.js"), options.workerSource);
	const output: string[] = [];
	const child = spawn(
		WORKERD_BINARY,
		["serve", "--experimental", ...(options.extraArgs ?? []), "config.capnp"],
		{
			cwd: options.dir,
			env: { PATH: process.env.PATH ?? "", ...options.env },
			stdio: ["ignore", "pipe", "pipe"],
		},
	);
	child.stdout?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
	child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
	const url = `http://127.0.0.1:${options.port}`;
	const stop = () => stopChild(child);

	for (let poll = 0; poll < READY_POLLS; poll += 1) {
		if (child.exitCode !== null) {
			break;
		}
		try {
			const response = await fetch(`${url}${options.readyPath}`);
			await response.arrayBuffer();
			if (response.status === 200 && child.pid !== undefined) {
				return { label: options.label, url, pid: child.pid, output, stop };
			}
		} catch {
			// Not listening yet.
		}
		await sleep(100);
	}
	await stop();
	throw new Error(
		`workerd for ${options.label} did not return 200 for ${options.readyPath} within ${READY_POLLS / 10} s; its output:\n${output.join("")}`,
	);
}

async function stopChild(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) {
		return;
	}
	const exited = new Promise((resolve) => child.once("exit", resolve));
	child.kill("SIGTERM");
	await exited;
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

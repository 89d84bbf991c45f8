/**
 * A control plane in its own Node process for the import and discovery
 * benchmarks, so that the client's key generation and the server's
 * signing do not share one event loop. It listens on a free port of
 * 127.0.0.1 with its own data directory.
 *
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";

/** A running benchmark control plane. */
export interface BenchControlPlane {
	url: string;
	token: string;
	dataDir: string;
	/** Stops the process and deletes the data directory unless it was given. */
	stop(): Promise<void>;
}

/** Seconds to wait for the control plane to report ready. */
const START_TIMEOUT_SECONDS = 60;
/** Seconds to wait for the process to exit after SIGTERM. */
const STOP_TIMEOUT_SECONDS = 10;

const repositoryRoot = new URL("..", import.meta.url).pathname;

/**
 * Starts `control-plane/src/main.ts` with ANS_ALLOW_LOOPBACK_ENDPOINTS=1
 * (the A2A sample cards use localhost) and warn-level logs on stderr.
 * `dataDir` reuses a directory, which `stop` then keeps.
 */
export async function startBenchControlPlane(
	options: { dataDir?: string | undefined } = {},
): Promise<BenchControlPlane> {
	const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "ans-bench-"));
	const port = await freePort();
	const child = spawn(
		process.execPath,
		["--import", "tsx", join(repositoryRoot, "control-plane/src/main.ts")],
		{
			cwd: repositoryRoot,
			env: {
				...process.env,
				HOST: "127.0.0.1",
				PORT: String(port),
				ANS_DATA_DIR: dataDir,
				ANS_ALLOW_LOOPBACK_ENDPOINTS: "1",
				ANS_LOG_LEVEL: "warn",
			},
			stdio: ["ignore", "ignore", "inherit"],
		},
	);
	const url = `http://127.0.0.1:${port}`;
	await waitUntilReady(url, child);
	return {
		url,
		token: readFileSync(join(dataDir, "admin-token"), "utf8").trim(),
		dataDir,
		stop: async () => {
			await stopProcess(child);
			if (options.dataDir === undefined) {
				rmSync(dataDir, { recursive: true, force: true });
			}
		},
	};
}

/** CPU model, core count and Node version, for the benchmark page. */
export function describeMachine(): string {
	const model = cpus()[0]?.model.trim() ?? "unknown CPU";
	const load = loadavg()
		.map((value) => value.toFixed(2))
		.join(" ");
	return `${cpus().length} × ${model}, Node ${process.version}, load average at start ${load}`;
}

async function freePort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	const address = server.address();
	await new Promise((resolve) => server.close(resolve));
	if (address === null || typeof address === "string") {
		throw new Error("could not read the port of a listening socket");
	}
	return address.port;
}

async function waitUntilReady(url: string, child: ChildProcess): Promise<void> {
	const deadline = Date.now() + START_TIMEOUT_SECONDS * 1000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) {
			throw new Error(`the control plane exited with code ${child.exitCode}`);
		}
		try {
			const response = await fetch(`${url}/health/readiness`);
			if (response.ok) {
				return;
			}
		} catch {
			// Not listening yet.
		}
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	await stopProcess(child);
	throw new Error(
		`the control plane at ${url} was not ready after ${START_TIMEOUT_SECONDS} s`,
	);
}

async function stopProcess(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null) {
		return;
	}
	const exited = new Promise((resolve) => child.once("exit", resolve));
	child.kill("SIGTERM");
	const timeout = new Promise((resolve) =>
		setTimeout(resolve, STOP_TIMEOUT_SECONDS * 1000),
	);
	await Promise.race([exited, timeout]);
	if (child.exitCode === null) {
		child.kill("SIGKILL");
	}
}

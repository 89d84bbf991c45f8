/**
 * Entry point of `npm start`: the control plane in this process and edge
 * resolvers in workerd through Miniflare, each edge with its own replica
 * under `<dataDir>/edges/<id>` and pinned to the control plane's push keys.
 *
 * Environment: everything `npm run start:control-plane` reads, plus
 * `ANS_EDGE_PORTS` (comma-separated, default 8787,8788; one edge per port)
 * and the edge settings ANS_CACHE_TTL_SECONDS, ANS_NEGATIVE_TTL_SECONDS,
 * ANS_SYNC_INTERVAL_SECONDS and ANS_ISOLATE_CACHE_MAX_ENTRIES. An invalid
 * value stops the launcher with a message naming the variable before
 * anything starts.
 *
 * Stopping: SIGINT or SIGTERM to this node process or to its process group
 * (Ctrl-C in the terminal) stops the stack. It disposes every edge, closes
 * the control plane with its database and pushers, logs "stack stopped"
 * and exits with 0. It exits with 1 if stopping fails or takes more than
 * 30 s. A signal to npm's own pid is not enough: npm forwards it to the
 * `sh -c` that runs tsx, and that shell does not pass it on.
 *
 * @module
 */
import { join } from "node:path";
import { createLogger } from "../../control-plane/src/logging/logger.ts";
import {
	type RunningControlPlane,
	startControlPlane,
} from "../../control-plane/src/server.ts";
import { bundleEdgeWorker } from "../../edge-resolver/scripts/build-worker.ts";
import { type MiniflareEdge, startMiniflareEdge } from "./miniflare-edge.ts";
import { readStackConfig, type StackConfig } from "./stack-config.ts";

/** Maximum time in ms for stopping the edges and the control plane, after which the process exits with 1. */
const STOP_TIMEOUT_MS = 30_000;

/** Maximum time in ms for the process to exit by itself after the stack stopped. */
const EXIT_GRACE_MS = 2_000;

let stackConfig: StackConfig;
try {
	stackConfig = readStackConfig();
} catch (error) {
	process.stderr.write(`${(error as Error).message}\n`);
	process.exit(1);
}
const config = stackConfig.controlPlane;
const logger = createLogger(config.logLevel);

// The handlers are installed before anything starts and kept until exit.
// A signal during startup, or a second one while stopping, must find one,
// because without a handler the process ends at once: by Node's default
// action, or by tsx, which exits when no other handler is installed.
let stopSignal: NodeJS.Signals | undefined;
const stopRequested = new Promise<NodeJS.Signals>((resolve) => {
	for (const signal of ["SIGINT", "SIGTERM"] as const) {
		process.on(signal, () => {
			if (stopSignal !== undefined) {
				logger.info({ signal }, "already stopping the stack");
				return;
			}
			stopSignal = signal;
			resolve(signal);
		});
	}
});

let controlPlane: RunningControlPlane | undefined;
const edges: MiniflareEdge[] = [];

/** Disposes every edge, then closes the control plane. */
async function stop(): Promise<void> {
	const results = await Promise.allSettled(edges.map((edge) => edge.close()));
	results.forEach((result, index) => {
		if (result.status === "rejected") {
			logger.error(
				{ err: result.reason, edge: edges[index]?.id },
				"stopping an edge failed",
			);
		}
	});
	await controlPlane?.close();
}

/**
 * Stops the stack and sets the exit code to `code`, or to 1 if stopping
 * failed.
 * The process then exits by itself once pino has written its last lines,
 * because pino writes to stdout asynchronously here and `process.exit`
 * can reorder or cut them.
 */
async function stopStack(code: number): Promise<void> {
	const stopTimer = setTimeout(() => {
		logger.error(
			{ timeoutMs: STOP_TIMEOUT_MS },
			"stopping the stack timed out; exiting",
		);
		process.exit(1);
	}, STOP_TIMEOUT_MS);
	stopTimer.unref();
	try {
		await stop();
		logger.info("stack stopped");
		process.exitCode = code;
	} catch (error) {
		logger.error({ err: error }, "stopping the stack failed");
		process.exitCode = 1;
	} finally {
		clearTimeout(stopTimer);
	}
	// Something still open (a socket, a timer) would keep the process
	// alive, so exit anyway after a short grace period.
	setTimeout(() => process.exit(), EXIT_GRACE_MS).unref();
}

const started = await startStack().then(
	() => true,
	(error: unknown) => {
		logger.error({ err: error }, "starting the stack failed");
		return false;
	},
);
if (started) {
	if (stopSignal === undefined) {
		process.stdout.write(`control plane  ${controlPlane?.url}\n`);
		for (const edge of edges) {
			process.stdout.write(`${edge.id.padEnd(14)} ${edge.url}\n`);
		}
	}
	const signal = await stopRequested;
	logger.info({ signal }, "stopping the stack");
}
await stopStack(started ? 0 : 1);

/**
 * Starts the control plane, then one edge per port, and points the
 * control plane's pushes at them. Returns early once a stop signal arrived,
 * leaving what already runs to {@link stop}.
 */
async function startStack(): Promise<void> {
	controlPlane = await startControlPlane(config, { logger });
	const script = await bundleEdgeWorker();
	const pushJwks = controlPlane.services.pushKeys.jwks();
	for (const [index, port] of stackConfig.edgePorts.entries()) {
		if (stopSignal !== undefined) {
			return;
		}
		const id = `edge-${index + 1}`;
		edges.push(
			await startMiniflareEdge({
				id,
				originUrl: controlPlane.url,
				pushJwks,
				host: config.host,
				port,
				persistDir: join(config.dataDir, "edges", id),
				script,
				settings: stackConfig.edgeSettings,
				onLog: (line) => process.stdout.write(`${tagLine(line, id)}\n`),
				exitOnSignal: false,
			}),
		);
	}
	await controlPlane.services.edgeSync.setEdges([
		...config.edges,
		...edges.map((edge) => ({ id: edge.id, url: edge.url })),
	]);
	// The first request creates each replica, which starts its catch-up alarm.
	await Promise.all(edges.map((edge) => fetch(`${edge.url}/health`)));
}

/** Adds the edge id to a JSON log line, or prefixes a plain one with it. */
function tagLine(line: string, edge: string): string {
	try {
		const parsed = JSON.parse(line) as unknown;
		if (parsed !== null && typeof parsed === "object") {
			return JSON.stringify({ ...parsed, edge });
		}
	} catch {
		// A plain line from workerd itself.
	}
	return `[${edge}] ${line}`;
}

/**
 * Entry point of `npm start`: the control plane in this process and edge
 * resolvers in workerd through Miniflare, each edge with its own replica
 * under `<dataDir>/edges/<id>` and pinned to the control plane's push keys.
 * Stops everything on SIGINT or SIGTERM.
 *
 * Environment: everything `npm run start:control-plane` reads, plus
 * `ANS_EDGE_PORTS` (comma-separated, default 8787,8788; one edge per port)
 * and the edge settings ANS_CACHE_TTL_SECONDS, ANS_NEGATIVE_TTL_SECONDS,
 * ANS_SYNC_INTERVAL_SECONDS and ANS_ISOLATE_CACHE_MAX_ENTRIES.
 *
 * @module
 */
import { join } from "node:path";
import { loadConfig } from "../../control-plane/src/config/config.ts";
import { createLogger } from "../../control-plane/src/logging/logger.ts";
import { startControlPlane } from "../../control-plane/src/server.ts";
import { bundleEdgeWorker } from "../../edge-resolver/scripts/build-worker.ts";
import { type MiniflareEdge, startMiniflareEdge } from "./miniflare-edge.ts";

const EDGE_SETTINGS = [
	"ANS_CACHE_TTL_SECONDS",
	"ANS_NEGATIVE_TTL_SECONDS",
	"ANS_SYNC_INTERVAL_SECONDS",
	"ANS_ISOLATE_CACHE_MAX_ENTRIES",
] as const;

/** Parses `ANS_EDGE_PORTS`. */
export function parseEdgePorts(value: string): number[] {
	const ports = value
		.split(",")
		.map((part) => part.trim())
		.filter((part) => part !== "")
		.map(Number);
	const invalid = ports.find(
		(port) => !Number.isInteger(port) || port < 0 || port > 65535,
	);
	if (ports.length === 0 || invalid !== undefined) {
		throw new Error(
			`invalid configuration: ANS_EDGE_PORTS ${JSON.stringify(value)} must list ports from 0 to 65535, e.g. 8787,8788`,
		);
	}
	return ports;
}

const config = loadConfig();
const logger = createLogger(config.logLevel);
const ports = parseEdgePorts(process.env.ANS_EDGE_PORTS ?? "8787,8788");
const settings: Record<string, string> = {};
for (const name of EDGE_SETTINGS) {
	const value = process.env[name];
	if (value !== undefined) {
		settings[name] = value;
	}
}

const controlPlane = await startControlPlane(config, { logger });
const edges: MiniflareEdge[] = [];
let stopping = false;

async function stop(): Promise<void> {
	stopping = true;
	await Promise.allSettled(edges.map((edge) => edge.close()));
	await controlPlane.close();
}

try {
	const script = await bundleEdgeWorker();
	const pushJwks = controlPlane.services.pushKeys.jwks();
	for (const [index, port] of ports.entries()) {
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
				settings,
				onLog: (line) => process.stdout.write(`${tagLine(line, id)}\n`),
			}),
		);
	}
	await controlPlane.services.edgeSync.setEdges([
		...config.edges,
		...edges.map((edge) => ({ id: edge.id, url: edge.url })),
	]);
	// The first request creates each replica, which starts its catch-up alarm.
	await Promise.all(edges.map((edge) => fetch(`${edge.url}/health`)));
} catch (error) {
	logger.error({ err: error }, "starting the edges failed");
	await stop();
	process.exit(1);
}

process.stdout.write(`control plane  ${controlPlane.url}\n`);
for (const edge of edges) {
	process.stdout.write(`${edge.id.padEnd(14)} ${edge.url}\n`);
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
	process.once(signal, () => {
		if (stopping) {
			return;
		}
		logger.info({ signal }, "stopping the stack");
		stop().then(
			() => process.exit(0),
			(error: unknown) => {
				logger.error({ err: error }, "error while stopping");
				process.exit(1);
			},
		);
	});
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

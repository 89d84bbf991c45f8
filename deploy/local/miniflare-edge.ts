/**
 * Runs one edge resolver location in workerd through Miniflare's Node API:
 * the bundled worker, its replica Durable Object on SQLite, and the
 * bindings that point it at a control plane.
 *
 * @module
 */
import type { Readable } from "node:stream";
import { Miniflare } from "miniflare";
import { bundleEdgeWorker } from "../../edge-resolver/scripts/build-worker.ts";

/** Compatibility date of the edge worker, the same as in wrangler.toml. */
export const EDGE_COMPATIBILITY_DATE = "2026-04-26";

/** Options of {@link startMiniflareEdge}. */
export interface MiniflareEdgeOptions {
	/** Edge id, the audience of pushes (ANS_EDGE_ID). */
	id: string;
	/** Control plane base URL (ANS_ORIGIN_URL). */
	originUrl: string;
	/** Control plane push JWKS to pin (ANS_PUSH_JWKS). */
	pushJwks: unknown;
	/** Listening address; 127.0.0.1 unless set. */
	host?: string;
	/** Listening port; 0 picks a free one. */
	port: number;
	/** Directory of the replica's SQLite files; in memory when undefined. */
	persistDir?: string | undefined;
	/** Worker module source; bundled from edge-resolver/src when undefined. */
	script?: string;
	/** Further string bindings, such as ANS_CACHE_TTL_SECONDS. */
	settings?: Record<string, string>;
	/** Receives the worker's log lines; they go to this process's output when undefined. */
	onLog?: (line: string) => void;
	/**
	 * Whether Miniflare's own SIGINT and SIGTERM handlers stay installed
	 * (true unless set). They kill workerd and call `process.exit` at once,
	 * before any other handler's asynchronous cleanup can finish. A caller
	 * that sets false must stop the edge itself on those signals.
	 */
	exitOnSignal?: boolean;
}

/** A started edge. */
export interface MiniflareEdge {
	id: string;
	/** Base URL, e.g. http://127.0.0.1:8787. */
	url: string;
	miniflare: Miniflare;
	/** Stops workerd. */
	close(): Promise<void>;
}

/** Starts one edge and waits until it listens. */
export async function startMiniflareEdge(
	options: MiniflareEdgeOptions,
): Promise<MiniflareEdge> {
	const script = options.script ?? (await bundleEdgeWorker());
	const onLog = options.onLog;
	const signalHandlersBefore = signalHandlers();
	const miniflare = new Miniflare({
		modules: [{ type: "ESModule", path: "worker.js", contents: script }],
		compatibilityDate: EDGE_COMPATIBILITY_DATE,
		host: options.host ?? "127.0.0.1",
		port: options.port,
		// Without this, Miniflare downloads the Request.cf object from
		// workers.cloudflare.com on start. The worker does not read it.
		cf: false,
		bindings: {
			...options.settings,
			ANS_EDGE_ID: options.id,
			ANS_ORIGIN_URL: options.originUrl,
			ANS_PUSH_JWKS: JSON.stringify(options.pushJwks),
		},
		durableObjects: { REPLICA: { className: "EdgeReplica", useSQLite: true } },
		durableObjectsPersist: options.persistDir ?? false,
		...(onLog === undefined
			? {}
			: {
					handleRuntimeStdio: (stdout: Readable, stderr: Readable) => {
						forwardLines(stdout, onLog);
						forwardLines(stderr, onLog);
					},
				}),
	});
	if (options.exitOnSignal === false) {
		// The constructor runs synchronously, so every handler added since
		// the snapshot is Miniflare's.
		removeSignalHandlersAddedSince(signalHandlersBefore);
	}
	const url = await miniflare.ready;
	return {
		id: options.id,
		url: url.origin,
		miniflare,
		close: () => miniflare.dispose(),
	};
}

const STOP_SIGNALS = ["SIGINT", "SIGTERM"] as const;

type SignalHandlers = Map<NodeJS.Signals, Set<(...args: unknown[]) => void>>;

function signalHandlers(): SignalHandlers {
	const handlers: SignalHandlers = new Map();
	for (const signal of STOP_SIGNALS) {
		handlers.set(
			signal,
			new Set(process.listeners(signal) as ((...args: unknown[]) => void)[]),
		);
	}
	return handlers;
}

/**
 * Removes the SIGINT and SIGTERM handlers that were not in `before`.
 * Miniflare 4.20260426 installs them when it creates an instance while no
 * other instance exists, and removes them when its last instance is
 * disposed.
 */
function removeSignalHandlersAddedSince(before: SignalHandlers): void {
	for (const signal of STOP_SIGNALS) {
		const known = before.get(signal) ?? new Set();
		for (const handler of process.listeners(signal)) {
			if (!known.has(handler as (...args: unknown[]) => void)) {
				process.removeListener(signal, handler);
			}
		}
	}
}

function forwardLines(stream: Readable, onLog: (line: string) => void): void {
	let buffered = "";
	stream.setEncoding("utf8");
	stream.on("data", (chunk: string) => {
		buffered += chunk;
		const lines = buffered.split("\n");
		buffered = lines.pop() ?? "";
		for (const line of lines) {
			if (line !== "") {
				onLog(line);
			}
		}
	});
}

/**
 * A control plane and edges in workerd (through Miniflare) for integration
 * tests, with helpers to register and change agents and to wait for
 * pushes. For tests only.
 *
 * @module
 */
import type { JWK } from "jose";
import { registerTestAgent } from "../../../control-plane/src/testing/test-agents.ts";
import {
	startTestControlPlane,
	type TestControlPlane,
} from "../../../control-plane/src/testing/test-control-plane.ts";
import {
	type MiniflareEdge,
	startMiniflareEdge,
} from "../../../deploy/local/miniflare-edge.ts";
import { bundleEdgeWorker } from "../../scripts/build-worker.ts";

/** Options of {@link startEdgeTestStack}. */
export interface EdgeTestStackOptions {
	/** Number of edges; 2 unless set. */
	edgeCount?: number;
	/** Edge bindings such as ANS_CACHE_TTL_SECONDS. */
	settings?: Record<string, string>;
	/** Control-plane environment overrides. */
	controlPlaneEnv?: Record<string, string>;
}

/** A registered agent version. */
export interface TestAgent {
	id: string;
	/** Canonical full name. */
	name: string;
	/** Version-less name. */
	baseName: string;
	keys: CryptoKeyPair;
}

/** A started stack. */
export interface EdgeTestStack {
	cp: TestControlPlane;
	edges: MiniflareEdge[];
	/** Public push JWKS the edges pin. */
	pushJwks: { keys: JWK[] };
	/** Log lines of all edges, for failure diagnosis. */
	edgeLogs: string[];
	/** Registers `label` at `version` and returns it. */
	register(label: string, version?: string): Promise<TestAgent>;
	/** Calls the control plane with the admin token; fails the test unless 2xx. */
	admin(method: string, path: string, body?: unknown): Promise<unknown>;
	/** Requests `GET /v1/resolve` at `edge`. */
	resolve(
		edge: MiniflareEdge,
		name: string,
		options?: { range?: string; headers?: Record<string, string> },
	): Promise<Response>;
	/** Turns pushes to all edges on or off. */
	setPushing(on: boolean): Promise<void>;
	/** Waits until every edge acknowledged the control plane's head. */
	waitForPushes(): Promise<void>;
	/** Waits until every edge's replica reached the feed head once. */
	waitForBootstrap(): Promise<void>;
	/** Returns an edge's `/health` replica state. */
	replicaStatus(edge: MiniflareEdge): Promise<{
		appliedSeq: number;
		bootstrapped: boolean;
		lastSyncAt: number | null;
	}>;
	/** Stops the control plane only, leaving the edges running. */
	stopControlPlane(): Promise<void>;
	/** Stops the edges and the control plane (if still running). */
	stop(): Promise<void>;
}

let bundle: Promise<string> | undefined;

export { minimalAgentCard } from "../../../control-plane/src/testing/test-agents.ts";

/** Starts a control plane with loopback endpoints allowed, then the edges, pushing to all of them. */
export async function startEdgeTestStack(
	options: EdgeTestStackOptions = {},
): Promise<EdgeTestStack> {
	bundle ??= bundleEdgeWorker();
	const script = await bundle;
	const cp = await startTestControlPlane({
		ANS_ALLOW_LOOPBACK_ENDPOINTS: "1",
		...options.controlPlaneEnv,
	});
	const services = cp.controlPlane.services;
	const pushJwks = services.pushKeys.jwks();
	const edgeLogs: string[] = [];
	const edges: MiniflareEdge[] = [];
	let cpStopped = false;
	try {
		for (let index = 0; index < (options.edgeCount ?? 2); index += 1) {
			edges.push(
				await startMiniflareEdge({
					id: `edge-${index + 1}`,
					originUrl: cp.url,
					pushJwks,
					port: 0,
					script,
					...(options.settings === undefined
						? {}
						: { settings: options.settings }),
					onLog: (line) => edgeLogs.push(line),
				}),
			);
		}
	} catch (error) {
		await Promise.all(edges.map((edge) => edge.close()));
		await cp.stop();
		throw error;
	}
	const targets = edges.map((edge) => ({ id: edge.id, url: edge.url }));
	await services.edgeSync.setEdges(targets);

	const admin = async (
		method: string,
		path: string,
		body?: unknown,
	): Promise<unknown> => {
		const response = await fetch(`${cp.url}${path}`, {
			method,
			headers: {
				authorization: `Bearer ${cp.adminToken}`,
				"content-type": "application/json",
			},
			...(body === undefined ? {} : { body: JSON.stringify(body) }),
		});
		const text = await response.text();
		if (!response.ok) {
			throw new Error(`${method} ${path} returned ${response.status}: ${text}`);
		}
		return JSON.parse(text) as unknown;
	};

	const replicaStatus = async (edge: MiniflareEdge) => {
		const response = await fetch(`${edge.url}/health`);
		const body = (await response.json()) as {
			replica: {
				appliedSeq: number;
				bootstrapped: boolean;
				lastSyncAt: number | null;
			};
		};
		return body.replica;
	};

	return {
		cp,
		edges,
		pushJwks,
		edgeLogs,
		admin,
		replicaStatus,
		register: async (label, version = "1.0.0") => {
			const agent = await registerTestAgent(cp, {
				label,
				version,
				capability: "edgeTesting",
			});
			return {
				id: agent.id,
				name: agent.name,
				baseName: agent.baseName,
				keys: agent.keys,
			};
		},
		resolve: (edge, name, resolveOptions = {}) => {
			const url = new URL(`${edge.url}/v1/resolve`);
			url.searchParams.set("name", name);
			if (resolveOptions.range !== undefined) {
				url.searchParams.set("range", resolveOptions.range);
			}
			return fetch(url, { headers: resolveOptions.headers ?? {} });
		},
		setPushing: (on) => services.edgeSync.setEdges(on ? targets : []),
		waitForPushes: async () => {
			// Bounded wait: 200 polls of 25 ms.
			for (let poll = 0; poll < 200; poll += 1) {
				const head = await services.store.headSeq();
				const status = services.edgeSync.status();
				if (status.every((edge) => edge.acknowledgedSeq >= head)) {
					return;
				}
				await sleep(25);
			}
			throw new Error(
				`edges did not acknowledge the head: ${JSON.stringify(services.edgeSync.status())}`,
			);
		},
		waitForBootstrap: async () => {
			for (let poll = 0; poll < 200; poll += 1) {
				const states = await Promise.all(edges.map(replicaStatus));
				if (states.every((state) => state.bootstrapped)) {
					return;
				}
				await sleep(25);
			}
			throw new Error("edge replicas did not reach the feed head");
		},
		stopControlPlane: async () => {
			if (!cpStopped) {
				cpStopped = true;
				await cp.stop();
			}
		},
		stop: async () => {
			await Promise.all(edges.map((edge) => edge.close()));
			if (!cpStopped) {
				cpStopped = true;
				await cp.stop();
			}
		},
	};
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

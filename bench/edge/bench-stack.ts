/**
 * The system under test of the edge benchmark: a control plane in this
 * process and edge resolvers, each a separate `workerd serve` process
 * running the self-hosting config from deploy/docker/edge with a bench
 * port and storage path.
 *
 * @module
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createCsr, generateAgentKeyPair } from "@ans/shared/keys";
import {
	startTestControlPlane,
	type TestControlPlane,
} from "../../control-plane/src/testing/test-control-plane.ts";
import { bundleEdgeWorker } from "../../edge-resolver/scripts/build-worker.ts";
import { minimalAgentCard } from "../../edge-resolver/src/testing/edge-test-stack.ts";
import {
	freePort,
	makeTempDir,
	readTemplate,
	removeDir,
	replaceOnce,
	sleep,
	startWorkerd,
	type WorkerdProcess,
} from "./workerd-process.ts";

/** The self-hosting config template of one edge. */
const EDGE_TEMPLATE = fileURLToPath(
	new URL("../../deploy/docker/edge/edge.capnp", import.meta.url),
);

/** Bootstrap polls per edge, 50 ms apart. */
const BOOTSTRAP_POLLS = 200;

/** A registered agent. */
export interface BenchAgent {
	id: string;
	/** Canonical full name with version. */
	name: string;
	/** Version-less name. */
	baseName: string;
}

/** A started stack. */
export interface BenchStack {
	controlPlane: TestControlPlane;
	edges: WorkerdProcess[];
	/** Directory of the edges' configs, bundles and replicas. */
	workDir: string;
	/** Registers `label` at version 1.0.0. */
	register(label: string): Promise<BenchAgent>;
	/** Sends an admin request to the control plane and returns the parsed 2xx body. */
	admin(method: string, path: string, body?: unknown): Promise<unknown>;
	/** Waits until every edge acknowledged the control plane's head sequence. */
	waitForPushes(): Promise<void>;
	/** Stops the edges and the control plane and deletes their files. */
	stop(): Promise<void>;
}

/**
 * Starts a control plane and `edgeCount` edges with their default settings
 * (60 s TTL, catch-up alarm every 30 s), so between alarms only pushes
 * bring changes, and waits until every replica reached the feed head.
 */
export async function startBenchStack(
	edgeCount: number,
	options: {
		/** Further `workerd serve` arguments of edge number `index` (from 1). */
		edgeArgs?: (index: number) => string[];
		/** Edge worker bundle; bundled from edge-resolver/src when undefined. */
		workerSource?: string;
	} = {},
): Promise<BenchStack> {
	const controlPlane = await startTestControlPlane();
	const workDir = await makeTempDir("ans-bench-edge-");
	const edges: WorkerdProcess[] = [];
	const stop = async () => {
		await Promise.all(edges.map((edge) => edge.stop()));
		await controlPlane.stop();
		await removeDir(workDir);
	};

	try {
		const [template, workerSource] = await Promise.all([
			readTemplate(EDGE_TEMPLATE),
			options.workerSource ?? bundleEdgeWorker(),
		]);
		const pushJwks = JSON.stringify(
			controlPlane.controlPlane.services.pushKeys.jwks(),
		);
		for (let index = 1; index <= edgeCount; index += 1) {
			const id = `edge-${index}`;
			const dir = join(workDir, id);
			const replicas = join(dir, "replicas");
			// workerd requires the storage directory to exist.
			await mkdir(replicas, { recursive: true });
			const port = await freePort();
			let config = replaceOnce(template, '"*:8787"', `"127.0.0.1:${port}"`);
			config = replaceOnce(
				config,
				'"/var/lib/ans-edge/replicas"',
				JSON.stringify(replicas),
			);
			edges.push(
				await startWorkerd({
					label: id,
					config,
					workerSource,
					env: {
						ANS_ORIGIN_URL: controlPlane.url,
						ANS_EDGE_ID: id,
						ANS_PUSH_JWKS: pushJwks,
					},
					port,
					readyPath: "/health",
					dir,
					extraArgs: options.edgeArgs?.(index) ?? [],
				}),
			);
		}
		await controlPlane.controlPlane.services.edgeSync.setEdges(
			edges.map((edge) => ({ id: edge.label, url: edge.url })),
		);
		await Promise.all(edges.map(waitForBootstrap));
	} catch (error) {
		await stop();
		throw error;
	}

	const admin = async (
		method: string,
		path: string,
		body?: unknown,
	): Promise<unknown> => {
		const response = await fetch(`${controlPlane.url}${path}`, {
			method,
			headers: {
				authorization: `Bearer ${controlPlane.adminToken}`,
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

	const services = controlPlane.controlPlane.services;
	return {
		controlPlane,
		edges,
		workDir,
		admin,
		stop,
		register: async (label) => {
			const baseName = `a2a://${label}.edgeBench.Example`;
			const keys = await generateAgentKeyPair("P-256");
			const requested = `${baseName}.v1.0.0`;
			const body = (await admin("POST", "/v1/agents", {
				name: requested,
				endpoints: [
					{ protocol: "a2a", url: `https://agents.example.com/${label}` },
				],
				metadata: minimalAgentCard(label, "1.0.0"),
				csr: await createCsr({
					keys,
					canonicalName: requested,
					agentId: label,
				}),
			})) as { id: string; name: string };
			return { id: body.id, name: body.name, baseName };
		},
		waitForPushes: async () => {
			// Bounded: 400 polls of 25 ms.
			for (let poll = 0; poll < 400; poll += 1) {
				const head = await services.store.headSeq();
				const status = services.edgeSync.status();
				if (status.every((edge) => edge.acknowledgedSeq >= head)) {
					return;
				}
				await sleep(25);
			}
			throw new Error(
				`edges did not acknowledge the head within 10 s: ${JSON.stringify(services.edgeSync.status())}`,
			);
		},
	};
}

async function waitForBootstrap(edge: WorkerdProcess): Promise<void> {
	for (let poll = 0; poll < BOOTSTRAP_POLLS; poll += 1) {
		const response = await fetch(`${edge.url}/health`);
		const body = (await response.json()) as {
			replica: { bootstrapped: boolean };
		};
		if (body.replica.bootstrapped) {
			return;
		}
		await sleep(50);
	}
	throw new Error(
		`${edge.label} did not reach the feed head within ${BOOTSTRAP_POLLS / 20} s; its output:\n${edge.output.join("")}`,
	);
}

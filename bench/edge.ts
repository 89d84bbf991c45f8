/**
 * Edge benchmark, run with `npm run bench:edge`: cache-hit throughput next
 * to a hello-world worker, miss-path latency and propagation latency, all
 * against real `workerd serve` processes and a control plane on 127.0.0.1.
 * Prints Markdown tables for docs/benchmarks.md.
 *
 * Options (after `--`): --duration SECONDS (per wrk run, default 10),
 * --warmup SECONDS (15), --repetitions N (5), --connections N (16),
 * --miss-requests N (300 per kind), --trials N (300),
 * --poll-interval-ms MS (5), --only throughput,miss,propagation (all),
 * --json PATH (also write the raw results there), --edge-bundle PATH (run
 * this edge worker bundle instead of bundling edge-resolver/src, to
 * compare two builds).
 *
 * @module
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type BenchStack, startBenchStack } from "./edge/bench-stack.ts";
import { describeMachine, loadAverage } from "./edge/machine.ts";
import { measureMissPaths } from "./edge/miss-path.ts";
import { measurePropagation } from "./edge/propagation.ts";
import { formatReport, type LoadBySection } from "./edge/report.ts";
import { measureHitThroughput } from "./edge/throughput.ts";
import {
	freePort,
	readTemplate,
	replaceOnce,
	startWorkerd,
	type WorkerdProcess,
} from "./edge/workerd-process.ts";
import { wrkVersion } from "./edge/wrk.ts";
import {
	bundleHelloWorld,
	HELLO_WORLD_CONFIG,
	HELLO_WORLD_TEMPLATE_ADDRESS,
} from "./hello-world/bundle.ts";

const SECTIONS = ["throughput", "miss", "propagation"] as const;

/** Edges the propagation benchmark waits for. */
const EDGE_COUNT = 3;

const { values } = parseArgs({
	options: {
		duration: { type: "string", default: "10" },
		warmup: { type: "string", default: "15" },
		repetitions: { type: "string", default: "5" },
		connections: { type: "string", default: "16" },
		"miss-requests": { type: "string", default: "300" },
		trials: { type: "string", default: "300" },
		"poll-interval-ms": { type: "string", default: "5" },
		only: { type: "string", default: SECTIONS.join(",") },
		json: { type: "string" },
		"edge-bundle": { type: "string" },
	},
});

const settings = {
	durationSeconds: positiveInteger("duration", values.duration),
	warmupSeconds: positiveInteger("warmup", values.warmup),
	repetitions: positiveInteger("repetitions", values.repetitions),
	connections: positiveInteger("connections", values.connections),
	missRequests: positiveInteger("miss-requests", values["miss-requests"]),
	trials: positiveInteger("trials", values.trials),
	pollIntervalMs: positiveInteger(
		"poll-interval-ms",
		values["poll-interval-ms"],
	),
};
const only = new Set(values.only.split(",").map((part) => part.trim()));
for (const section of only) {
	if (!(SECTIONS as readonly string[]).includes(section)) {
		throw new Error(
			`--only ${JSON.stringify(values.only)} names the unknown section ${JSON.stringify(section)}; use a comma-separated list of ${SECTIONS.join(", ")}`,
		);
	}
}

const machine = await describeMachine();
const generator = await wrkVersion();
const load: LoadBySection = {};
let stack: BenchStack | undefined;
let baseline: WorkerdProcess | undefined;

async function stopAll(): Promise<void> {
	await baseline?.stop();
	baseline = undefined;
	await stack?.stop();
	stack = undefined;
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
	process.once(signal, () => {
		stopAll().finally(() => process.exit(130));
	});
}

/** Runs `measure` and records the load average around it under `section`. */
async function section<T>(name: string, measure: () => Promise<T>): Promise<T> {
	const before = loadAverage();
	console.error(`running ${name} (load average ${before})`);
	const result = await measure();
	load[name] = { before, after: loadAverage() };
	return result;
}

try {
	const bundlePath = values["edge-bundle"];
	stack = await startBenchStack(
		EDGE_COUNT,
		bundlePath === undefined
			? {}
			: { workerSource: await readFile(bundlePath, "utf8") },
	);
	const [edge1, edge2] = stack.edges as [WorkerdProcess, WorkerdProcess];
	const resolved = await stack.register("resolved");
	await stack.waitForPushes();
	const hitUrl = `${edge1.url}/v1/resolve?${new URLSearchParams({ name: resolved.name })}`;
	const edgeBody = await checkedBody(hitUrl, 200);
	const cached = await fetch(hitUrl);
	await cached.arrayBuffer();
	if (cached.headers.get("x-ans-cache-layer") !== "isolate") {
		throw new Error(
			`the second request to ${hitUrl} came from layer ${cached.headers.get("x-ans-cache-layer")}, not the isolate cache`,
		);
	}
	const edgeBodyBytes = Buffer.byteLength(edgeBody);

	const scratchDir = join(stack.workDir, "baseline");
	await mkdir(scratchDir);
	const port = await freePort();
	baseline = await startWorkerd({
		label: "hello-world",
		config: replaceOnce(
			await readTemplate(HELLO_WORLD_CONFIG),
			HELLO_WORLD_TEMPLATE_ADDRESS,
			`"127.0.0.1:${port}"`,
		),
		workerSource: await bundleHelloWorld(),
		env: { HELLO_BODY_BYTES: String(edgeBodyBytes) },
		port,
		readyPath: "/",
		dir: scratchDir,
	});
	const baselineUrl = `${baseline.url}/`;
	const baselineBodyBytes = Buffer.byteLength(
		await checkedBody(baselineUrl, 200),
	);

	const throughput = only.has("throughput")
		? await section("throughput", () =>
				measureHitThroughput({
					edgeUrl: hitUrl,
					edgePid: edge1.pid,
					baselineUrl,
					baselinePid: (baseline as WorkerdProcess).pid,
					connections: settings.connections,
					durationSeconds: settings.durationSeconds,
					warmupSeconds: settings.warmupSeconds,
					repetitions: settings.repetitions,
					scratchDir,
				}),
			)
		: undefined;

	const missPaths = only.has("miss")
		? await section("miss", () =>
				measureMissPaths({
					edgeUrl: edge2.url,
					registeredBaseName: resolved.baseName,
					requests: settings.missRequests,
					warmupRequests: 20,
				}),
			)
		: undefined;

	let propagation: Awaited<ReturnType<typeof measurePropagation>> | undefined;
	if (only.has("propagation")) {
		const running = stack;
		const agent = await running.register("propagated");
		await running.waitForPushes();
		propagation = await section("propagation", () =>
			measurePropagation({
				edgeUrls: running.edges.map((edge) => edge.url),
				agent,
				admin: running.admin,
				trials: settings.trials,
				pollIntervalMs: settings.pollIntervalMs,
				pushStatus: () =>
					running.controlPlane.controlPlane.services.edgeSync.status(),
			}),
		);
	}

	const runSettings = {
		...settings,
		edgeBodyBytes,
		baselineBodyBytes,
		generator,
	};
	const results = {
		machine,
		settings: runSettings,
		load,
		...(throughput === undefined ? {} : { throughput }),
		...(missPaths === undefined ? {} : { missPaths }),
		...(propagation === undefined ? {} : { propagation }),
	};
	console.log(formatReport(results));
	if (values.json !== undefined) {
		await writeFile(values.json, `${JSON.stringify(results, null, "\t")}\n`);
	}
} finally {
	await stopAll();
}

/**
 * Fetches `url` and returns its body.
 *
 * @throws Error when the status is not `status`.
 */
async function checkedBody(url: string, status: number): Promise<string> {
	const response = await fetch(url);
	const body = await response.text();
	if (response.status !== status) {
		throw new Error(
			`${url} returned ${response.status}, expected ${status}: ${body}`,
		);
	}
	return body;
}

function positiveInteger(option: string, value: string): number {
	const number = Number(value);
	if (!Number.isInteger(number) || number < 1) {
		throw new Error(
			`--${option} ${JSON.stringify(value)} must be a positive integer`,
		);
	}
	return number;
}

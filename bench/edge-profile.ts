/**
 * Profiles the CPU time of the edge's cache-hit path. The script starts
 * one edge in workerd with the V8 inspector on a free loopback port and
 * records a sampling profile while wrk sends cache hits. It prints the
 * functions with the most self time and inclusive time. Run with
 * `npx tsx bench/edge-profile.ts [--duration SECONDS] [--connections N]`.
 *
 * @module
 */
import { parseArgs } from "node:util";
import WebSocket from "ws";
import { startBenchStack } from "./edge/bench-stack.ts";
import { freePort, sleep } from "./edge/workerd-process.ts";
import { runWrk } from "./edge/wrk.ts";

/** Sampling interval of the V8 profiler, µs. */
const SAMPLING_INTERVAL_US = 100;

/** Rows printed per table. */
const TOP = 25;

interface ProfileNode {
	id: number;
	callFrame: {
		functionName: string;
		url: string;
		lineNumber: number;
	};
	children?: number[];
}

interface Profile {
	nodes: ProfileNode[];
	startTime: number;
	endTime: number;
	samples: number[];
	timeDeltas: number[];
}

const { values } = parseArgs({
	options: {
		duration: { type: "string", default: "10" },
		connections: { type: "string", default: "16" },
	},
});

const inspectorPort = await freePort();
const stack = await startBenchStack(1, {
	edgeArgs: () => [`--inspector-addr=127.0.0.1:${inspectorPort}`],
});
try {
	const [edge] = stack.edges;
	if (edge === undefined) {
		throw new Error("the bench stack started no edge");
	}
	const agent = await stack.register("profiled");
	await stack.waitForPushes();
	const url = `${edge.url}/v1/resolve?${new URLSearchParams({ name: agent.name })}`;
	for (let request = 0; request < 2; request += 1) {
		await (await fetch(url)).arrayBuffer();
	}

	const targets = (await (
		await fetch(`http://127.0.0.1:${inspectorPort}/json/list`)
	).json()) as { title: string; webSocketDebuggerUrl: string }[];
	const [target] = targets;
	if (target === undefined) {
		throw new Error("the workerd inspector lists no target");
	}
	console.error(
		`profiling ${target.title} of ${targets.length} inspector targets`,
	);
	const inspector = await connect(target.webSocketDebuggerUrl);
	await inspector.call("Profiler.enable");
	await inspector.call("Profiler.setSamplingInterval", {
		interval: SAMPLING_INTERVAL_US,
	});
	await inspector.call("Profiler.start");
	const load = await runWrk({
		url,
		connections: Number(values.connections),
		durationSeconds: Number(values.duration),
		scratchDir: stack.workDir,
	});
	const { profile } = (await inspector.call("Profiler.stop")) as {
		profile: Profile;
	};
	inspector.close();
	console.log(
		`${load.requestsPerSecond.toFixed(0)} requests/s under the profiler, ${load.non2xx} non-2xx`,
	);
	printProfile(profile);
} finally {
	await sleep(100);
	await stack.stop();
}

/** Opens an inspector session and returns a request/response wrapper. */
async function connect(address: string) {
	const socket = new WebSocket(address);
	await new Promise<void>((resolve, reject) => {
		socket.once("open", () => resolve());
		socket.once("error", reject);
	});
	let nextId = 1;
	const pending = new Map<
		number,
		{ resolve: (value: unknown) => void; reject: (error: Error) => void }
	>();
	socket.on("message", (data) => {
		const message = JSON.parse(data.toString()) as {
			id?: number;
			result?: unknown;
			error?: { message: string };
		};
		const waiter =
			message.id === undefined ? undefined : pending.get(message.id);
		if (waiter === undefined) {
			return;
		}
		pending.delete(message.id as number);
		if (message.error !== undefined) {
			waiter.reject(new Error(message.error.message));
		} else {
			waiter.resolve(message.result);
		}
	});
	return {
		call(method: string, params: unknown = {}): Promise<unknown> {
			const id = nextId;
			nextId += 1;
			return new Promise((resolve, reject) => {
				pending.set(id, { resolve, reject });
				socket.send(JSON.stringify({ id, method, params }));
			});
		},
		close: () => socket.close(),
	};
}

/** Prints the top functions by self time and by inclusive time, in % of all samples. */
function printProfile(profile: Profile): void {
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parents = new Map<number, ProfileNode>();
	for (const node of profile.nodes) {
		for (const child of node.children ?? []) {
			parents.set(child, node);
		}
	}
	const selfTime = new Map<number, number>();
	profile.samples.forEach((id, index) => {
		const delta = profile.timeDeltas[index] ?? 0;
		selfTime.set(id, (selfTime.get(id) ?? 0) + delta);
	});
	const total = [...selfTime.values()].reduce((sum, time) => sum + time, 0);

	const inclusive = new Map<number, number>();
	const inclusiveOf = (id: number): number => {
		const known = inclusive.get(id);
		if (known !== undefined) {
			return known;
		}
		const node = byId.get(id);
		const time =
			(selfTime.get(id) ?? 0) +
			(node?.children ?? []).reduce(
				(sum, child) => sum + inclusiveOf(child),
				0,
			);
		inclusive.set(id, time);
		return time;
	};

	const selfByFunction = new Map<string, number>();
	const inclusiveByFunction = new Map<string, number>();
	for (const node of profile.nodes) {
		const label = describe(node);
		selfByFunction.set(
			label,
			(selfByFunction.get(label) ?? 0) + (selfTime.get(node.id) ?? 0),
		);
		// A function that appears below itself is counted once, at its
		// outermost frame, so recursion does not inflate its share.
		if (!hasAncestorLabel(node, label)) {
			inclusiveByFunction.set(
				label,
				(inclusiveByFunction.get(label) ?? 0) + inclusiveOf(node.id),
			);
		}
	}

	for (const [title, table] of [
		["self time", selfByFunction],
		["inclusive time", inclusiveByFunction],
	] as const) {
		console.log(
			`\nTop ${TOP} by ${title}, % of ${profile.samples.length} samples`,
		);
		for (const [label, time] of [...table.entries()]
			.sort((a, b) => b[1] - a[1])
			.slice(0, TOP)) {
			console.log(`${((time / total) * 100).toFixed(1).padStart(6)}  ${label}`);
		}
	}

	function hasAncestorLabel(node: ProfileNode, label: string): boolean {
		let parent = parents.get(node.id);
		while (parent !== undefined) {
			if (describe(parent) === label) {
				return true;
			}
			parent = parents.get(parent.id);
		}
		return false;
	}
}

function describe(node: ProfileNode): string {
	const frame = node.callFrame;
	const name = frame.functionName === "" ? "(anonymous)" : frame.functionName;
	return frame.url === ""
		? name
		: `${name} ${frame.url}:${frame.lineNumber + 1}`;
}

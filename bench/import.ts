/**
 * Import throughput benchmark, run with `npm run bench:import`: imports the
 * MCP registry seed (358 entries, 350 valid) into a fresh control plane,
 * end to end through `POST /v1/agents`, at several concurrencies. Every
 * registration includes the client's key generation and CSR, and the
 * server's CSR check, certificate issuance, record signing and commit.
 * Prints a Markdown table for docs/benchmarks.md.
 *
 * Options (after `--`): --concurrency 1,4,8 (default), --repetitions N
 * (3), --key-type P-256 (default).
 *
 * @module
 */
import { parseArgs } from "node:util";
import type { AgentKeyType } from "@ans/shared/keys";
import { runImport } from "../cli/src/import/run-import.ts";
import {
	describeMachine,
	startBenchControlPlane,
} from "./import-control-plane.ts";

const seedFile = new URL(
	"../examples/data/mcp/seed-2025-09-29.json",
	import.meta.url,
).pathname;

const { values } = parseArgs({
	options: {
		concurrency: { type: "string", default: "1,4,8" },
		repetitions: { type: "string", default: "3" },
		"key-type": { type: "string", default: "P-256" },
	},
});
const concurrencies = values.concurrency.split(",").map(Number);
const repetitions = Number(values.repetitions);
if (
	concurrencies.some((value) => !Number.isInteger(value) || value < 1) ||
	!Number.isInteger(repetitions) ||
	repetitions < 1
) {
	throw new Error(
		"--concurrency must list positive integers such as 1,4,8 and --repetitions must be a positive integer",
	);
}

process.stderr.write(`${describeMachine()}\n`);
const rows: string[] = [];
for (const concurrency of concurrencies) {
	const rates: number[] = [];
	for (let repetition = 1; repetition <= repetitions; repetition++) {
		// A fresh control plane each time, so every entry is a new registration.
		const controlPlane = await startBenchControlPlane();
		try {
			const summary = await runImport({
				protocol: "mcp",
				files: [seedFile],
				controlPlaneUrl: controlPlane.url,
				token: controlPlane.token,
				concurrency,
				keyType: values["key-type"] as AgentKeyType,
				verifyThrough: [],
			});
			if (summary.imported !== 350 || summary.failed !== 0) {
				throw new Error(
					`expected 350 imported and 0 failed, got ${summary.imported} and ${summary.failed}`,
				);
			}
			rates.push(summary.imported / summary.seconds);
			process.stderr.write(
				`concurrency ${concurrency}, run ${repetition}: ${summary.imported} in ${summary.seconds} s\n`,
			);
		} finally {
			await controlPlane.stop();
		}
	}
	const sorted = [...rates].sort((a, b) => a - b);
	const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
	rows.push(
		`| ${concurrency} | ${repetitions} | ${median.toFixed(1)} | ${(sorted[0] ?? 0).toFixed(1)}–${(sorted.at(-1) ?? 0).toFixed(1)} |`,
	);
}

process.stdout.write(
	[
		"| Concurrency | Runs | Agents per second (median) | Range |",
		"| --- | --- | --- | --- |",
		...rows,
		"",
	].join("\n"),
);

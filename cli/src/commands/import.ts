import { AnsError } from "@ans/shared/errors";
import { AGENT_KEY_TYPES, type AgentKeyType } from "@ans/shared/keys";
import type { Command } from "commander";
import { ProgressLine } from "../import/progress.ts";
import { IMPORT_PROTOCOL_IDS } from "../import/protocols.ts";
import { runImport } from "../import/run-import.ts";
import { formatSummaryTable } from "../import/summary-table.ts";
import { requireToken, type ServerOptions, serverUrl } from "../options.ts";
import { exitFailure, printJson, reportError } from "../output.ts";

interface ImportCommandOptions extends ServerOptions {
	provider?: string;
	concurrency: string;
	keyType: string;
	keyDir?: string;
	verifyThrough: string[];
	trust?: string;
	format: string;
	progress: boolean;
}

/** Largest `--concurrency`; more only queues requests at a control plane that signs on one thread. */
const MAX_CONCURRENCY = 32;

/** `ans import PROTOCOL FILE…`: registers real protocol documents through the API. */
export function registerImportCommand(program: Command): void {
	program
		.command("import")
		.description(
			"Register agents from protocol documents (A2A agent cards, MCP server.json files or arrays of them) through the API, each with a fresh key and CSR; prints a summary with every skipped entry and its reason. See docs/import.md for the naming rules. Exit 1 if a registration or verification failed.",
		)
		.argument("<protocol>", `protocol: ${IMPORT_PROTOCOL_IDS.join(" or ")}`)
		.argument(
			"<files...>",
			"JSON files holding one document or an array of documents, or directories of *.json files",
		)
		.option(
			"--provider <label>",
			"provider for documents that name no publisher and whose endpoint host names no organization",
		)
		.option("--concurrency <n>", "registrations in flight at once", "4")
		.option(
			"--key-type <type>",
			`agent key type: ${AGENT_KEY_TYPES.join(", ")}`,
			"P-256",
		)
		.option(
			"--key-dir <dir>",
			"write each new agent's private key here (mode 0600); without it the keys are discarded, so the agents cannot be renewed or updated later",
		)
		.option(
			"--verify-through <url>",
			"after importing, resolve every imported name through this edge or control plane and verify it offline (repeat for several)",
			collect,
			[],
		)
		.option(
			"--trust <file>",
			"trust file from ans trust fetch for --verify-through (default: fetch the JWKS and root from --url)",
		)
		.option("--format <format>", "summary format: json or table", "json")
		.option("--no-progress", "do not draw the progress line on stderr")
		.option(
			"--url <url>",
			"control plane URL (default ANS_URL or http://127.0.0.1:8080)",
		)
		.option(
			"--token <token>",
			"bearer token with the register scope (default ANS_TOKEN)",
		)
		.action(
			async (
				protocol: string,
				files: string[],
				options: ImportCommandOptions,
			) => {
				try {
					await importCommand(protocol, files, options);
				} catch (error) {
					reportError(error);
				}
			},
		);
}

async function importCommand(
	protocol: string,
	files: string[],
	options: ImportCommandOptions,
): Promise<void> {
	if (options.format !== "json" && options.format !== "table") {
		throw invalidOption(
			"format",
			`--format must be json or table, but it is ${JSON.stringify(options.format)}`,
		);
	}
	const concurrency = Number(options.concurrency);
	if (
		!Number.isInteger(concurrency) ||
		concurrency < 1 ||
		concurrency > MAX_CONCURRENCY
	) {
		throw invalidOption(
			"concurrency",
			`--concurrency must be an integer from 1 to ${MAX_CONCURRENCY}, but it is ${JSON.stringify(options.concurrency)}`,
		);
	}
	if (!(AGENT_KEY_TYPES as readonly string[]).includes(options.keyType)) {
		throw invalidOption(
			"keyType",
			`--key-type must be one of ${AGENT_KEY_TYPES.join(", ")}`,
		);
	}
	const summary = await runImport({
		protocol,
		files,
		controlPlaneUrl: serverUrl(options),
		token: requireToken(options),
		fallbackProvider: options.provider,
		concurrency,
		keyType: options.keyType as AgentKeyType,
		keyDir: options.keyDir,
		verifyThrough: options.verifyThrough.map((url) => serverUrl({ url })),
		trustFile: options.trust,
		progress: new ProgressLine(process.stderr, options.progress),
	});
	if (options.format === "table") {
		process.stdout.write(formatSummaryTable(summary));
	} else {
		printJson(summary);
	}
	const verificationFailed = summary.verification.some(
		(entry) => entry.failed > 0,
	);
	if (summary.failed > 0 || verificationFailed) {
		process.exitCode = exitFailure;
	}
}

function invalidOption(field: string, message: string): AnsError {
	return new AnsError("OPTION_INVALID", message, { status: 400, field });
}

function collect(value: string, previous: string[]): string[] {
	return [...previous, value];
}

import { join } from "node:path";
import { AnsError } from "@ans/shared/errors";
import { parseName } from "@ans/shared/names";
import type { Command } from "commander";
import { readInput, readJson, writeOutput } from "../files.ts";
import { callJson } from "../http.ts";
import { requireToken, type ServerOptions, serverUrl } from "../options.ts";
import { printJson, reportError } from "../output.ts";

interface RegisterOptions extends ServerOptions {
	name: string;
	endpoint: string[];
	transport?: string;
	csr: string;
	metadata?: string;
	outDir?: string;
}

/** `ans register`: registers an agent version with a CSR. */
export function registerRegisterCommand(program: Command): void {
	program
		.command("register")
		.description(
			"Register an agent version; prints the id, certificate, chain and signed record",
		)
		.requiredOption(
			"--name <name>",
			"ANS name, e.g. a2a://textProcessor.DocumentTranslation.AcmeCorp.v2.1",
		)
		.option(
			"--endpoint <url>",
			"endpoint URL (repeat for several)",
			collect,
			[],
		)
		.option(
			"--transport <transport>",
			"transport of every --endpoint, e.g. JSONRPC or streamable-http",
		)
		.requiredOption(
			"--csr <file>",
			"PKCS#10 CSR in PEM (from ans keygen or openssl req)",
		)
		.option(
			"--metadata <file>",
			"protocol document as JSON (A2A agent card, MCP server.json, ACP manifest)",
		)
		.option(
			"--out-dir <dir>",
			"also write <agentId>.cert.pem, <agentId>.chain.pem and <agentId>.registration.json here",
		)
		.option(
			"--url <url>",
			"control plane URL (default ANS_URL or http://127.0.0.1:8080)",
		)
		.option(
			"--token <token>",
			"bearer token with the register scope (default ANS_TOKEN)",
		)
		.action(async (options: RegisterOptions) => {
			try {
				printJson(await register(options));
			} catch (error) {
				reportError(error);
			}
		});
}

async function register(options: RegisterOptions) {
	const name = parseName(options.name);
	const metadata =
		options.metadata === undefined
			? {}
			: readJson(options.metadata, "metadata");
	if (
		typeof metadata !== "object" ||
		metadata === null ||
		Array.isArray(metadata)
	) {
		throw new AnsError(
			"FIELD_INVALID",
			"--metadata must contain a JSON object",
			{ status: 400, field: "metadata" },
		);
	}
	const body: Record<string, unknown> = {
		name: options.name,
		endpoints: options.endpoint.map((url) => ({
			protocol: name.protocol,
			url,
			...(options.transport === undefined
				? {}
				: { transport: options.transport }),
		})),
		metadata,
		csr: readInput(options.csr, "csr"),
	};
	const { body: registration } = await callJson<
		Record<string, unknown> & { certificate: string; chain: string[] }
	>("POST", `${serverUrl(options)}/v1/agents`, {
		token: requireToken(options),
		body,
	});
	if (options.outDir !== undefined) {
		const stem = join(options.outDir, `${name.agentId}-${name.version}`);
		writeOutput(`${stem}.cert.pem`, registration.certificate);
		writeOutput(`${stem}.chain.pem`, registration.chain.join(""));
		writeOutput(
			`${stem}.registration.json`,
			`${JSON.stringify(registration, null, 2)}\n`,
		);
	}
	return registration;
}

function collect(value: string, previous: string[]): string[] {
	return [...previous, value];
}

import type { Command } from "commander";
import { writeOutput } from "../files.ts";
import { type ServerOptions, serverUrl } from "../options.ts";
import { printJson, reportError } from "../output.ts";
import { fetchTrust } from "../trust.ts";

/** `ans trust fetch`: saves the registry JWKS and root certificate for offline verification. */
export function registerTrustCommands(program: Command): void {
	const trust = program
		.command("trust")
		.description("Trust material for offline verification");
	trust
		.command("fetch")
		.description(
			"Download the registry JWKS and ANS root certificate into a trust file",
		)
		.requiredOption("--out <file>", "trust file to write, e.g. trust.json")
		.option(
			"--url <url>",
			"control plane URL (default ANS_URL or http://127.0.0.1:8080)",
		)
		.action(async (options: ServerOptions & { out: string }) => {
			try {
				const bundle = await fetchTrust(serverUrl(options));
				writeOutput(options.out, `${JSON.stringify(bundle, null, 2)}\n`);
				printJson({
					trustFile: options.out,
					source: bundle.source,
					keys: bundle.jwks.keys.length,
				});
			} catch (error) {
				reportError(error);
			}
		});
}

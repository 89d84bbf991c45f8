import type { Command } from "commander";
import { callJson } from "../http.ts";
import { requireToken, type ServerOptions, serverUrl } from "../options.ts";
import { printJson, reportError } from "../output.ts";

interface TokenOptions extends ServerOptions {
	scope: string[];
	label?: string;
	expiresInDays?: string;
}

/** `ans token create`: an API token, made with the admin token. */
export function registerTokenCommands(program: Command): void {
	const token = program.command("token").description("API tokens");
	token
		.command("create")
		.description(
			"Create a token (needs the admin token); the secret is printed once",
		)
		.option(
			"--scope <scope>",
			"scope to grant: register or admin (repeat for several)",
			collect,
			[],
		)
		.option("--label <label>", "free-text label to recognise the token by")
		.option("--expires-in-days <days>", "lifetime in days (default: no expiry)")
		.option(
			"--url <url>",
			"control plane URL (default ANS_URL or http://127.0.0.1:8080)",
		)
		.option("--token <token>", "admin token (default ANS_TOKEN)")
		.action(async (options: TokenOptions) => {
			try {
				const body: Record<string, unknown> = {
					scopes: options.scope.length === 0 ? ["register"] : options.scope,
				};
				if (options.label !== undefined) {
					body.label = options.label;
				}
				if (options.expiresInDays !== undefined) {
					body.expiresInDays = Number(options.expiresInDays);
				}
				const { body: created } = await callJson(
					"POST",
					`${serverUrl(options)}/v1/tokens`,
					{
						token: requireToken(options),
						body,
					},
				);
				printJson(created);
			} catch (error) {
				reportError(error);
			}
		});
}

function collect(value: string, previous: string[]): string[] {
	return [...previous, value];
}

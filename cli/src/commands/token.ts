import type { Command } from "commander";
import { callJson } from "../http.ts";
import { requireToken, type ServerOptions, serverUrl } from "../options.ts";
import { printJson, reportError } from "../output.ts";

interface TokenOptions extends ServerOptions {
	scope: string[];
	label?: string;
	expiresInDays?: string;
}

/** `ans token create|list|revoke`: API tokens, managed with the admin token. */
export function registerTokenCommands(program: Command): void {
	const token = program.command("token").description("API tokens");
	withServer(token.command("create"))
		.summary("Create a token; the secret is printed once")
		.description(
			"Create a token (needs the admin token); the secret is printed once. Without --expires-in-days the token never expires, so revoke it with ans token revoke when it is no longer needed",
		)
		.option(
			"--scope <scope>",
			"scope to grant: register or admin (repeat for several)",
			collect,
			[],
		)
		.option("--label <label>", "free-text label to recognise the token by")
		.option(
			"--expires-in-days <days>",
			"lifetime in days, 1 to 3650 (default: no expiry)",
		)
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

	withServer(token.command("list"))
		.description(
			"List tokens with their scopes, label and creation, expiry and revocation times, never their secrets (needs the admin token)",
		)
		.action(async (options: ServerOptions) => {
			try {
				const { body } = await callJson(
					"GET",
					`${serverUrl(options)}/v1/tokens`,
					{ token: requireToken(options) },
				);
				printJson(body);
			} catch (error) {
				reportError(error);
			}
		});

	withServer(token.command("revoke"))
		.description(
			"Revoke a token at once; revoking it again keeps the first revocation time (needs the admin token)",
		)
		.argument("<id>", "token id, such as tok_… from ans token list")
		.action(async (id: string, options: ServerOptions) => {
			try {
				const { body } = await callJson(
					"DELETE",
					`${serverUrl(options)}/v1/tokens/${encodeURIComponent(id)}`,
					{ token: requireToken(options) },
				);
				printJson(body);
			} catch (error) {
				reportError(error);
			}
		});
}

function withServer(command: Command): Command {
	return command
		.option(
			"--url <url>",
			"control plane URL (default ANS_URL or http://127.0.0.1:8080)",
		)
		.option("--token <token>", "admin token (default ANS_TOKEN)");
}

function collect(value: string, previous: string[]): string[] {
	return [...previous, value];
}

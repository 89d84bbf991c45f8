import type { Command } from "commander";
import { callJson } from "../http.ts";
import { requireToken, type ServerOptions, serverUrl } from "../options.ts";
import { printJson, reportError } from "../output.ts";

/** `ans admin …`: registry operations that need the admin token. */
export function registerAdminCommands(program: Command): void {
	const admin = program
		.command("admin")
		.description("Registry operations (need the admin token)");

	withServer(admin.command("rotate-signing-key"))
		.description(
			"Start a record-signing key rotation: the new key is published in the JWKS now, signs after --activate-after seconds, and every record is then re-signed with it",
		)
		.option(
			"--activate-after <seconds>",
			"seconds the new key is published before it signs (default: the server's ANS_SIGNING_KEY_PUBLISH_SECONDS)",
		)
		.action(async (options: ServerOptions & { activateAfter?: string }) => {
			const body =
				options.activateAfter === undefined
					? {}
					: { activateAfterSeconds: Number(options.activateAfter) };
			await post(options, "/v1/admin/signing-keys/rotate", body);
		});

	withServer(admin.command("signing-keys"))
		.description(
			"List record-signing keys with their status and lifecycle times",
		)
		.action(async (options: ServerOptions) => {
			try {
				const { body } = await callJson(
					"GET",
					`${serverUrl(options)}/v1/admin/signing-keys`,
					{ token: requireToken(options) },
				);
				printJson(body);
			} catch (error) {
				reportError(error);
			}
		});

	withServer(admin.command("rotate-intermediate"))
		.description(
			"Create a new intermediate CA; certificates from the old one stay verifiable until they expire",
		)
		.action(async (options: ServerOptions) => {
			await post(options, "/v1/admin/ca/rotate-intermediate", {});
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

async function post(
	options: ServerOptions,
	path: string,
	body: unknown,
): Promise<void> {
	try {
		const { body: reply } = await callJson(
			"POST",
			`${serverUrl(options)}${path}`,
			{ token: requireToken(options), body },
		);
		printJson(reply);
	} catch (error) {
		reportError(error);
	}
}

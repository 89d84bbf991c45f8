import { AnsError } from "@ans/shared/errors";
import { importPrivateKeyPem } from "@ans/shared/keys";
import {
	createPossessionProof,
	POSSESSION_SCHEME,
} from "@ans/shared/possession";
import type { Command } from "commander";
import { readInput, readJson } from "../files.ts";
import { callJson } from "../http.ts";
import { type ServerOptions, serverUrl } from "../options.ts";
import { printJson, reportError } from "../output.ts";

interface AgentCallOptions extends ServerOptions {
	key?: string;
}

/** `ans agent renew|revoke|deregister|update ID`. */
export function registerAgentCommands(program: Command): void {
	const agent = program
		.command("agent")
		.description(
			"Change a registered agent; authorise with --key (proof of possession of the agent's current key) or an admin --token",
		);

	withAuth(
		agent
			.command("renew")
			.argument("<id>", "agent id")
			.requiredOption("--csr <file>", "CSR for the new certificate"),
	)
		.description(
			"Issue a new certificate for the agent (the previous one is revoked as superseded)",
		)
		.action(
			run((id, options: AgentCallOptions & { csr: string }) =>
				callAgent(
					options,
					"POST",
					`/v1/agents/${encodeURIComponent(id)}/renew`,
					{ csr: readInput(options.csr, "csr") },
				),
			),
		);

	withAuth(agent.command("revoke").argument("<id>", "agent id"))
		.option(
			"--reason <reason>",
			"RFC 5280 reason: unspecified, keyCompromise, affiliationChanged, superseded, cessationOfOperation, privilegeWithdrawn",
			"unspecified",
		)
		.description(
			"Revoke the agent and its certificate; resolvers then return a signed tombstone (410)",
		)
		.action(
			run((id, options: AgentCallOptions & { reason: string }) =>
				callAgent(
					options,
					"POST",
					`/v1/agents/${encodeURIComponent(id)}/revoke`,
					{ reason: options.reason },
				),
			),
		);

	withAuth(agent.command("deregister").argument("<id>", "agent id"))
		.description(
			"Deregister the agent; its certificate is revoked as cessationOfOperation",
		)
		.action(
			run((id, options: AgentCallOptions) =>
				callAgent(
					options,
					"DELETE",
					`/v1/agents/${encodeURIComponent(id)}`,
					undefined,
				),
			),
		);

	withAuth(agent.command("update").argument("<id>", "agent id"))
		.option(
			"--endpoint <url>",
			"new endpoint URL (repeat for several; replaces all endpoints)",
			(value: string, previous: string[]) => [...previous, value],
			[],
		)
		.option("--protocol <protocol>", "protocol of every --endpoint", "a2a")
		.option("--transport <transport>", "transport of every --endpoint")
		.option("--metadata <file>", "new protocol document as JSON")
		.description(
			"Replace the agent's endpoints and/or metadata; publishes a new signed record",
		)
		.action(
			run(
				(
					id,
					options: AgentCallOptions & {
						endpoint: string[];
						protocol: string;
						transport?: string;
						metadata?: string;
					},
				) => {
					const body: Record<string, unknown> = {};
					if (options.endpoint.length > 0) {
						body.endpoints = options.endpoint.map((url) => ({
							protocol: options.protocol,
							url,
							...(options.transport === undefined
								? {}
								: { transport: options.transport }),
						}));
					}
					if (options.metadata !== undefined) {
						body.metadata = readJson(options.metadata, "metadata");
					}
					return callAgent(
						options,
						"PATCH",
						`/v1/agents/${encodeURIComponent(id)}`,
						body,
					);
				},
			),
		);
}

function withAuth(command: Command): Command {
	return command
		.option(
			"--key <file>",
			"agent private key (PKCS#8 PEM): sign a proof of possession instead of using a token",
		)
		.option(
			"--url <url>",
			"control plane URL (default ANS_URL or http://127.0.0.1:8080)",
		)
		.option(
			"--token <token>",
			"admin token (default ANS_TOKEN), used when --key is not given",
		);
}

function run<T>(action: (id: string, options: T) => Promise<unknown>) {
	return async (id: string, options: T) => {
		try {
			printJson(await action(id, options));
		} catch (error) {
			reportError(error);
		}
	};
}

/** Sends one authorised call; the proof signs the body exactly as callJson sends it. */
async function callAgent(
	options: AgentCallOptions,
	method: string,
	path: string,
	body: unknown,
): Promise<unknown> {
	const text = body === undefined ? undefined : JSON.stringify(body);
	const { body: reply } = await callJson(
		method,
		`${serverUrl(options)}${path}`,
		{
			authorization: await authorization(options, method, path, text),
			...(body === undefined ? {} : { body }),
		},
	);
	return reply;
}

async function authorization(
	options: AgentCallOptions,
	method: string,
	path: string,
	body: string | undefined,
): Promise<string> {
	if (options.key !== undefined) {
		const privateKey = await importPrivateKeyPem(readInput(options.key, "key"));
		return `${POSSESSION_SCHEME} ${await createPossessionProof({ privateKey, method, path, body })}`;
	}
	const token = options.token ?? process.env.ANS_TOKEN;
	if (token === undefined || token === "") {
		throw new AnsError(
			"AUTHORIZATION_MISSING",
			"give --key (the agent's private key) or an admin --token / ANS_TOKEN",
			{
				status: 400,
				field: "key",
			},
		);
	}
	return `Bearer ${token}`;
}

import { join } from "node:path";
import { AnsError } from "@ans/shared/errors";
import {
	AGENT_KEY_TYPES,
	type AgentKeyType,
	createCsr,
	exportPrivateKeyPem,
	generateAgentKeyPair,
} from "@ans/shared/keys";
import { formatName, parseName } from "@ans/shared/names";
import type { Command } from "commander";
import { writeOutput } from "../files.ts";
import { printJson, reportError } from "../output.ts";

/** `ans keygen NAME`: a new agent key pair and a CSR for the name. */
export function registerKeygenCommand(program: Command): void {
	program
		.command("keygen")
		.description(
			"Create an agent key pair and a CSR for NAME; the private key file gets mode 0600",
		)
		.argument("<name>", "the ANS name the certificate will carry")
		.option(
			"--key-type <type>",
			`key type: ${AGENT_KEY_TYPES.join(", ")}`,
			"P-256",
		)
		.option(
			"--out-dir <dir>",
			"directory for <agentId>.key.pem and <agentId>.csr.pem",
			".",
		)
		.action(
			async (input: string, options: { keyType: string; outDir: string }) => {
				try {
					printJson(await keygen(input, options));
				} catch (error) {
					reportError(error);
				}
			},
		);
}

async function keygen(
	input: string,
	options: { keyType: string; outDir: string },
) {
	const name = parseName(input);
	if (!(AGENT_KEY_TYPES as readonly string[]).includes(options.keyType)) {
		throw new AnsError(
			"KEY_TYPE_INVALID",
			`--key-type must be one of ${AGENT_KEY_TYPES.join(", ")}`,
			{
				status: 400,
				field: "keyType",
			},
		);
	}
	const canonicalName = formatName(name);
	const keys = await generateAgentKeyPair(options.keyType as AgentKeyType);
	const csr = await createCsr({ keys, canonicalName, agentId: name.agentId });
	const stem = `${name.agentId}-${name.version}`;
	const privateKeyPath = join(options.outDir, `${stem}.key.pem`);
	const csrPath = join(options.outDir, `${stem}.csr.pem`);
	writeOutput(privateKeyPath, await exportPrivateKeyPem(keys.privateKey), {
		secret: true,
	});
	writeOutput(csrPath, csr);
	return {
		name: canonicalName,
		keyType: options.keyType,
		privateKey: privateKeyPath,
		csr: csrPath,
	};
}

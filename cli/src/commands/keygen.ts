import { existsSync } from "node:fs";
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
			"directory for <agentId>-<version>.key.pem and .csr.pem",
			".",
		)
		.option(
			"--force",
			"replace an existing key file (it may be the only copy of a registered agent's key)",
		)
		.action(async (input: string, options: KeygenOptions) => {
			try {
				printJson(await keygen(input, options));
			} catch (error) {
				reportError(error);
			}
		});
}

interface KeygenOptions {
	keyType: string;
	outDir: string;
	force?: boolean;
}

async function keygen(input: string, options: KeygenOptions) {
	const name = parseName(input);
	if (!(AGENT_KEY_TYPES as readonly string[]).includes(options.keyType)) {
		throw new AnsError(
			"KEY_TYPE_INVALID",
			`--key-type must be one of ${AGENT_KEY_TYPES.join(", ")}`,
			{ status: 400, field: "keyType" },
		);
	}

	// Checked before generating, because an RSA key pair takes a while.
	const stem = `${name.agentId}-${name.version}`;
	const privateKeyPath = join(options.outDir, `${stem}.key.pem`);
	const csrPath = join(options.outDir, `${stem}.csr.pem`);
	if (existsSync(privateKeyPath) && options.force !== true) {
		throw new AnsError(
			"KEY_FILE_EXISTS",
			`${privateKeyPath} already exists and may be the only copy of a registered agent's key; pass --force to replace it or choose another --out-dir`,
			{ status: 400, field: "outDir" },
		);
	}

	const canonicalName = formatName(name);
	const keys = await generateAgentKeyPair(options.keyType as AgentKeyType);
	const csr = await createCsr({ keys, canonicalName, agentId: name.agentId });
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

import { formatBaseName, formatName, parseNameOrBase } from "@ans/shared/names";
import type { ExpectedName } from "@ans/shared/verification";
import type { Command } from "commander";
import { readJson } from "../files.ts";
import { printJson, reportError } from "../output.ts";
import { readTrust } from "../trust.ts";
import { asResolutionAnswer, verifyAnswer } from "../verify-answer.ts";

/** `ans verify FILE`: verifies a saved resolution answer offline. */
export function registerVerifyCommand(program: Command): void {
	program
		.command("verify")
		.description(
			"Verify a resolution answer: record signature against the JWKS, certificate chain to the ANS root, URI SAN equals the name, validity windows (all offline), and revocation by OCSP or CRL (exit 1 on failure)",
		)
		.argument(
			"[file]",
			"answer JSON with record, certificate and chain (from ans resolve --save); - or none for stdin",
			"-",
		)
		.requiredOption(
			"--trust <file>",
			"trust file from ans trust fetch; read only, never refreshed (ans resolve refreshes its JWKS)",
		)
		.option(
			"--name <name>",
			"name the answer must be for (full name, or version-less for a range answer)",
		)
		.option(
			"--no-revocation",
			"skip the revocation check, so nothing is fetched (by default the certificate's OCSP responder is asked, falling back to its CRL)",
		)
		.action(
			async (
				file: string,
				options: { trust: string; name?: string; revocation: boolean },
			) => {
				try {
					const answer = asResolutionAnswer(readJson(file, "answer"), file);
					printJson(
						await verifyAnswer(answer, readTrust(options.trust), {
							expectedName: expectedName(options.name),
							checkRevocation: options.revocation,
							trustFile: options.trust,
						}),
					);
				} catch (error) {
					reportError(error);
				}
			},
		);
}

function expectedName(input: string | undefined): ExpectedName | undefined {
	if (input === undefined) {
		return undefined;
	}
	const parsed = parseNameOrBase(input);
	return parsed.name === undefined
		? { base: formatBaseName(parsed.base) }
		: formatName(parsed.name);
}

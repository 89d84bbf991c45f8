import {
	formatBaseName,
	formatDisplayName,
	formatName,
	parseName,
} from "@ans/shared/names";
import type { Command } from "commander";
import { printJson, reportError } from "../output.ts";

/** `ans name parse NAME`: prints the parts of a name, or the reason it is invalid. */
export function registerNameCommands(program: Command): void {
	const name = program.command("name").description("Work with ANS names");
	name
		.command("parse")
		.description(
			"Parse and validate a name; prints its parts and canonical form as JSON (exit 2 if invalid)",
		)
		.argument(
			"<name>",
			"an ANS name such as a2a://textProcessor.DocumentTranslation.AcmeCorp.v2.1.hipaa",
		)
		.action((input: string) => {
			try {
				const parsed = parseName(input);
				printJson({
					...parsed,
					canonical: formatName(parsed),
					display: formatDisplayName(parsed),
					base: formatBaseName(parsed),
				});
			} catch (error) {
				reportError(error);
			}
		});
}

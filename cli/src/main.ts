/**
 * The `ans` command line: names, keys, registration, resolution and
 * offline verification against an ANS control plane or edge.
 *
 * @module
 */
import { Command } from "commander";
import { registerNameCommands } from "./commands/name.ts";

const program = new Command("ans")
	.description("Agent Name Service command line")
	.showHelpAfterError()
	.configureOutput({ outputError: (text, write) => write(text) });

registerNameCommands(program);

program.exitOverride((error) => {
	// Usage errors (unknown option, missing argument) exit with 2 like other invalid input.
	process.exit(error.exitCode === 0 ? 0 : 2);
});

await program.parseAsync(process.argv);

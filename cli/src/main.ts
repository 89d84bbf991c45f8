/**
 * The `ans` command line: names, keys, registration, resolution and
 * offline verification against an ANS control plane or edge.
 *
 * @module
 */
import { AnsError } from "@ans/shared/errors";
import { Command } from "commander";
import { registerAdminCommands } from "./commands/admin.ts";
import { registerAgentCommands } from "./commands/agent.ts";
import { registerImportCommand } from "./commands/import.ts";
import { registerKeygenCommand } from "./commands/keygen.ts";
import { registerNameCommands } from "./commands/name.ts";
import { registerRegisterCommand } from "./commands/register.ts";
import { registerResolveCommand } from "./commands/resolve.ts";
import { registerSearchCommand } from "./commands/search.ts";
import { registerTokenCommands } from "./commands/token.ts";
import { registerTrustCommands } from "./commands/trust.ts";
import { registerVerifyCommand } from "./commands/verify.ts";
import { exitInvalidInput, printJson } from "./output.ts";

// Commander copies these settings into each subcommand when it is created,
// so they are set before the commands are registered.
const program = new Command("ans")
	.description(
		"Agent Name Service command line. Results print as JSON; exit 2 means the input was rejected, 1 any other failure.",
	)
	.configureOutput({
		// Usage errors print as JSON on stdout like every other error; help text stays on stderr.
		outputError: (text) => printJson(usageError(text).toBody()),
	})
	.showHelpAfterError("(run the command with --help for its options)")
	.exitOverride((error) => {
		// Usage errors (unknown option, missing argument) exit with 2 like other invalid input.
		process.exit(error.exitCode === 0 ? 0 : exitInvalidInput);
	});

registerNameCommands(program);
registerKeygenCommand(program);
registerRegisterCommand(program);
registerImportCommand(program);
registerResolveCommand(program);
registerSearchCommand(program);
registerVerifyCommand(program);
registerTrustCommands(program);
registerTokenCommands(program);
registerAgentCommands(program);
registerAdminCommands(program);

await program.parseAsync(process.argv);

function usageError(text: string): AnsError {
	const message = text.replace(/^error:\s*/i, "").trim();
	return new AnsError("USAGE_INVALID", message, { status: 400 });
}

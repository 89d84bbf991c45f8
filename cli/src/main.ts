/**
 * The `ans` command line: names, keys, registration, resolution and
 * offline verification against an ANS control plane or edge.
 *
 * @module
 */
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

const program = new Command("ans")
	.description(
		"Agent Name Service command line. Results print as JSON; exit 2 means the input was rejected, 1 any other failure.",
	)
	.showHelpAfterError();

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

program.exitOverride((error) => {
	// Usage errors (unknown option, missing argument) exit with 2 like other invalid input.
	process.exit(error.exitCode === 0 ? 0 : 2);
});

await program.parseAsync(process.argv);

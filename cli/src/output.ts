/**
 * CLI output. Results are JSON on stdout, and so are failures, as
 * `{"error":{"code","message","field"}}`. The exit code is 2 when the input
 * was rejected (locally or by a 4xx reply) and 1 for every other failure,
 * such as failed verification, a server error or no network.
 *
 * @module
 */
import { AnsError, isAnsError } from "@ans/shared/errors";

/** Exit code for invalid input. */
export const exitInvalidInput = 2;
/** Exit code for a failed operation. */
export const exitFailure = 1;

/** Writes `value` as indented JSON and a newline to stdout. */
export function printJson(value: unknown): void {
	process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Prints an error body and sets the exit code that fits it. */
export function reportError(error: unknown): void {
	const ansError = isAnsError(error)
		? error
		: new AnsError(
				"CLI_FAILED",
				error instanceof Error ? error.message : String(error),
				{ status: 500 },
			);
	printJson(ansError.toBody());
	const rejected =
		ansError.status >= 400 &&
		ansError.status < 500 &&
		!isVerificationCode(ansError.code);
	process.exitCode = rejected ? exitInvalidInput : exitFailure;
}

/** Verification failures exit with 1: the input was fine, the answer was not. */
function isVerificationCode(code: string): boolean {
	return /^(RECORD_|CERT_|NAME_MISMATCH)/.test(code);
}

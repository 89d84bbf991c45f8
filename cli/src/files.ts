import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { AnsError } from "@ans/shared/errors";

/** Reads a text file or standard input (`-`); a missing file is invalid input. */
export function readInput(path: string, field: string): string {
	try {
		return readFileSync(path === "-" ? 0 : path, "utf8");
	} catch (error) {
		throw new AnsError(
			"FILE_UNREADABLE",
			`cannot read ${path}: ${(error as Error).message}`,
			{
				status: 400,
				field,
				cause: error,
			},
		);
	}
}

/** Reads and parses a JSON file or standard input (`-`). */
export function readJson(path: string, field: string): unknown {
	const text = readInput(path, field);
	try {
		return JSON.parse(text);
	} catch (error) {
		throw new AnsError(
			"FILE_INVALID_JSON",
			`${path} is not valid JSON: ${(error as Error).message}`,
			{
				status: 400,
				field,
				cause: error,
			},
		);
	}
}

/** Writes a file, creating its directory; `secret` files get mode 0600. */
export function writeOutput(
	path: string,
	content: string,
	options: { secret?: boolean } = {},
): void {
	mkdirSync(dirname(path), { recursive: true });
	writeFileSync(path, content, {
		mode: options.secret === true ? 0o600 : 0o644,
	});
}

/**
 * Reads the protocol document fixtures in `../fixtures` (see SOURCES.md
 * there). For tests only: it uses node:fs.
 *
 * @module
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const FIXTURES = fileURLToPath(new URL("../fixtures", import.meta.url));

/** Parses one fixture, such as `a2a/hello-world-agent.json`. */
export function readFixture(path: string): unknown {
	return JSON.parse(readFileSync(join(FIXTURES, path), "utf8"));
}

/** Lists the `.json` fixtures directly in a folder, such as `a2a/invalid`, as paths for {@link readFixture}. */
export function listFixtures(folder: string): string[] {
	return readdirSync(join(FIXTURES, folder), { withFileTypes: true })
		.filter((entry) => entry.isFile() && entry.name.endsWith(".json"))
		.map((entry) => `${folder}/${entry.name}`)
		.sort();
}

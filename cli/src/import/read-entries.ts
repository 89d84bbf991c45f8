import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { AnsError } from "@ans/shared/errors";
import { readJson } from "../files.ts";

/** One document to import and where it came from. */
export interface ImportEntry {
	/** File path, with `#<index>` for an element of a JSON array. */
	source: string;
	document: unknown;
}

/**
 * Reads the documents to import. A file holds one document or a JSON
 * array of documents (such as the MCP registry's seed file). A directory
 * stands for its `*.json` files in name order, without subdirectories and
 * without `*.schema.json` files, which describe documents rather than
 * being documents.
 *
 * @throws AnsError FILE_UNREADABLE or FILE_INVALID_JSON (400) for a path
 * that cannot be read or parsed, and FILE_EMPTY_DIRECTORY for a directory
 * without such files.
 */
export function readEntries(paths: string[]): ImportEntry[] {
	const entries: ImportEntry[] = [];
	for (const file of paths.flatMap(expandPath)) {
		const value = readJson(file, "files");
		if (Array.isArray(value)) {
			value.forEach((document, index) => {
				entries.push({ source: `${file}#${index}`, document });
			});
		} else {
			entries.push({ source: file, document: value });
		}
	}
	return entries;
}

function expandPath(path: string): string[] {
	if (!isDirectory(path)) {
		return [path];
	}
	const files = readdirSync(path)
		.filter((name) => name.endsWith(".json") && !name.endsWith(".schema.json"))
		.sort()
		.map((name) => join(path, name))
		.filter((file) => !isDirectory(file));
	if (files.length === 0) {
		throw new AnsError(
			"FILE_EMPTY_DIRECTORY",
			`directory ${path} contains no *.json file to import; pass the files or a directory that contains them`,
			{ status: 400, field: "files" },
		);
	}
	return files;
}

function isDirectory(path: string): boolean {
	try {
		return statSync(path).isDirectory();
	} catch {
		// A missing path is reported by readJson with the usual message.
		return false;
	}
}

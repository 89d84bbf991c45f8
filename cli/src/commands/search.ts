import type { Command } from "commander";
import { callJson } from "../http.ts";
import { type ServerOptions, serverUrl } from "../options.ts";
import { printJson, reportError } from "../output.ts";

/** Maximum number of pages that `--all` follows, so a walk always ends. */
const MAX_PAGES = 100;

interface SearchOptions extends ServerOptions {
	protocol?: string;
	capability?: string;
	provider?: string;
	range?: string;
	status?: string;
	limit?: string;
	cursor?: string;
	all?: boolean;
}

interface AgentPage {
	agents: unknown[];
	next: string | null;
}

/** `ans search [words...]`: finds registered agents through `GET /v1/agents`. */
export function registerSearchCommand(program: Command): void {
	program
		.command("search")
		.description(
			"Search registered agents; prints {agents, next} as JSON, where next is the cursor of the following page or null",
		)
		.argument(
			"[words...]",
			"full-text words; each must start a word of the agent's names, description or skills",
		)
		.option("--protocol <id>", "protocol id, such as a2a or mcp")
		.option(
			"--capability <capability>",
			"exact capability: the name's capability label or one the metadata lists",
		)
		.option("--provider <label>", "provider label of the name")
		.option("--range <range>", "npm semver range, e.g. ^2.0.0")
		.option(
			"--status <status>",
			"active (default), revoked, deregistered or expired",
		)
		.option("--limit <count>", "agents per page, 1 to 100 (default 20)")
		.option("--cursor <cursor>", "the next value of a previous page")
		.option(
			"--all",
			`follow next and print every page's agents together (at most ${MAX_PAGES} pages)`,
		)
		.option(
			"--url <url>",
			"control plane URL (default ANS_URL or http://127.0.0.1:8080)",
		)
		.action(async (words: string[], options: SearchOptions) => {
			try {
				printJson(await search(words, options));
			} catch (error) {
				reportError(error);
			}
		});
}

async function search(
	words: string[],
	options: SearchOptions,
): Promise<AgentPage> {
	const base = serverUrl(options);
	const query = new URLSearchParams();
	const q = words.join(" ").trim();
	if (q !== "") {
		query.set("q", q);
	}
	for (const key of [
		"protocol",
		"capability",
		"provider",
		"range",
		"status",
		"limit",
	] as const) {
		const value = options[key];
		if (value !== undefined) {
			query.set(key, value);
		}
	}

	const agents: unknown[] = [];
	let cursor = options.cursor;
	for (let pageNumber = 0; pageNumber < MAX_PAGES; pageNumber++) {
		if (cursor !== undefined) {
			query.set("cursor", cursor);
		}
		const { body: page } = await callJson<AgentPage>(
			"GET",
			`${base}/v1/agents?${query}`,
		);
		if (options.all !== true) {
			return page;
		}
		agents.push(...page.agents);
		if (page.next === null) {
			return { agents, next: null };
		}
		cursor = page.next;
	}
	// The page limit ran out: `next` lets the caller continue.
	return { agents, next: cursor ?? null };
}

/**
 * Synthesizes a large set of registrations from the real example data for
 * the discovery benchmark. Copy `k` of a document is the same document
 * republished by another publisher: an MCP server's namespace owner gets
 * the suffix `-k` (`io.github.kukapay` becomes `io.github.kukapay-3`), and
 * an A2A card's `provider.organization` does. Descriptions, skills,
 * packages and endpoints stay as published, so the text that search reads
 * is real.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { mapEntry } from "../cli/src/import/map-entry.ts";
import {
	type ImportProtocol,
	importProtocol,
} from "../cli/src/import/protocols.ts";
import { readEntries } from "../cli/src/import/read-entries.ts";

const examples = new URL("../examples/data/", import.meta.url).pathname;

/** Synthesized documents per protocol, ready to write as JSON arrays. */
export interface DiscoveryCorpus {
	mcp: Record<string, unknown>[];
	a2a: Record<string, unknown>[];
}

/**
 * Builds `total` documents that all import: the MCP seed entries and
 * A2A cards that map to a name (with `--provider a2a-samples`), without
 * duplicate names, repeated with a new publisher each round until `total`
 * is reached.
 */
export function synthesizeCorpus(total: number): DiscoveryCorpus {
	const mcpProtocol = importProtocol("mcp");
	const a2aProtocol = importProtocol("a2a");
	const servers = uniqueByName(
		mcpProtocol,
		JSON.parse(
			readFileSync(join(examples, "mcp/seed-2025-09-29.json"), "utf8"),
		) as Record<string, unknown>[],
	);
	const cards = uniqueByName(
		a2aProtocol,
		readEntries([join(examples, "a2a")]).map(
			(entry) => entry.document as Record<string, unknown>,
		),
	);

	const corpus: DiscoveryCorpus = { mcp: [], a2a: [] };
	for (let copy = 0; corpus.mcp.length + corpus.a2a.length < total; copy++) {
		for (const server of servers) {
			if (corpus.mcp.length + corpus.a2a.length >= total) {
				break;
			}
			corpus.mcp.push(copy === 0 ? server : republishServer(server, copy));
		}
		for (const card of cards) {
			if (corpus.mcp.length + corpus.a2a.length >= total) {
				break;
			}
			corpus.a2a.push(copy === 0 ? card : republishCard(card, copy));
		}
	}
	return corpus;
}

/** Keeps the documents that map to a name, the first of each canonical name. */
function uniqueByName(
	protocol: ImportProtocol,
	documents: Record<string, unknown>[],
): Record<string, unknown>[] {
	const seen = new Set<string>();
	return documents.filter((document) => {
		const mapped = mapEntry(protocol, document, {
			fallbackProvider: "a2a-samples",
		});
		if (!mapped.ok || seen.has(mapped.plan.canonicalName)) {
			return false;
		}
		seen.add(mapped.plan.canonicalName);
		return true;
	});
}

function republishServer(
	server: Record<string, unknown>,
	copy: number,
): Record<string, unknown> {
	const [namespace, serverName] = String(server.name).split("/");
	return { ...server, name: `${namespace}-${copy}/${serverName}` };
}

function republishCard(
	card: Record<string, unknown>,
	copy: number,
): Record<string, unknown> {
	const provider = card.provider as { organization?: string } | undefined;
	const organization = provider?.organization ?? "A2A Samples";
	return {
		...card,
		provider: { ...provider, organization: `${organization} ${copy}` },
	};
}

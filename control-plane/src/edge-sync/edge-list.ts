/**
 * The list of edges the control plane pushes changes to, parsed from
 * `ANS_EDGES`.
 *
 * @module
 */

/** One edge location: its id (the push audience) and base URL. */
export interface EdgeTarget {
	id: string;
	url: string;
}

const EDGE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * Parses a comma-separated list of `id=url` or bare `url` entries. A bare
 * URL gets its `host:port` (or host) as id, which the edge must then use
 * as its `ANS_EDGE_ID`.
 *
 * @example parseEdgeList("eu=http://127.0.0.1:8787,http://127.0.0.1:8788")
 * // [{ id: "eu", url: "http://127.0.0.1:8787" }, { id: "127.0.0.1:8788", url: "http://127.0.0.1:8788" }]
 *
 * @throws Error naming the invalid entry, or a duplicate id.
 */
export function parseEdgeList(value: string): EdgeTarget[] {
	const edges: EdgeTarget[] = [];
	for (const raw of value.split(",")) {
		const entry = raw.trim();
		if (entry === "") {
			continue;
		}
		const separator = entry.indexOf("=");
		const id = separator === -1 ? undefined : entry.slice(0, separator).trim();
		const url = parseEdgeUrl(
			separator === -1 ? entry : entry.slice(separator + 1).trim(),
			entry,
		);
		const edgeId = id ?? new URL(url).host;
		if (!EDGE_ID.test(edgeId)) {
			throw new Error(
				`edge id ${JSON.stringify(edgeId)} in ${JSON.stringify(entry)} is invalid; use 1 to 64 letters, digits, ".", "_", ":" or "-"`,
			);
		}
		if (edges.some((edge) => edge.id === edgeId)) {
			throw new Error(`edge id ${JSON.stringify(edgeId)} is listed twice`);
		}
		edges.push({ id: edgeId, url });
	}
	return edges;
}

function parseEdgeUrl(text: string, entry: string): string {
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		throw new Error(
			`${JSON.stringify(entry)} is not a URL or id=URL entry, e.g. edge-1=http://127.0.0.1:8787`,
		);
	}
	if (url.protocol !== "http:" && url.protocol !== "https:") {
		throw new Error(`edge URL ${JSON.stringify(text)} must use http or https`);
	}
	return text.replace(/\/+$/, "");
}

import type { RecordEndpoint } from "../../records/types.ts";
import { objectItems, textMember } from "../description.ts";
import { isJsonObject } from "../document-reader.ts";
import type { ExtractedEndpoint } from "../types.ts";

/** Transport values of the A2A specification, which are case-sensitive there. */
const TRANSPORTS = ["JSONRPC", "GRPC", "HTTP+JSON"];

/** Transport of `url` when a v0.3 card names no `preferredTransport`, per the v0.3 specification. */
const DEFAULT_TRANSPORT = "JSONRPC";

/**
 * Lists the interfaces of an agent card as `a2a` endpoints: `url` with
 * `preferredTransport`, each `additionalInterfaces` entry, and each
 * `supportedInterfaces` entry with its `protocolVersion` and a non-empty
 * `tenant`. Transports in another case, such as `jsonrpc`, are written in
 * the specification's case. An interface that repeats an earlier URL,
 * transport and protocol version is skipped.
 */
export function extractAgentCardEndpoints(
	metadata: unknown,
): ExtractedEndpoint[] {
	if (!isJsonObject(metadata)) {
		return [];
	}
	const extracted: ExtractedEndpoint[] = [];
	const seen = new Set<string>();
	const add = (
		pointer: string,
		url: string | undefined,
		transport: string | undefined,
		extra: Record<string, string | undefined> = {},
	) => {
		if (url === undefined) {
			return;
		}
		const endpoint: RecordEndpoint = {
			protocol: "a2a",
			url,
			transport: normalizeTransport(transport ?? DEFAULT_TRANSPORT),
		};
		for (const [key, value] of Object.entries(extra)) {
			if (value !== undefined) {
				endpoint[key] = value;
			}
		}
		const key = JSON.stringify([
			url,
			endpoint.transport,
			extra.protocolVersion,
		]);
		if (!seen.has(key)) {
			seen.add(key);
			extracted.push({ kind: "network", pointer, endpoint });
		}
	};

	add(
		"/url",
		textMember(metadata, "url"),
		textMember(metadata, "preferredTransport"),
	);
	for (const [entry, index] of objectItems(metadata, "additionalInterfaces")) {
		add(
			`/additionalInterfaces/${index}/url`,
			textMember(entry, "url"),
			textMember(entry, "transport"),
		);
	}
	for (const [entry, index] of objectItems(metadata, "supportedInterfaces")) {
		add(
			`/supportedInterfaces/${index}/url`,
			textMember(entry, "url"),
			textMember(entry, "protocolBinding") ?? textMember(entry, "transport"),
			{
				protocolVersion: textMember(entry, "protocolVersion"),
				tenant: textMember(entry, "tenant"),
			},
		);
	}
	return extracted;
}

function normalizeTransport(transport: string): string {
	const upper = transport.toUpperCase();
	return TRANSPORTS.includes(upper) ? upper : transport;
}

/**
 * An agent's published content: its endpoints and protocol document,
 * checked the same way at registration and at every update.
 *
 * @module
 */
import { AnsError } from "@ans/shared/errors";
import type { AnsName } from "@ans/shared/names";
import {
	type ExtractedEndpoint,
	readProtocolMetadata,
} from "@ans/shared/protocols";
import { metadataDigest, type RecordEndpoint } from "@ans/shared/records";
import {
	type AgentSearchFields,
	agentSearchFields,
} from "../discovery/search-fields.ts";
import { checkEndpointUrl } from "./endpoint-policy.ts";

/** One endpoint as a request gives it. */
export interface EndpointInput {
	protocol: string;
	url: string;
	transport?: string | undefined;
}

/** Checked content, in the form the agent row stores it. */
export interface AgentContent extends AgentSearchFields {
	/** The request's endpoints followed by the document's, without repeats. */
	endpoints: RecordEndpoint[];
	endpointsJson: string;
	metadataJson: string;
	metadataDigest: string;
}

/**
 * Checks endpoints and a protocol document for `name`: the document is
 * validated by the adapter of the name's protocol, every network URL from
 * either source passes the endpoint address policy, and at least one
 * endpoint must result.
 */
export async function checkAgentContent(input: {
	name: AnsName;
	displayName: string;
	endpoints: EndpointInput[];
	metadata: Record<string, unknown>;
	allowLoopback: boolean;
}): Promise<AgentContent> {
	checkDepth(input.metadata);
	// An empty object, the CLI's default, means no document, as absence does.
	const hasDocument = Object.keys(input.metadata).length > 0;
	const protocolMetadata = readProtocolMetadata(
		input.name.protocol,
		hasDocument ? input.metadata : undefined,
	);
	const endpoints = mergeEndpoints(
		checkEndpoints(input.endpoints, input.allowLoopback),
		checkMetadataEndpoints(protocolMetadata.endpoints, input.allowLoopback),
	);
	if (endpoints.length === 0) {
		const reason = hasDocument
			? `the ${protocolMetadata.adapter.documentName} in metadata names no endpoint`
			: "no metadata was given";
		throw new AnsError(
			"FIELD_REQUIRED",
			`endpoints is required because ${reason}; list at least one endpoint.`,
			{
				status: 400,
				field: "endpoints",
			},
		);
	}
	return {
		endpoints,
		endpointsJson: JSON.stringify(endpoints),
		metadataJson: JSON.stringify(input.metadata),
		metadataDigest: await metadataDigest(input.metadata),
		...agentSearchFields(
			input.name,
			input.displayName,
			protocolMetadata.description,
		),
	};
}

/**
 * Endpoints of a stored agent that came from its request rather than its
 * document: the stored list minus what the document yields. An update that
 * changes only the document keeps these. A request endpoint with the same
 * protocol and URL as one in the document is indistinguishable from it, so
 * it follows the document.
 */
export function requestEndpoints(
	protocol: string,
	stored: RecordEndpoint[],
	metadata: Record<string, unknown>,
	allowLoopback: boolean,
): EndpointInput[] {
	if (Object.keys(metadata).length === 0) {
		return stored;
	}
	const fromDocument = new Set(
		checkMetadataEndpoints(
			readProtocolMetadata(protocol, metadata).endpoints,
			allowLoopback,
		).map(endpointKey),
	);
	return stored.filter((endpoint) => !fromDocument.has(endpointKey(endpoint)));
}

/** Applies the endpoint address policy to each endpoint and normalises it. */
export function checkEndpoints(
	endpoints: EndpointInput[],
	allowLoopback: boolean,
): RecordEndpoint[] {
	return endpoints.map((endpoint, index) => {
		const url = checkEndpointUrl(endpoint.url, `endpoints[${index}].url`, {
			allowLoopback,
		});
		const checked: RecordEndpoint = {
			protocol: endpoint.protocol.toLowerCase(),
			url: url.href,
		};
		if (endpoint.transport !== undefined) {
			checked.transport = endpoint.transport;
		}
		return checked;
	});
}

/**
 * Applies the endpoint address policy to the network endpoints read from
 * the metadata, naming the metadata member in errors (such as
 * `metadata/supportedInterfaces/0/url`). Package locators are not network
 * addresses, so they pass unchanged.
 */
function checkMetadataEndpoints(
	extracted: ExtractedEndpoint[],
	allowLoopback: boolean,
): RecordEndpoint[] {
	return extracted.map(({ kind, pointer, endpoint }) => {
		if (kind === "package") {
			return endpoint;
		}
		const url = checkEndpointUrl(endpoint.url, `metadata${pointer}`, {
			allowLoopback,
		});
		return { ...endpoint, url: url.href };
	});
}

/**
 * Joins the request's endpoints and the metadata's. An endpoint with the
 * protocol and URL of an earlier one is folded into it: the earlier one's
 * fields win, and the later one fills those it lacks, such as a transport.
 */
function mergeEndpoints(
	fromRequest: RecordEndpoint[],
	fromMetadata: RecordEndpoint[],
): RecordEndpoint[] {
	const merged = new Map<string, RecordEndpoint>();
	for (const endpoint of [...fromRequest, ...fromMetadata]) {
		const key = endpointKey(endpoint);
		const earlier = merged.get(key);
		merged.set(
			key,
			earlier === undefined ? endpoint : { ...endpoint, ...earlier },
		);
	}
	return [...merged.values()];
}

/** Identity of an endpoint for merging: its protocol and URL. */
function endpointKey(endpoint: { protocol: string; url: string }): string {
	return JSON.stringify([endpoint.protocol.toLowerCase(), endpoint.url]);
}

/**
 * Deepest nesting of arrays and objects accepted in a protocol document.
 * Real agent cards and server.json files nest less than ten levels; the
 * bound keeps recursive JSON handling away from the stack limit.
 */
export const MAX_METADATA_DEPTH = 32;

function checkDepth(metadata: unknown): void {
	// Iterative, so the check itself cannot overflow the stack.
	const pending: { value: unknown; depth: number }[] = [
		{ value: metadata, depth: 1 },
	];
	for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
		if (next.value === null || typeof next.value !== "object") {
			continue;
		}
		if (next.depth > MAX_METADATA_DEPTH) {
			throw new AnsError(
				"METADATA_TOO_DEEP",
				`metadata nests arrays and objects more than ${MAX_METADATA_DEPTH} levels deep; flatten the document`,
				{ status: 400, field: "metadata" },
			);
		}
		for (const child of Object.values(next.value)) {
			pending.push({ value: child, depth: next.depth + 1 });
		}
	}
}

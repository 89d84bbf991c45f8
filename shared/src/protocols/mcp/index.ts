/**
 * The `mcp` protocol: MCP server descriptions (`server.json` of the MCP
 * registry).
 *
 * @module
 */

import {
	assignDefined,
	joinSearchText,
	objectItems,
	objectMember,
	reverseDnsOwner,
	textMember,
} from "../description.ts";
import { isJsonObject } from "../document-reader.ts";
import type {
	AgentDescription,
	ExtractedEndpoint,
	ProtocolAdapter,
} from "../types.ts";
import { mcpPackageEndpoint } from "./package-locator.ts";
import { validateServerJson } from "./validate.ts";

export { PACKAGE_REGISTRY_TYPES } from "./package-locator.ts";

/**
 * Lists `remotes` as network endpoints (transport `streamable-http` or
 * `sse`), then `packages` as package locators whose transport is the
 * package's (usually `stdio`).
 *
 * NOTE: a remote URL may be a template such as
 * `https://{tenant}.example.com/mcp`, which clients fill from the remote's
 * `variables`. It is listed as written, but registration normalizes URLs,
 * which percent-encodes braces in the path (`%7Btenant%7D`), though not in
 * the host, so a client must read the template from the document.
 */
function extractServerEndpoints(metadata: unknown): ExtractedEndpoint[] {
	const server = isJsonObject(metadata) ? metadata : {};
	const extracted: ExtractedEndpoint[] = [];
	for (const [remote, index] of objectItems(server, "remotes")) {
		const url = textMember(remote, "url");
		const type = textMember(remote, "type");
		if (url !== undefined && type !== undefined) {
			extracted.push({
				kind: "network",
				pointer: `/remotes/${index}/url`,
				endpoint: { protocol: "mcp", url, transport: type },
			});
		}
	}
	for (const [entry, index] of objectItems(server, "packages")) {
		const endpoint = mcpPackageEndpoint(entry);
		if (endpoint !== undefined) {
			extracted.push({
				kind: "package",
				pointer: `/packages/${index}`,
				endpoint,
			});
		}
	}
	return extracted;
}

/**
 * Describes an MCP server. server.json lists no tools, so `capabilities`
 * is empty. The provider is the owner label of the reverse-DNS namespace
 * before the `/` of `name`.
 */
function describeServer(metadata: unknown): AgentDescription {
	const server = isJsonObject(metadata) ? metadata : {};
	const name = textMember(server, "name");
	const [namespace, serverName] = name?.split("/") ?? [];
	const title = textMember(server, "title");
	const description: AgentDescription = {
		capabilities: [],
		searchText: joinSearchText([
			title,
			// MCPB identifiers are download URLs, which are no use as search words.
			...objectItems(server, "packages")
				.filter(([entry]) => entry.registryType !== "mcpb")
				.map(([entry]) => entry.identifier),
		]),
	};
	assignDefined(description, {
		identifier: name,
		displayName: title ?? serverName,
		description: textMember(server, "description"),
		version: textMember(server, "version"),
		provider: namespace === undefined ? undefined : reverseDnsOwner(namespace),
		providerUrl:
			textMember(server, "websiteUrl") ??
			textMember(objectMember(server, "repository"), "url"),
	});
	return description;
}

/** Adapter for MCP server.json documents. */
export const mcpAdapter: ProtocolAdapter = {
	id: "mcp",
	documentName: "MCP server.json",
	validate: validateServerJson,
	extractEndpoints: extractServerEndpoints,
	describe: describeServer,
};

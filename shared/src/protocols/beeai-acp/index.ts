/**
 * The `beeai-acp` protocol: `AgentManifest`s of the Agent Communication
 * Protocol from the BeeAI project (i-am-bee/acp). Its id differs from
 * `acp`, which is the AGNTCY Agent Connect Protocol, because both
 * protocols abbreviate to ACP.
 *
 * @module
 */

import {
	assignDefined,
	joinSearchText,
	objectItems,
	objectMember,
	textItems,
	textMember,
	uniqueTexts,
} from "../description.ts";
import { isJsonObject } from "../document-reader.ts";
import { ociPackageUrl, parseOciReference } from "../package-url.ts";
import type {
	AgentDescription,
	ExtractedEndpoint,
	ProtocolAdapter,
} from "../types.ts";
import { validateAgentManifest } from "./validate.ts";

/**
 * Lists the `container-image` links of a manifest as `oci` package
 * locators. An AgentManifest names no server URL, because an ACP server
 * serves its manifests itself, so network endpoints must be given at
 * registration.
 */
function extractManifestEndpoints(metadata: unknown): ExtractedEndpoint[] {
	const manifest = isJsonObject(metadata) ? metadata : {};
	const extracted: ExtractedEndpoint[] = [];
	for (const [link, index] of objectItems(
		objectMember(manifest, "metadata"),
		"links",
	)) {
		const image = textMember(link, "url");
		if (textMember(link, "type") !== "container-image" || image === undefined) {
			continue;
		}
		const reference = parseOciReference(image);
		if (reference !== undefined) {
			extracted.push({
				kind: "package",
				pointer: `/metadata/links/${index}`,
				endpoint: {
					protocol: "beeai-acp",
					url: ociPackageUrl(reference),
					registryType: "oci",
					identifier: image,
				},
			});
		}
	}
	return extracted;
}

/**
 * Describes the agent of a manifest. Capabilities are the names of
 * `metadata.capabilities`, then `metadata.domains` and `metadata.tags`.
 * The display name comes from the BeeAI UI annotation when present. An
 * AgentManifest has no version.
 */
function describeManifest(metadata: unknown): AgentDescription {
	const manifest = isJsonObject(metadata) ? metadata : {};
	const agentMetadata = objectMember(manifest, "metadata");
	const capabilities = objectItems(agentMetadata, "capabilities").map(
		([capability]) => capability,
	);
	const beeaiUi = objectMember(
		objectMember(agentMetadata, "annotations"),
		"beeai_ui",
	);
	const author = objectMember(agentMetadata, "author");
	const name = textMember(manifest, "name");

	const description: AgentDescription = {
		capabilities: uniqueTexts([
			...capabilities.map((capability) => capability.name),
			...textItems(agentMetadata, "domains"),
			...textItems(agentMetadata, "tags"),
		]),
		searchText: joinSearchText([
			...capabilities.flatMap((capability) => [
				capability.name,
				capability.description,
			]),
			...textItems(agentMetadata, "domains"),
			...textItems(agentMetadata, "tags"),
			textMember(agentMetadata, "framework"),
		]),
	};
	assignDefined(description, {
		identifier: name,
		displayName: textMember(beeaiUi, "display_name") ?? name,
		description: textMember(manifest, "description"),
		provider: textMember(author, "name"),
		providerUrl: textMember(author, "url"),
	});
	return description;
}

/** Adapter for BeeAI Agent Communication Protocol AgentManifests. */
export const beeaiAcpAdapter: ProtocolAdapter = {
	id: "beeai-acp",
	documentName: "BeeAI Agent Communication Protocol AgentManifest",
	validate: validateAgentManifest,
	extractEndpoints: extractManifestEndpoints,
	describe: describeManifest,
};

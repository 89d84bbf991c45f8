/**
 * The `acp` protocol: AGNTCY Agent Connect Protocol agent manifests. The
 * BeeAI Agent Communication Protocol, also called ACP, is `beeai-acp`.
 *
 * @module
 */
import type { RecordEndpoint } from "../../records/types.ts";
import {
	assignDefined,
	joinSearchText,
	objectItems,
	objectMember,
	reverseDnsOwner,
	textMember,
} from "../description.ts";
import { isJsonObject, type JsonObject } from "../document-reader.ts";
import { ociPackageUrl, parseOciReference } from "../package-url.ts";
import type {
	AgentDescription,
	ExtractedEndpoint,
	ProtocolAdapter,
} from "../types.ts";
import { validateAcpManifest } from "./validate.ts";

/**
 * Lists the deployment options that name a way to reach or run the agent:
 * a `remote_service` becomes a network endpoint (with the server's
 * `agentId` when given), and a `docker` image becomes an `oci` package
 * locator. `source_code` options point at code, not at an agent, and are
 * skipped.
 */
function extractManifestEndpoints(metadata: unknown): ExtractedEndpoint[] {
	const manifest = isJsonObject(metadata) ? metadata : {};
	const options: [JsonObject, string][] = [
		...objectItems(
			objectMember(manifest, "deployment"),
			"deployment_options",
		).map(([option, index]): [JsonObject, string] => [
			option,
			`/deployment/deployment_options/${index}`,
		]),
		...objectItems(manifest, "deployments").map(
			([option, index]): [JsonObject, string] => [
				option,
				`/deployments/${index}`,
			],
		),
	];

	const extracted: ExtractedEndpoint[] = [];
	for (const [option, pointer] of options) {
		const type = textMember(option, "type");
		const protocol = objectMember(option, "protocol");
		if (type === "remote_service") {
			const url = textMember(protocol, "url");
			if (url !== undefined) {
				const endpoint: RecordEndpoint = { protocol: "acp", url };
				const agentId = textMember(protocol, "agent_id");
				if (agentId !== undefined) {
					endpoint.agentId = agentId;
				}
				extracted.push({
					kind: "network",
					pointer: `${pointer}/protocol/url`,
					endpoint,
				});
			}
		} else if (type === "docker") {
			const image = textMember(option, "image");
			const reference =
				image === undefined ? undefined : parseOciReference(image);
			if (image !== undefined && reference !== undefined) {
				extracted.push({
					kind: "package",
					pointer,
					endpoint: {
						protocol: "acp",
						url: ociPackageUrl(reference),
						registryType: "oci",
						identifier: image,
					},
				});
			}
		}
	}
	return extracted;
}

/**
 * Describes the agent of a manifest. The manifest lists no skills, so
 * `capabilities` is empty, and the search text contains the top-level
 * property names of the input, output and config schemas and the
 * interrupt types.
 */
function describeManifest(metadata: unknown): AgentDescription {
	const manifest = isJsonObject(metadata) ? metadata : {};
	const agentMetadata = objectMember(manifest, "metadata");
	const ref = objectMember(agentMetadata, "ref");
	const specs = objectMember(manifest, "specs");
	const name = textMember(ref, "name");

	const schemaWords = ["input", "output", "config"].flatMap((schema) =>
		Object.keys(objectMember(objectMember(specs, schema), "properties") ?? {}),
	);
	const description: AgentDescription = {
		capabilities: [],
		searchText: joinSearchText([
			...schemaWords,
			...objectItems(specs, "interrupts").map(
				([interrupt]) => interrupt.interrupt_type,
			),
		]),
	};
	assignDefined(description, {
		identifier: name,
		displayName: name,
		description: textMember(agentMetadata, "description"),
		version: textMember(ref, "version"),
		provider: name?.includes(".") === true ? reverseDnsOwner(name) : undefined,
	});
	return description;
}

/** Adapter for AGNTCY Agent Connect Protocol manifests. */
export const acpAdapter: ProtocolAdapter = {
	id: "acp",
	documentName: "AGNTCY Agent Connect Protocol manifest",
	validate: validateAcpManifest,
	extractEndpoints: extractManifestEndpoints,
	describe: describeManifest,
};

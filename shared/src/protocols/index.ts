/**
 * Protocol adapters: one module per agent-description format (A2A agent
 * card, MCP server.json, AGNTCY ACP manifest, BeeAI ACP AgentManifest,
 * OASF record) that validates a document, lists its endpoints and
 * describes its agent. docs/protocols.md describes each mapping.
 *
 * @module
 */
export {
	type AgentCardSignature,
	a2aAdapter,
	readAgentCardSignatures,
} from "./a2a/index.ts";
export { acpAdapter } from "./acp/index.ts";
export { beeaiAcpAdapter } from "./beeai-acp/index.ts";
export { mcpAdapter, PACKAGE_REGISTRY_TYPES } from "./mcp/index.ts";
export { oasfAdapter } from "./oasf/index.ts";
export {
	formatPackageUrl,
	isPackageLocator,
	type OciReference,
	ociPackageUrl,
	type PackageUrlParts,
	parseOciReference,
} from "./package-url.ts";
export {
	type MetadataFields,
	type ProtocolMetadata,
	readProtocolMetadata,
} from "./read-metadata.ts";
export { adapterFor, supportedProtocols } from "./registry.ts";
export type {
	AgentDescription,
	ExtractedEndpoint,
	ProtocolAdapter,
	ValidationIssue,
} from "./types.ts";

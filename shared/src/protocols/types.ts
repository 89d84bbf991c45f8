import type { RecordEndpoint } from "../records/types.ts";

/** One problem that an adapter found in a protocol document. */
export interface ValidationIssue {
	/** RFC 6901 JSON pointer to the member at fault, such as `/skills/0/id`; `""` is the whole document. */
	pointer: string;
	/** Stable UPPER_SNAKE code, such as `FIELD_MISSING` or `TYPE_MISMATCH`. */
	code: string;
	/** Description of the fault as a predicate that follows the pointer, such as "must be a string, but it is a number". */
	message: string;
}

/** An endpoint that an adapter read from a protocol document. */
export interface ExtractedEndpoint {
	/**
	 * `network` endpoints carry an http(s) URL that clients connect to.
	 * `package` endpoints are package locators: `url` is a Package URL
	 * (`pkg:…`) that names the package to install and run locally.
	 */
	kind: "network" | "package";
	/** JSON pointer to the document member the endpoint came from. */
	pointer: string;
	/** The endpoint as it goes into the signed record. */
	endpoint: RecordEndpoint;
}

/**
 * Protocol-neutral facts about the agent of a protocol document.
 * Discovery indexes it, and an importer maps it to ANS name parts: `identifier`
 * to the agent id, `capabilities` to the capability label, `provider` to the
 * provider label and `version` to the version.
 */
export interface AgentDescription {
	/** The document's own identifier, such as an MCP server name or an ACP agent name. */
	identifier?: string;
	/** Human-readable title. */
	displayName?: string;
	description?: string;
	/** Version as the document states it; it may not be semver. */
	version?: string;
	/** Publisher name: an organization, an author or the owner label of a reverse-DNS identifier. */
	provider?: string;
	/** Publisher or project web page. */
	providerUrl?: string;
	/** Skill ids, skill tags or capability names, without duplicates, in document order. */
	capabilities: string[];
	/** Words to index for full-text search: skill names, descriptions and tags. */
	searchText: string;
}

/**
 * Reads one protocol's agent documents (A2A agent card, MCP server.json,
 * …). Adding a protocol means writing one adapter and listing it in the
 * registry (`registry.ts`).
 */
export interface ProtocolAdapter {
	/** Protocol id as it appears in ANS names, such as `a2a`; matches `[a-z][a-z0-9-]{0,15}`. */
	readonly id: string;
	/** Name of the document format for messages, such as "A2A agent card". */
	readonly documentName: string;
	/**
	 * Checks a document and returns every problem found, or `[]` when the
	 * document is valid. Unknown members are never a problem.
	 */
	validate(metadata: unknown): ValidationIssue[];
	/** Lists the endpoints of a document that {@link validate} accepted. */
	extractEndpoints(metadata: unknown): ExtractedEndpoint[];
	/** Describes the agent of a document that {@link validate} accepted. */
	describe(metadata: unknown): AgentDescription;
}

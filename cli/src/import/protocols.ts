import { AnsError } from "@ans/shared/errors";
import { adapterFor, type ProtocolAdapter } from "@ans/shared/protocols";

/** Import rules of one protocol: its adapter and the name defaults. */
export interface ImportProtocol {
	adapter: ProtocolAdapter;
	/** Picks the text that becomes the agent id out of the document's identifier. */
	agentIdText(identifier: string): string;
	/** Capability label when the document lists none. */
	defaultCapability: string;
}

/** Protocols that `ans import` reads, by protocol id. */
const IMPORT_PROTOCOLS: Readonly<
	Record<string, Omit<ImportProtocol, "adapter">>
> = {
	// An A2A card's name is free text, such as "Currency Conversion Agent".
	a2a: { agentIdText: (name) => name, defaultCapability: "agent" },
	// An MCP name is "<reverse-DNS namespace>/<server>"; the namespace gives the provider.
	mcp: {
		agentIdText: (name) => name.slice(name.lastIndexOf("/") + 1),
		defaultCapability: "tools",
	},
};

/** Protocol ids that `ans import` accepts. */
export const IMPORT_PROTOCOL_IDS = Object.keys(IMPORT_PROTOCOLS);

/**
 * Returns the import rules of a protocol id.
 *
 * @throws AnsError PROTOCOL_UNSUPPORTED (400) for a protocol that `ans import` does not read.
 */
export function importProtocol(id: string): ImportProtocol {
	const rules = IMPORT_PROTOCOLS[id.toLowerCase()];
	const adapter = adapterFor(id);
	if (rules === undefined || adapter === undefined) {
		throw new AnsError(
			"PROTOCOL_UNSUPPORTED",
			`ans import does not read protocol ${JSON.stringify(id)}. Use one of: ${IMPORT_PROTOCOL_IDS.join(", ")}.`,
			{ status: 400, field: "protocol" },
		);
	}
	return { adapter, ...rules };
}

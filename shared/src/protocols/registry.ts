import { a2aAdapter } from "./a2a/index.ts";
import { acpAdapter } from "./acp/index.ts";
import { beeaiAcpAdapter } from "./beeai-acp/index.ts";
import { mcpAdapter } from "./mcp/index.ts";
import { oasfAdapter } from "./oasf/index.ts";
import type { ProtocolAdapter } from "./types.ts";

/** Every supported protocol; add a protocol by adding its adapter here. */
const ADAPTERS: readonly ProtocolAdapter[] = [
	a2aAdapter,
	mcpAdapter,
	acpAdapter,
	beeaiAcpAdapter,
	oasfAdapter,
];

const BY_ID = new Map(ADAPTERS.map((adapter) => [adapter.id, adapter]));

/** Returns the adapter of a protocol id (compared case-insensitively), or undefined. */
export function adapterFor(protocol: string): ProtocolAdapter | undefined {
	return BY_ID.get(protocol.toLowerCase());
}

/** Lists the supported protocol ids in registry order. */
export function supportedProtocols(): string[] {
	return ADAPTERS.map((adapter) => adapter.id);
}

/**
 * The `a2a` protocol: A2A agent cards (Agent2Agent protocol, v0.3 and v1.0).
 *
 * @module
 */
import type { ProtocolAdapter } from "../types.ts";
import { describeAgentCard } from "./describe.ts";
import { extractAgentCardEndpoints } from "./endpoints.ts";
import { validateAgentCard } from "./validate.ts";

export {
	type AgentCardSignature,
	readAgentCardSignatures,
} from "./signatures.ts";

/** Adapter for A2A agent cards. */
export const a2aAdapter: ProtocolAdapter = {
	id: "a2a",
	documentName: "A2A agent card",
	validate: validateAgentCard,
	extractEndpoints: extractAgentCardEndpoints,
	describe: describeAgentCard,
};

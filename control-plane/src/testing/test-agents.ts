/**
 * Registers agents on a test control plane through the public API, each
 * with a fresh key pair and a minimal A2A agent card. For tests only.
 *
 * @module
 */
import {
	type AgentKeyType,
	createCsr,
	generateAgentKeyPair,
} from "@ans/shared/keys";

/** Registration target: a control plane URL and its admin token. */
export interface RegistrationTarget {
	url: string;
	adminToken: string;
}

/** Options of {@link registerTestAgent}; every field has a default. */
export interface TestAgentOptions {
	/** Agent id label; defaults to `agent<n>` with a counter. */
	label?: string;
	/** Capability label of the name. */
	capability?: string;
	/** Provider label of the name. */
	provider?: string;
	version?: string;
	/** Endpoint URL; defaults to `https://agents.example.com/<label>/<version>`. */
	endpointUrl?: string;
	/** Protocol document; defaults to {@link minimalAgentCard}. */
	metadata?: Record<string, unknown>;
	keyType?: AgentKeyType;
}

/** An agent registered by {@link registerTestAgent}, with its private key. */
export interface TestAgent {
	id: string;
	/** Canonical name. */
	name: string;
	/** Version-less name as registered, for range queries. */
	baseName: string;
	keys: CryptoKeyPair;
	certificate: string;
	chain: string[];
	record: string;
}

let counter = 0;

/** Returns a minimal valid A2A agent card, the metadata an a2a registration carries. */
export function minimalAgentCard(
	label: string,
	version: string,
): Record<string, unknown> {
	return {
		protocolVersion: "1.0",
		name: label,
		description: `Test agent ${label}`,
		version,
		capabilities: {},
		defaultInputModes: ["text/plain"],
		defaultOutputModes: ["text/plain"],
		skills: [{ id: "default", name: "Default", description: "Test skill" }],
	};
}

/** Registers a new a2a agent version with the admin token; throws unless the reply is 201. */
export async function registerTestAgent(
	target: RegistrationTarget,
	options: TestAgentOptions = {},
): Promise<TestAgent> {
	counter += 1;
	const label = options.label ?? `agent${counter}`;
	const version = options.version ?? "1.0.0";
	const baseName = `a2a://${label}.${options.capability ?? "testing"}.${options.provider ?? "Example"}`;
	const name = `${baseName}.v${version}`;
	const keys = await generateAgentKeyPair(options.keyType ?? "P-256");

	const response = await fetch(`${target.url}/v1/agents`, {
		method: "POST",
		headers: {
			authorization: `Bearer ${target.adminToken}`,
			"content-type": "application/json",
		},
		body: JSON.stringify({
			name,
			endpoints: [
				{
					protocol: "a2a",
					url:
						options.endpointUrl ??
						`https://agents.example.com/${label}/${version}`,
				},
			],
			metadata: options.metadata ?? minimalAgentCard(label, version),
			csr: await createCsr({
				keys,
				canonicalName: name.toLowerCase(),
				agentId: label,
			}),
		}),
	});
	if (response.status !== 201) {
		throw new Error(
			`registration of ${name} failed with ${response.status}: ${await response.text()}`,
		);
	}
	const body = (await response.json()) as {
		id: string;
		name: string;
		certificate: string;
		chain: string[];
		record: string;
	};
	return {
		id: body.id,
		name: body.name,
		baseName,
		keys,
		certificate: body.certificate,
		chain: body.chain,
		record: body.record,
	};
}

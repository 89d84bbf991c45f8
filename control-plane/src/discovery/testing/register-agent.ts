/**
 * Registers agents through a running control plane's API, for tests.
 *
 * @module
 */
import { createCsr, generateAgentKeyPair } from "@ans/shared/keys";
import { formatName, parseName } from "@ans/shared/names";

/** Request members that a test sends besides the name and CSR; absent members are left out. */
export interface RegistrationBody {
	metadata?: unknown;
	endpoints?: { protocol: string; url: string; transport?: string }[];
}

/** The reply to a registration: status and parsed JSON body. */
export interface RegistrationReply {
	status: number;
	body: Record<string, unknown>;
}

/**
 * Sends `POST /v1/agents` for `name` with a fresh P-256 key and CSR,
 * authenticated with `token`.
 */
export async function postRegistration(
	baseUrl: string,
	token: string,
	name: string,
	request: RegistrationBody,
): Promise<RegistrationReply> {
	const parsed = parseName(name);
	const keys = await generateAgentKeyPair("P-256");
	const csr = await createCsr({
		keys,
		canonicalName: formatName(parsed),
		agentId: parsed.agentId,
	});
	const response = await fetch(`${baseUrl}/v1/agents`, {
		method: "POST",
		headers: {
			authorization: `Bearer ${token}`,
			"content-type": "application/json",
		},
		body: JSON.stringify({ name, ...request, csr }),
	});
	return {
		status: response.status,
		body: (await response.json()) as Record<string, unknown>,
	};
}

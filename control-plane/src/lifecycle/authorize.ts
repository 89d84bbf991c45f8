import { AnsError } from "@ans/shared/errors";
import { POSSESSION_SCHEME } from "@ans/shared/possession";
import type { Context } from "hono";
import type { AppEnv } from "../api/env.ts";
import type { Services } from "../api/services.ts";
import { authenticateToken } from "../auth/tokens.ts";
import { verifyPossessionProof } from "./possession.ts";

/**
 * Authorises a call on agent `id`: an admin bearer token, or a proof of
 * possession of the agent's current certificate key
 * (`Authorization: ANS-PoP <jws>`).
 */
export async function authorizeAgentCall(
	services: Services,
	c: Context<AppEnv>,
	id: string,
): Promise<void> {
	const header = c.req.header("authorization") ?? "";
	const [scheme, credential, extra] = header.trim().split(/\s+/);
	if (scheme === undefined || credential === undefined || extra !== undefined) {
		throw new AnsError(
			"AUTHORIZATION_MISSING",
			`this call needs Authorization: Bearer <admin token> or ${POSSESSION_SCHEME} <proof signed with the agent's key>`,
			{ status: 401, field: "authorization" },
		);
	}

	if (scheme.toLowerCase() === "bearer") {
		const granted = await authenticateToken(
			services.store,
			services.adminTokenHash,
			credential,
		);
		if (!granted.has("admin")) {
			throw new AnsError(
				"TOKEN_SCOPE_MISSING",
				`changing an agent needs an admin token or a ${POSSESSION_SCHEME} proof from the agent itself`,
				{ status: 403, field: "authorization" },
			);
		}
		return;
	}

	if (scheme === POSSESSION_SCHEME) {
		const agent = await services.store.findAgentById(id);
		if (agent === undefined) {
			throw new AnsError("AGENT_NOT_FOUND", `no agent has id ${id}`, {
				status: 404,
				field: "id",
			});
		}
		const body = await c.req.text();
		await verifyPossessionProof(services.store, agent, credential, {
			method: c.req.method,
			path: c.req.path,
			body,
		});
		c.var.logger.info({ agentId: id }, "proof of possession accepted");
		return;
	}

	throw new AnsError(
		"AUTHORIZATION_SCHEME_UNSUPPORTED",
		`unsupported authorization scheme ${scheme}`,
		{
			status: 401,
			field: "authorization",
		},
	);
}

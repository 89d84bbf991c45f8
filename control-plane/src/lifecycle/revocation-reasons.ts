import { AnsError } from "@ans/shared/errors";

/**
 * CRLReason names of RFC 5280 section 5.3.1 that a revocation request may
 * give. CA-level reasons (cACompromise, aACompromise), certificateHold and
 * removeFromCRL do not apply to revoking one agent, so they are rejected.
 */
export const agentRevocationReasons = [
	"unspecified",
	"keyCompromise",
	"affiliationChanged",
	"superseded",
	"cessationOfOperation",
	"privilegeWithdrawn",
] as const;

export type AgentRevocationReason = (typeof agentRevocationReasons)[number];

/** Checks a requested reason; throws 400 `REVOCATION_REASON_INVALID`. */
export function parseRevocationReason(
	reason: string | undefined,
): AgentRevocationReason {
	const value = reason ?? "unspecified";
	if (!(agentRevocationReasons as readonly string[]).includes(value)) {
		throw new AnsError(
			"REVOCATION_REASON_INVALID",
			`revocation reason ${JSON.stringify(value)} is not allowed; use one of ${agentRevocationReasons.join(", ")}`,
			{ status: 400, field: "reason" },
		);
	}
	return value as AgentRevocationReason;
}

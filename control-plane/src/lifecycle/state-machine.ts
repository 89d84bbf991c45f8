/**
 * The agent lifecycle. Every transition is a change-log event:
 *
 *     register ──► active ──update──► active
 *                  │  ▲ renew
 *                  │  └──────── expired ◄── expire (certificate notAfter passed)
 *                  ├──revoke──────► revoked       (terminal)
 *                  └──deregister──► deregistered  (terminal)
 *
 * `expired` agents may also be revoked or deregistered. A terminal version is
 * never reused: register a new version instead.
 *
 * @module
 */
import { AnsError } from "@ans/shared/errors";

/** Statuses an agent version can have. */
export type AgentStatus = "active" | "expired" | "revoked" | "deregistered";

/** Operations that change an agent's status or published record. */
export type LifecycleAction =
	| "update"
	| "renew"
	| "revoke"
	| "deregister"
	| "expire";

const transitions: Record<
	LifecycleAction,
	{ from: readonly AgentStatus[]; to: AgentStatus }
> = {
	update: { from: ["active"], to: "active" },
	renew: { from: ["active", "expired"], to: "active" },
	revoke: { from: ["active", "expired"], to: "revoked" },
	deregister: { from: ["active", "expired"], to: "deregistered" },
	expire: { from: ["active"], to: "expired" },
};

/**
 * Returns the status after `action`, or throws 409
 * `LIFECYCLE_TRANSITION_INVALID` when `action` is not allowed from `status`.
 */
export function nextStatus(
	status: string,
	action: LifecycleAction,
): AgentStatus {
	const transition = transitions[action];
	if (!(transition.from as readonly string[]).includes(status)) {
		throw new AnsError(
			"LIFECYCLE_TRANSITION_INVALID",
			`cannot ${action} an agent that is ${status}; ${action} is allowed only from ${transition.from.join(" or ")}`,
			{ status: 409, field: "status" },
		);
	}
	return transition.to;
}

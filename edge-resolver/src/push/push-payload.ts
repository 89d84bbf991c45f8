/**
 * The invalidation push a control plane sends to `POST /internal/changes`:
 * a compact JWS (ES256, header `typ` "ans-push+jws") whose payload carries a
 * contiguous batch of change events.
 *
 * @module
 */
import type { ChangeEvent } from "@ans/shared/change-feed";
import { AnsError } from "@ans/shared/errors";
import { changeEventProblem, isSequence } from "../change-feed/change-event.ts";

/** JWS header `typ` of a push. */
export const PUSH_JWS_TYPE = "ans-push+jws";

/** Payload `typ` of a push. */
export const PUSH_PAYLOAD_TYPE = "ans-push";

/** Verified payload of a push. */
export interface PushPayload {
	typ: typeof PUSH_PAYLOAD_TYPE;
	/** Control plane that signed the push (its public URL). */
	iss: string;
	/** Edge id the push is for. */
	aud: string;
	/** Issue and expiry time, epoch seconds. */
	iat: number;
	exp: number;
	/** Sequence of the first and last change in `changes`. */
	from: number;
	to: number;
	/** Highest committed sequence when the control plane built the push. */
	head: number;
	changes: ChangeEvent[];
}

/**
 * Checks the shape of a payload whose signature was verified.
 *
 * @throws AnsError `PUSH_MALFORMED` (401) naming the first bad member.
 */
export function validatePushPayload(payload: unknown): PushPayload {
	const value = payload as Record<string, unknown>;
	if (value.typ !== PUSH_PAYLOAD_TYPE) {
		throw malformed(`payload typ must be "${PUSH_PAYLOAD_TYPE}"`);
	}

	for (const member of ["from", "to", "head"] as const) {
		if (!isSequence(value[member])) {
			throw malformed(`${member} must be a non-negative integer`);
		}
	}

	const from = value.from as number;
	const to = value.to as number;
	const head = value.head as number;
	if (from < 1 || from > to || to > head) {
		throw malformed(
			`sequences must satisfy 1 <= from <= to <= head, got from ${from}, to ${to}, head ${head}`,
		);
	}

	if (!Array.isArray(value.changes) || value.changes.length === 0) {
		throw malformed("changes must be a non-empty array");
	}
	const changes = value.changes as unknown[];
	let previous = from - 1;
	changes.forEach((change, index) => {
		const problem = changeEventProblem(change, `changes[${index}]`);
		if (problem !== undefined) {
			throw malformed(problem);
		}
		const seq = (change as ChangeEvent).seq;
		if (seq <= previous || seq > to) {
			throw malformed(
				`changes[${index}].seq ${seq} is out of order or outside ${from}..${to}`,
			);
		}
		previous = seq;
	});

	if ((changes[0] as ChangeEvent).seq !== from || previous !== to) {
		throw malformed(
			`the first change must have seq ${from} and the last seq ${to}`,
		);
	}
	return value as unknown as PushPayload;
}

function malformed(problem: string): AnsError {
	return new AnsError("PUSH_MALFORMED", `invalid push: ${problem}`, {
		status: 401,
		field: "body",
	});
}

import { AnsError, type ErrorBody } from "@ans/shared/errors";
import type { ResolutionQuery } from "@ans/shared/resolution";
import type {
	DurableObjectNamespace,
	DurableObjectStub,
} from "@cloudflare/workers-types";
import type { PushPayload } from "../push/push-payload.ts";
import {
	type ChangedSince,
	type EdgeAnswer,
	type PushResult,
	REPLICA_PATHS,
	type ReplicaStatus,
} from "./protocol.ts";

/** Name of the one replica object per edge location. */
const REPLICA_NAME = "replica";

/** Worker-side client of the edge location's replica object. */
export class ReplicaClient {
	readonly #stub: DurableObjectStub;

	/** Creates a client of the replica in `namespace`. */
	constructor(namespace: DurableObjectNamespace) {
		this.#stub = namespace.get(namespace.idFromName(REPLICA_NAME));
	}

	/** Resolves `query` in the replica. */
	async resolve(query: ResolutionQuery): Promise<EdgeAnswer> {
		return this.#json<EdgeAnswer>(REPLICA_PATHS.resolve, { query });
	}

	/**
	 * Applies a verified push. Returns the status (200, 409 or 503) and body
	 * to pass on to the control plane.
	 */
	async push(
		payload: PushPayload,
	): Promise<{ status: number; body: PushResult | ErrorBody }> {
		const response = await this.#stub.fetch(
			`https://replica${REPLICA_PATHS.push}`,
			{ method: "POST", body: JSON.stringify(payload) },
		);
		const body = (await response.json()) as PushResult | ErrorBody;
		if (response.status >= 500 && response.status !== 503) {
			throw fromErrorBody(body as ErrorBody, response.status);
		}
		return { status: response.status, body };
	}

	/** Returns the applied sequence and the base names changed after `seq`. */
	async changedSince(seq: number): Promise<ChangedSince> {
		return this.#json<ChangedSince>(`${REPLICA_PATHS.changedSince}?seq=${seq}`);
	}

	/** Returns the replica's sync state. */
	async status(): Promise<ReplicaStatus> {
		return this.#json<ReplicaStatus>(REPLICA_PATHS.status);
	}

	async #json<T>(path: string, body?: unknown): Promise<T> {
		const response = await this.#stub.fetch(
			`https://replica${path}`,
			body === undefined
				? { method: "GET" }
				: { method: "POST", body: JSON.stringify(body) },
		);
		const parsed = await response.json();
		if (!response.ok) {
			throw fromErrorBody(parsed as ErrorBody, response.status);
		}
		return parsed as T;
	}
}

function fromErrorBody(body: ErrorBody, status: number): AnsError {
	const error = body?.error;
	return new AnsError(
		error?.code ?? "INTERNAL_ERROR",
		error?.message ?? `the edge replica returned HTTP ${status}`,
		error?.field === undefined ? { status } : { status, field: error.field },
	);
}

/**
 * Messages between the edge worker and its replica Durable Object. The
 * worker calls the object with `fetch` on these internal paths; nothing
 * outside the worker can reach them.
 *
 * @module
 */
import type { ResolutionQuery } from "@ans/shared/resolution";

/** Internal paths the replica object serves. */
export const REPLICA_PATHS = {
	resolve: "/resolve",
	push: "/push",
	changedSince: "/changed-since",
	status: "/status",
} as const;

/**
 * Value of `X-ANS-Cache`: `hit` when no request to the control plane was
 * made for this answer, `miss` when the answer waited for one, and `stale`
 * when the control plane could not be reached and an answer older than the
 * TTL was served while its record's JWS `exp` is still in the future.
 */
export type CacheStatus = "hit" | "miss" | "stale";

/** Layer that produced an answer, sent as `X-ANS-Cache-Layer` for diagnosis. */
export type AnswerLayer = "isolate" | "replica" | "negative" | "origin";

/** A resolution answer ready to serve, with the times its headers derive from. */
export interface EdgeAnswer {
	status: 200 | 400 | 404 | 410 | 503;
	/** Exact JSON body bytes as text; the ETag is computed over them. */
	body: string;
	cache: CacheStatus;
	layer: AnswerLayer;
	/** Base name the answer is about, so a change to it can purge the answer. */
	baseKey: string;
	/** Epoch ms at which the answer was last known to be current. */
	confirmedAt: number;
	/** Epoch ms until which the answer is fresh; at or before `confirmedAt` for stale answers and errors. */
	freshUntil: number;
	/** Replica sequence the answer was computed at. */
	appliedSeq: number;
}

/** Body of a `/resolve` request. */
export interface ResolveRequest {
	query: ResolutionQuery;
}

/** Reply of `/changed-since?seq=N`, used by isolates to purge their caches. */
export interface ChangedSince {
	appliedSeq: number;
	/** Base names changed after the requested sequence, up to a limit. */
	baseKeys: string[];
	/** True when more base names changed than were listed; purge everything. */
	truncated: boolean;
}

/** Reply of `/push` with status 200 or 409. */
export interface PushResult {
	appliedSeq: number;
	/** True when a gap made the replica pull the feed before applying. */
	pulled: boolean;
}

/** Reply of `/status`, also served at the edge's `/health`. */
export interface ReplicaStatus {
	edgeId: string;
	appliedSeq: number;
	bootstrapped: boolean;
	/** Epoch ms at which the last pull that reached the feed head started. */
	lastSyncAt: number | null;
	/** True while `now - lastSyncAt` is below the TTL. */
	fresh: boolean;
	versions: number;
	/** Message of the last failed pull, cleared by a successful one. */
	lastSyncError: string | null;
}

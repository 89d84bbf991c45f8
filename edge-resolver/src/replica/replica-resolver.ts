/**
 * Resolves queries inside the replica object: from the replica
 * while it is fresh, after a short catch-up pull when it is not, from the
 * origin on a miss, and stale or 503 when the origin is unreachable.
 *
 * @module
 */
import { AnsError, isAnsError } from "@ans/shared/errors";
import { formatBaseName, parseName } from "@ans/shared/names";
import { decodeRecord } from "@ans/shared/records";
import {
	answerResolution,
	type ResolutionAnswer,
	type ResolutionQuery,
} from "@ans/shared/resolution";
import type { EdgeConfig } from "../config/edge-config.ts";
import { log } from "../logging/log.ts";
import type { OriginClient } from "../origin/origin-client.ts";
import { queryKey } from "../resolution/query-key.ts";
import type { FeedSync } from "./feed-sync.ts";
import type { CacheStatus, EdgeAnswer } from "./protocol.ts";
import type {
	ReplicaMeta,
	ReplicaStore,
	StoredVersion,
} from "./replica-store.ts";

/** Maximum wait for a catch-up pull on the request path, ms. */
const REQUEST_PULL_BUDGET_MS = 2_000;

/** Maximum wait for the origin's resolve endpoint, ms. */
const ORIGIN_RESOLVE_TIMEOUT_MS = 2_000;

/**
 * After a failed pull, requests skip the catch-up pull for this long (ms),
 * so an unreachable origin does not add its timeout to every request.
 */
const PULL_RETRY_DELAY_MS = 1_000;

/** Resolves queries from one replica. */
export class ReplicaResolver {
	readonly #store: ReplicaStore;
	readonly #sync: FeedSync;
	readonly #origin: OriginClient;
	readonly #config: EdgeConfig;

	/** Creates a resolver over `store`, pulling with `sync` and asking `origin` on a miss. */
	constructor(
		store: ReplicaStore,
		sync: FeedSync,
		origin: OriginClient,
		config: EdgeConfig,
	) {
		this.#store = store;
		this.#sync = sync;
		this.#origin = origin;
		this.#config = config;
	}

	/** Resolves `query` and returns the answer with its cache metadata. */
	async resolve(query: ResolutionQuery): Promise<EdgeAnswer> {
		const key = queryKey(query);
		let meta = this.#store.meta();
		if (!meta.bootstrapped) {
			// An incomplete replica cannot tell "not registered" from "not
			// pulled yet", so until it reaches the feed head the origin
			// resolves every query.
			return this.#negativeOrOrigin(query, key, meta);
		}

		let cache: CacheStatus = "hit";
		if (!this.#isFresh(meta, Date.now())) {
			if (!this.#sync.failedWithin(Date.now(), PULL_RETRY_DELAY_MS)) {
				const outcome = await this.#sync.pull(REQUEST_PULL_BUDGET_MS);
				if (outcome.reachedHead) {
					cache = "miss";
				}
			}
			meta = this.#store.meta();
		}

		const local = this.#answerLocally(query, meta);
		if (local === undefined) {
			return this.#negativeOrOrigin(query, key, meta);
		}
		const { answer, recordExp } = local;
		if (answer.status === 400) {
			return answer;
		}
		const now = Date.now();
		const lastSyncAt = meta.lastSyncAt ?? 0;
		if (this.#isFresh(meta, now)) {
			return { ...answer, cache };
		}
		if (recordExp * 1000 > now) {
			return { ...answer, cache: "stale" };
		}
		return unavailable(
			query.baseKey,
			meta.appliedSeq,
			`the control plane is unreachable, the replica last synced at ${new Date(lastSyncAt).toISOString()} and the stored record has expired; retry later`,
		);
	}

	#isFresh(meta: ReplicaMeta, now: number): boolean {
		return (
			meta.lastSyncAt !== undefined &&
			now - meta.lastSyncAt < this.#config.cacheTtlMs
		);
	}

	/**
	 * Resolves from the replica's versions, or returns undefined for a
	 * not-found answer, which the origin has to confirm.
	 */
	#answerLocally(
		query: ResolutionQuery,
		meta: ReplicaMeta,
	): { answer: EdgeAnswer; recordExp: number } | undefined {
		const versions = this.#store.versionsOf(query.baseKey);
		let answer: ResolutionAnswer;
		try {
			answer = answerResolution(query, versions);
		} catch (error) {
			if (isAnsError(error) && error.status === 404) {
				return undefined;
			}
			if (isAnsError(error)) {
				return { answer: errorAnswer(error, query, meta), recordExp: 0 };
			}
			throw error;
		}
		const lastSyncAt = meta.lastSyncAt ?? 0;
		// answerResolution returns one of the objects it was given.
		const chosen = answer.version as StoredVersion;
		return {
			answer: {
				status: answer.status,
				body: JSON.stringify(answer.body),
				cache: "hit",
				layer: "replica",
				baseKey: query.baseKey,
				confirmedAt: lastSyncAt,
				freshUntil: lastSyncAt + this.#config.cacheTtlMs,
				appliedSeq: meta.appliedSeq,
			},
			recordExp: chosen.recordExp,
		};
	}

	async #negativeOrOrigin(
		query: ResolutionQuery,
		key: string,
		meta: ReplicaMeta,
	): Promise<EdgeAnswer> {
		const negative = this.#store.negative(key);
		if (
			negative !== undefined &&
			Date.now() - negative.confirmedAt < this.#config.negativeTtlMs
		) {
			return {
				status: 404,
				body: negative.body,
				cache: "hit",
				layer: "negative",
				baseKey: query.baseKey,
				confirmedAt: negative.confirmedAt,
				freshUntil: negative.confirmedAt + this.#config.negativeTtlMs,
				appliedSeq: meta.appliedSeq,
			};
		}
		return this.#fromOrigin(query, key, meta);
	}

	async #fromOrigin(
		query: ResolutionQuery,
		key: string,
		meta: ReplicaMeta,
	): Promise<EdgeAnswer> {
		const startedAt = Date.now();
		let reply: { status: number; body: string };
		try {
			reply = await this.#origin.resolve(
				query.exactName ?? query.baseKey,
				query.range,
				ORIGIN_RESOLVE_TIMEOUT_MS,
			);
		} catch (error) {
			log("warn", "origin resolve failed", {
				err: error,
				baseKey: query.baseKey,
			});
			return unavailable(
				query.baseKey,
				meta.appliedSeq,
				`the control plane is unreachable and this edge has no current answer for ${query.exactName ?? query.baseKey}; retry later`,
			);
		}

		const answered = {
			cache: "miss" as const,
			layer: "origin" as const,
			baseKey: query.baseKey,
			confirmedAt: startedAt,
			appliedSeq: meta.appliedSeq,
		};
		if (reply.status === 404) {
			if (this.#config.negativeTtlMs > 0) {
				this.#store.storeNegative(key, query.baseKey, reply.body, startedAt);
			}
			return {
				...answered,
				status: 404,
				body: reply.body,
				freshUntil: startedAt + this.#config.negativeTtlMs,
			};
		}
		if (reply.status === 400) {
			return {
				...answered,
				status: 400,
				body: reply.body,
				freshUntil: startedAt,
			};
		}

		const version = learnedVersion(reply.body, query);
		this.#store.storeLearnedVersion(version);
		// Answering from the learned version with the shared code makes the
		// body byte-identical to what the replica path returns for it.
		const answer = answerResolution(query, [version]);
		return {
			...answered,
			status: answer.status,
			body: JSON.stringify(answer.body),
			freshUntil: startedAt + this.#config.cacheTtlMs,
		};
	}
}

/**
 * Reads a version from an origin 200 or 410 body. The record is decoded
 * without verification: it only fills the replica, which serves the same
 * signed bytes that clients verify.
 *
 * @throws AnsError `ORIGIN_REPLY_INVALID` (502) when the body is not a
 * resolution answer for the queried base name.
 */
function learnedVersion(body: string, query: ResolutionQuery): StoredVersion {
	try {
		const parsed = JSON.parse(body) as {
			record: string;
			certificate: string;
			chain: string[];
		};
		const { payload } = decodeRecord(parsed.record);
		const baseKey = formatBaseName(parseName(payload.name));
		if (baseKey !== query.baseKey) {
			throw new Error(
				`the record names ${payload.name}, not a version of ${query.baseKey}`,
			);
		}
		if (
			typeof parsed.certificate !== "string" ||
			!Array.isArray(parsed.chain)
		) {
			throw new Error("certificate or chain is missing");
		}
		return {
			name: payload.name,
			baseKey,
			version: payload.version,
			status: payload.status,
			record: parsed.record,
			certificate: parsed.certificate,
			chain: parsed.chain,
			seq: payload.seq,
			recordExp: payload.exp,
		};
	} catch (error) {
		throw new AnsError(
			"ORIGIN_REPLY_INVALID",
			`the control plane returned an invalid resolution response for ${query.exactName ?? query.baseKey}: ${(error as Error).message}`,
			{ status: 502, cause: error },
		);
	}
}

function errorAnswer(
	error: AnsError,
	query: ResolutionQuery,
	meta: ReplicaMeta,
): EdgeAnswer {
	const now = Date.now();
	return {
		status: error.status === 400 ? 400 : 503,
		body: JSON.stringify(error.toBody()),
		cache: "hit",
		layer: "replica",
		baseKey: query.baseKey,
		confirmedAt: now,
		freshUntil: now,
		appliedSeq: meta.appliedSeq,
	};
}

function unavailable(
	baseKey: string,
	appliedSeq: number,
	message: string,
): EdgeAnswer {
	const now = Date.now();
	const error = new AnsError("ORIGIN_UNAVAILABLE", message, { status: 503 });
	return {
		status: 503,
		body: JSON.stringify(error.toBody()),
		cache: "miss",
		layer: "origin",
		baseKey,
		confirmedAt: now,
		freshUntil: now,
		appliedSeq,
	};
}

/**
 * The replica Durable Object, one per edge location: a SQLite copy of the
 * control plane's change feed that resolves queries, applies
 * verified pushes in sequence order and catches up on an alarm.
 *
 * @module
 */
import { AnsError, isAnsError } from "@ans/shared/errors";
import type { DurableObjectState } from "@cloudflare/workers-types";
import {
	type EdgeBindings,
	type EdgeConfig,
	edgeConfig,
} from "../config/edge-config.ts";
import { log } from "../logging/log.ts";
import { OriginClient } from "../origin/origin-client.ts";
import type { PushPayload } from "../push/push-payload.ts";
import { FeedSync } from "./feed-sync.ts";
import {
	type ChangedSince,
	type PushResult,
	REPLICA_PATHS,
	type ReplicaStatus,
	type ResolveRequest,
} from "./protocol.ts";
import { ReplicaResolver } from "./replica-resolver.ts";
import { ReplicaStore } from "./replica-store.ts";

/** Maximum duration of an alarm's catch-up pull, ms. A longer bootstrap continues at the next alarm. */
const ALARM_PULL_BUDGET_MS = 20_000;

/** Maximum wait of a push with a sequence gap for its pull, ms. */
const GAP_PULL_BUDGET_MS = 5_000;

/** Base names listed by `/changed-since` at most; beyond it isolates purge everything. */
const CHANGED_SINCE_LIMIT = 256;

interface Parts {
	config: EdgeConfig;
	store: ReplicaStore;
	sync: FeedSync;
	resolver: ReplicaResolver;
}

/** Durable Object class bound as `REPLICA`. */
export class EdgeReplica {
	readonly #state: DurableObjectState;
	readonly #env: EdgeBindings;
	#parts: Parts | undefined;
	#alarmChecked = false;

	/** Called by the runtime. */
	constructor(state: DurableObjectState, env: EdgeBindings) {
		this.#state = state;
		this.#env = env;
	}

	/** Routes the worker's internal requests. */
	async fetch(request: Request): Promise<Response> {
		try {
			const parts = this.#load();
			await this.#ensureAlarm(parts);
			const url = new URL(request.url);
			switch (url.pathname) {
				case REPLICA_PATHS.resolve: {
					const { query } = (await request.json()) as ResolveRequest;
					return Response.json(await parts.resolver.resolve(query));
				}
				case REPLICA_PATHS.push:
					return await this.#applyPush(
						parts,
						(await request.json()) as PushPayload,
					);
				case REPLICA_PATHS.changedSince:
					return Response.json(
						changedSince(parts.store, Number(url.searchParams.get("seq"))),
					);
				case REPLICA_PATHS.status:
					return Response.json(this.#status(parts));
				default:
					throw new AnsError(
						"ROUTE_NOT_FOUND",
						`the replica has no route ${url.pathname}`,
						{ status: 404 },
					);
			}
		} catch (error) {
			if (isAnsError(error)) {
				return Response.json(error.toBody(), { status: error.status });
			}
			log("error", "replica request failed", { err: error });
			return Response.json(
				new AnsError("INTERNAL_ERROR", "the edge replica failed", {
					status: 500,
				}).toBody(),
				{ status: 500 },
			);
		}
	}

	/** Catches up with the change feed and schedules the next run. */
	async alarm(): Promise<void> {
		let parts: Parts;
		try {
			parts = this.#load();
		} catch (error) {
			// Without a valid configuration there is no interval to reschedule
			// with; the next request reports the error and sets the alarm again.
			log("error", "replica alarm skipped", { err: error });
			this.#alarmChecked = false;
			return;
		}
		let again = parts.config.syncIntervalMs;
		try {
			const outcome = await parts.sync.pull(ALARM_PULL_BUDGET_MS);
			if (!outcome.reachedHead && !parts.store.meta().bootstrapped) {
				// A first copy that is still behind continues soon instead of
				// waiting a whole interval.
				again = Math.min(again, 1_000);
			}
			parts.store.deleteNegativesBefore(
				Date.now() - parts.config.negativeTtlMs,
			);
		} catch (error) {
			log("error", "replica alarm failed", { err: error });
		} finally {
			await this.#state.storage.setAlarm(Date.now() + again);
		}
	}

	#load(): Parts {
		if (this.#parts === undefined) {
			const config = edgeConfig(this.#env);
			const store = new ReplicaStore(this.#state.storage);
			const origin = new OriginClient(config.originUrl);
			const sync = new FeedSync(store, origin);
			const resolver = new ReplicaResolver(store, sync, origin, config);
			this.#parts = { config, store, sync, resolver };
		}
		return this.#parts;
	}

	async #ensureAlarm(parts: Parts): Promise<void> {
		if (this.#alarmChecked) {
			return;
		}
		this.#alarmChecked = true;
		if ((await this.#state.storage.getAlarm()) === null) {
			const delay = parts.store.meta().bootstrapped
				? parts.config.syncIntervalMs
				: 0;
			await this.#state.storage.setAlarm(Date.now() + delay);
		}
	}

	async #applyPush(parts: Parts, push: PushPayload): Promise<Response> {
		const { store, sync } = parts;
		const before = store.meta().appliedSeq;
		if (push.to <= before) {
			return Response.json(
				{
					...new AnsError(
						"PUSH_REPLAYED",
						`the push carries changes ${push.from}..${push.to} but this edge has applied up to ${before}; nothing was changed`,
						{ status: 409, field: "body" },
					).toBody(),
					appliedSeq: before,
				},
				{ status: 409 },
			);
		}

		let pulled = false;
		if (push.from > before + 1) {
			const outcome = await sync.pull(GAP_PULL_BUDGET_MS);
			pulled = true;
			const reached = store.meta().appliedSeq;
			if (!outcome.reachedHead && push.from > reached + 1) {
				log("warn", "push gap could not be filled", {
					from: push.from,
					appliedSeq: reached,
					error: outcome.error,
				});
				return Response.json(
					new AnsError(
						"ORIGIN_UNAVAILABLE",
						`the push starts at ${push.from} but this edge has applied up to ${reached}, and pulling the missing changes failed: ${outcome.error}`,
						{ status: 503 },
					).toBody(),
					{ status: 503 },
				);
			}
		}

		const applied = store.meta().appliedSeq;
		store.applyChanges(
			push.changes.filter((change) => change.seq > applied),
			push.to,
		);
		const result: PushResult = { appliedSeq: store.meta().appliedSeq, pulled };
		return Response.json(result);
	}

	#status(parts: Parts): ReplicaStatus {
		const meta = parts.store.meta();
		return {
			edgeId: parts.config.edgeId,
			appliedSeq: meta.appliedSeq,
			bootstrapped: meta.bootstrapped,
			lastSyncAt: meta.lastSyncAt ?? null,
			fresh:
				meta.lastSyncAt !== undefined &&
				Date.now() - meta.lastSyncAt < parts.config.cacheTtlMs,
			versions: parts.store.versionCount(),
			lastSyncError: parts.sync.lastError ?? null,
		};
	}
}

function changedSince(store: ReplicaStore, seq: number): ChangedSince {
	if (!Number.isSafeInteger(seq) || seq < 0) {
		throw new AnsError(
			"FIELD_INVALID",
			`seq must be a non-negative integer, got ${seq}`,
			{ status: 400, field: "seq" },
		);
	}
	const baseKeys = store.baseKeysChangedAfter(seq, CHANGED_SINCE_LIMIT + 1);
	return {
		appliedSeq: store.meta().appliedSeq,
		baseKeys: baseKeys.slice(0, CHANGED_SINCE_LIMIT),
		truncated: baseKeys.length > CHANGED_SINCE_LIMIT,
	};
}

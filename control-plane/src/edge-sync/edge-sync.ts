import type { ChangeEvent } from "@ans/shared/change-feed";
import type { Logger } from "../logging/logger.ts";
import type { Store } from "../storage/types.ts";
import type { EdgeTarget } from "./edge-list.ts";
import { EdgePusher, type EdgePushStatus } from "./edge-pusher.ts";
import type { PushKeys } from "./push-keys.ts";

/** Options of {@link EdgeSync.start}. */
export interface EdgeSyncOptions {
	store: Pick<Store, "headSeq" | "listChanges">;
	logger: Logger;
	pushKeys: PushKeys;
	/** Control plane's public URL, the pushes' `iss`. */
	issuer: string;
	edges: EdgeTarget[];
}

/**
 * Keeps edges fresh: one {@link EdgePusher} per configured edge, each fed
 * every committed change. New pushers start at the current head, because
 * an edge catches up on older changes by pulling the feed.
 */
export class EdgeSync {
	readonly #options: EdgeSyncOptions;
	#pushers: EdgePusher[] = [];

	private constructor(options: EdgeSyncOptions) {
		this.#options = options;
	}

	/** Starts pushers for `options.edges`. */
	static async start(options: EdgeSyncOptions): Promise<EdgeSync> {
		const sync = new EdgeSync(options);
		await sync.setEdges(options.edges);
		return sync;
	}

	/** Hands a committed change to every pusher; returns at once. */
	notify(event: ChangeEvent): void {
		for (const pusher of this.#pushers) {
			pusher.notify(event);
		}
	}

	/**
	 * Replaces the edge list. Pushers of edges that keep their id and URL
	 * keep their state; removed edges' pushers are closed.
	 */
	async setEdges(edges: EdgeTarget[]): Promise<void> {
		const head = await this.#options.store.headSeq();
		const unchanged: EdgePusher[] = [];
		const removed: EdgePusher[] = [];
		for (const pusher of this.#pushers) {
			const same = edges.some(
				(edge) =>
					edge.id === pusher.target.id && edge.url === pusher.target.url,
			);
			(same ? unchanged : removed).push(pusher);
		}
		const added = edges
			.filter(
				(edge) => !unchanged.some((pusher) => pusher.target.id === edge.id),
			)
			.map(
				(edge) =>
					new EdgePusher(
						edge,
						{
							store: this.#options.store,
							logger: this.#options.logger,
							issuer: this.#options.issuer,
							signingKey: () => this.#options.pushKeys.signingKey,
						},
						head,
					),
			);
		this.#pushers = [...unchanged, ...added];
		await Promise.all(removed.map((pusher) => pusher.close()));
		if (added.length > 0 || removed.length > 0) {
			this.#options.logger.info(
				{ edges: this.#pushers.map((pusher) => pusher.target) },
				"edge list set",
			);
		}
	}

	/** Returns each edge's push state. */
	status(now = Date.now()): EdgePushStatus[] {
		return this.#pushers.map((pusher) => pusher.status(now));
	}

	/** Stops every pusher. */
	async close(): Promise<void> {
		const pushers = this.#pushers;
		this.#pushers = [];
		await Promise.all(pushers.map((pusher) => pusher.close()));
	}
}

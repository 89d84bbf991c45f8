/**
 * The change feed: every committed change to an agent, in sequence order.
 * The control plane writes one event per change in the same transaction
 * as the change; edges apply events in `seq` order.
 *
 * @module
 */

/** Kinds of change; every lifecycle transition has one. */
export type ChangeType =
	| "agent.registered"
	| "agent.updated"
	| "agent.renewed"
	| "agent.revoked"
	| "agent.deregistered"
	| "agent.expired"
	| "agent.resigned";

/**
 * One change as edges receive it: the agent version's complete published
 * state after the change, so applying it is an idempotent upsert.
 */
export interface ChangeEvent {
	seq: number;
	type: ChangeType;
	agentId: string;
	/** Canonical version-less name shared by all versions. */
	baseKey: string;
	/** Canonical full name. */
	name: string;
	/** Canonical semver. */
	version: string;
	status: string;
	/** Compact JWS of the signed endpoint record (a tombstone when not active). */
	record: string;
	/** Agent certificate PEM. */
	certificate: string;
	/** Issuer chain PEMs, intermediate first. */
	chain: string[];
	/** Commit time, epoch milliseconds. */
	at: number;
}

/** A page of the change feed, `GET /v1/changes?after=SEQ`. */
export interface ChangePage {
	changes: ChangeEvent[];
	/** Highest committed sequence at the time of the read. */
	head: number;
	/** Sequence to pass as `after` for the next page; equals `head` when caught up. */
	next: number;
}

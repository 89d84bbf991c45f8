/**
 * The replica's SQLite tables inside the Durable Object: every published
 * agent version from the change feed, not-found answers confirmed by the
 * origin, and the sync state.
 *
 * @module
 */
import type { ChangeEvent } from "@ans/shared/change-feed";
import { decodeRecord } from "@ans/shared/records";
import type { PublishedVersion } from "@ans/shared/resolution";
import type { DurableObjectStorage } from "@cloudflare/workers-types";

const SCHEMA = [
	`CREATE TABLE IF NOT EXISTS versions (
		name TEXT PRIMARY KEY,
		base_key TEXT NOT NULL,
		version TEXT NOT NULL,
		status TEXT NOT NULL,
		record TEXT NOT NULL,
		certificate TEXT NOT NULL,
		chain_json TEXT NOT NULL,
		seq INTEGER NOT NULL,
		record_exp INTEGER NOT NULL
	)`,
	"CREATE INDEX IF NOT EXISTS versions_base_key ON versions (base_key)",
	"CREATE INDEX IF NOT EXISTS versions_seq ON versions (seq)",
	`CREATE TABLE IF NOT EXISTS negatives (
		query_key TEXT PRIMARY KEY,
		base_key TEXT NOT NULL,
		body TEXT NOT NULL,
		confirmed_at INTEGER NOT NULL
	)`,
	"CREATE INDEX IF NOT EXISTS negatives_base_key ON negatives (base_key)",
	`CREATE TABLE IF NOT EXISTS meta (
		id INTEGER PRIMARY KEY CHECK (id = 1),
		applied_seq INTEGER NOT NULL,
		bootstrapped INTEGER NOT NULL,
		last_sync_at INTEGER
	)`,
	"INSERT OR IGNORE INTO meta (id, applied_seq, bootstrapped, last_sync_at) VALUES (1, 0, 0, NULL)",
];

/** A stored agent version with what the replica needs beyond the resolution fields. */
export interface StoredVersion extends PublishedVersion {
	baseKey: string;
	/** Change sequence that produced this state. */
	seq: number;
	/** `exp` of the record JWS, epoch seconds; 0 when it could not be read. */
	recordExp: number;
}

/** Sync state of the replica. */
export interface ReplicaMeta {
	/** Highest change sequence applied in feed order. */
	appliedSeq: number;
	/** True once a pull has reached the feed head; the replica is then complete. */
	bootstrapped: boolean;
	/** Edge-clock epoch ms at which the last pull that reached the head started. */
	lastSyncAt: number | undefined;
}

/** A not-found answer the origin confirmed. */
export interface NegativeAnswer {
	body: string;
	confirmedAt: number;
}

type VersionRow = {
	name: string;
	base_key: string;
	version: string;
	status: string;
	record: string;
	certificate: string;
	chain_json: string;
	seq: number;
	record_exp: number;
};

/** Reads and writes the replica tables; every method is synchronous, as Durable Object SQL is. */
export class ReplicaStore {
	readonly #storage: DurableObjectStorage;

	/** Wraps the object's storage and creates the tables on first use. */
	constructor(storage: DurableObjectStorage) {
		this.#storage = storage;
		for (const statement of SCHEMA) {
			storage.sql.exec(statement);
		}
	}

	/** Returns the sync state. */
	meta(): ReplicaMeta {
		const row = this.#storage.sql
			.exec<{
				applied_seq: number;
				bootstrapped: number;
				last_sync_at: number | null;
			}>(
				"SELECT applied_seq, bootstrapped, last_sync_at FROM meta WHERE id = 1",
			)
			.one();
		return {
			appliedSeq: row.applied_seq,
			bootstrapped: row.bootstrapped === 1,
			lastSyncAt: row.last_sync_at ?? undefined,
		};
	}

	/** Returns every stored version of a base name. */
	versionsOf(baseKey: string): StoredVersion[] {
		return this.#storage.sql
			.exec<VersionRow>("SELECT * FROM versions WHERE base_key = ?", baseKey)
			.toArray()
			.map(toStoredVersion);
	}

	/** Counts stored versions. */
	versionCount(): number {
		return this.#storage.sql
			.exec<{ count: number }>("SELECT count(*) AS count FROM versions")
			.one().count;
	}

	/**
	 * Applies change events and raises the applied sequence to at least
	 * `appliedSeq`, in one transaction. Each event is an idempotent upsert
	 * that only replaces an older state of the same version, so replays and
	 * overlapping batches are harmless. Negative answers for the affected
	 * base names are deleted.
	 */
	applyChanges(changes: readonly ChangeEvent[], appliedSeq: number): void {
		this.#storage.transactionSync(() => {
			for (const change of changes) {
				this.#upsert(fromChangeEvent(change));
			}
			this.#storage.sql.exec(
				"UPDATE meta SET applied_seq = max(applied_seq, ?) WHERE id = 1",
				appliedSeq,
			);
		});
	}

	/**
	 * Stores a version learned from the origin's resolve endpoint. It does
	 * not move the applied sequence, because other changes before its
	 * sequence may still be missing.
	 */
	storeLearnedVersion(version: StoredVersion): void {
		this.#storage.transactionSync(() => this.#upsert(version));
	}

	/** Records that a pull which started at `startedAt` reached the feed head. */
	markSynced(startedAt: number): void {
		this.#storage.sql.exec(
			"UPDATE meta SET bootstrapped = 1, last_sync_at = max(coalesce(last_sync_at, 0), ?) WHERE id = 1",
			startedAt,
		);
	}

	/** Lists base names whose stored state changed after `seq`, at most `limit` of them. */
	baseKeysChangedAfter(seq: number, limit: number): string[] {
		return this.#storage.sql
			.exec<{ base_key: string }>(
				"SELECT DISTINCT base_key FROM versions WHERE seq > ? LIMIT ?",
				seq,
				limit,
			)
			.toArray()
			.map((row) => row.base_key);
	}

	/** Returns the stored not-found answer for a query key. */
	negative(queryKey: string): NegativeAnswer | undefined {
		const rows = this.#storage.sql
			.exec<{ body: string; confirmed_at: number }>(
				"SELECT body, confirmed_at FROM negatives WHERE query_key = ?",
				queryKey,
			)
			.toArray();
		const row = rows[0];
		return row === undefined
			? undefined
			: { body: row.body, confirmedAt: row.confirmed_at };
	}

	/** Stores a not-found answer the origin returned at `confirmedAt`. */
	storeNegative(
		queryKey: string,
		baseKey: string,
		body: string,
		confirmedAt: number,
	): void {
		this.#storage.sql.exec(
			"INSERT OR REPLACE INTO negatives (query_key, base_key, body, confirmed_at) VALUES (?, ?, ?, ?)",
			queryKey,
			baseKey,
			body,
			confirmedAt,
		);
	}

	/** Deletes not-found answers confirmed before `before` (epoch ms). */
	deleteNegativesBefore(before: number): void {
		this.#storage.sql.exec(
			"DELETE FROM negatives WHERE confirmed_at < ?",
			before,
		);
	}

	#upsert(version: StoredVersion): void {
		const sql = this.#storage.sql;
		sql.exec(
			`INSERT INTO versions (name, base_key, version, status, record, certificate, chain_json, seq, record_exp)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET
				base_key = excluded.base_key,
				version = excluded.version,
				status = excluded.status,
				record = excluded.record,
				certificate = excluded.certificate,
				chain_json = excluded.chain_json,
				seq = excluded.seq,
				record_exp = excluded.record_exp
			WHERE excluded.seq > versions.seq`,
			version.name,
			version.baseKey,
			version.version,
			version.status,
			version.record,
			version.certificate,
			JSON.stringify(version.chain),
			version.seq,
			version.recordExp,
		);
		sql.exec("DELETE FROM negatives WHERE base_key = ?", version.baseKey);
	}
}

/** Converts a change event to the stored form, reading `exp` from the record. */
export function fromChangeEvent(change: ChangeEvent): StoredVersion {
	return {
		name: change.name,
		baseKey: change.baseKey,
		version: change.version,
		status: change.status,
		record: change.record,
		certificate: change.certificate,
		chain: change.chain,
		seq: change.seq,
		recordExp: recordExpiry(change.record),
	};
}

/**
 * Reads `exp` from a record JWS without verifying it. The value only
 * limits how long a stale copy may be served, and a record whose payload
 * cannot be decoded is never served stale.
 */
export function recordExpiry(record: string): number {
	try {
		return decodeRecord(record).payload.exp;
	} catch {
		return 0;
	}
}

function toStoredVersion(row: VersionRow): StoredVersion {
	return {
		name: row.name,
		baseKey: row.base_key,
		version: row.version,
		status: row.status,
		record: row.record,
		certificate: row.certificate,
		chain: JSON.parse(row.chain_json) as string[],
		seq: row.seq,
		recordExp: row.record_exp,
	};
}

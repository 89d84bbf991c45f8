/**
 * The {@link Tx} of the PostgreSQL store, and the lookups that run both
 * inside and outside a transaction.
 *
 * @module
 */
import { eq, sql } from "drizzle-orm";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import type {
	AgentRow,
	AgentUpdate,
	CertificateRow,
	ChangeRow,
	Tx,
} from "../types.ts";
import { writeAgentCapabilities } from "./agent-search.ts";
import * as schema from "./schema.ts";
import { rethrowUniqueViolation } from "./unique-violation.ts";

/** The query builders that a pool and a transaction have in common. */
export type Executor = Pick<
	NodePgDatabase<typeof schema>,
	"select" | "insert" | "update" | "delete"
>;

/**
 * Locks the `changes` counter row until the transaction ends. The store
 * calls this first in every transaction, so write transactions run one at
 * a time, in the order they take the lock, as they do on libSQL. Callers
 * read a row and write back a changed copy (revocation, re-signing), which
 * under READ COMMITTED would otherwise lose a concurrent update.
 */
export async function lockChangeSequence(tx: Executor): Promise<void> {
	await tx
		.select({ value: schema.sequences.value })
		.from(schema.sequences)
		.where(eq(schema.sequences.name, "changes"))
		.for("update");
}

/** PostgreSQL implementation of {@link Tx}. */
export class PostgresTx implements Tx {
	readonly #tx: Executor;

	constructor(tx: Executor) {
		this.#tx = tx;
	}

	async insertAgent(row: AgentRow): Promise<void> {
		await rethrowUniqueViolation(() =>
			this.#tx.insert(schema.agents).values(row),
		);
		await writeAgentCapabilities(this.#tx, row.id, row.capabilitiesJson);
	}

	async updateAgent(id: string, update: AgentUpdate): Promise<void> {
		await this.#tx
			.update(schema.agents)
			.set(update)
			.where(eq(schema.agents.id, id));
		if (update.capabilitiesJson !== undefined) {
			await writeAgentCapabilities(this.#tx, id, update.capabilitiesJson);
		}
	}

	async insertCertificate(row: CertificateRow): Promise<void> {
		await rethrowUniqueViolation(() =>
			this.#tx.insert(schema.certificates).values(row),
		);
	}

	async updateCertificate(
		serial: string,
		update: Partial<Pick<CertificateRow, "revokedAt" | "revocationReason">>,
	): Promise<void> {
		await this.#tx
			.update(schema.certificates)
			.set(update)
			.where(eq(schema.certificates.serial, serial));
	}

	/**
	 * Increments the `changes` counter row. The row stays locked until
	 * commit or rollback, so a second writer waits and then reads the
	 * committed value. Sequences are therefore gap-free, because a
	 * rollback undoes the increment, and commit order equals sequence
	 * order. The change feed relies on that when it treats every sequence
	 * up to the head as committed.
	 */
	async nextSeq(): Promise<number> {
		const rows = await this.#tx
			.update(schema.sequences)
			.set({ value: sql`${schema.sequences.value} + 1` })
			.where(eq(schema.sequences.name, "changes"))
			.returning({ value: schema.sequences.value });
		const value = rows[0]?.value;
		if (value === undefined) {
			throw new Error(
				"the changes sequence row is missing; run migrations first",
			);
		}
		return value;
	}

	async appendChange(row: ChangeRow): Promise<void> {
		await rethrowUniqueViolation(() =>
			this.#tx.insert(schema.changes).values(row),
		);
	}

	findAgentById(id: string): Promise<AgentRow | undefined> {
		return findAgentById(this.#tx, id);
	}

	findAgentsByBaseKey(baseKey: string): Promise<AgentRow[]> {
		return findAgentsByBaseKey(this.#tx, baseKey);
	}

	findCertificate(serial: string): Promise<CertificateRow | undefined> {
		return findCertificate(this.#tx, serial);
	}
}

/** Returns the agent with primary key `id`. */
export async function findAgentById(
	db: Executor,
	id: string,
): Promise<AgentRow | undefined> {
	const rows = await db
		.select()
		.from(schema.agents)
		.where(eq(schema.agents.id, id));
	return rows[0] as AgentRow | undefined;
}

/** Returns every version registered under `baseKey`. */
export async function findAgentsByBaseKey(
	db: Executor,
	baseKey: string,
): Promise<AgentRow[]> {
	const rows = await db
		.select()
		.from(schema.agents)
		.where(eq(schema.agents.baseKey, baseKey));
	return rows as AgentRow[];
}

/** Returns the certificate with `serial`. */
export async function findCertificate(
	db: Executor,
	serial: string,
): Promise<CertificateRow | undefined> {
	const rows = await db
		.select()
		.from(schema.certificates)
		.where(eq(schema.certificates.serial, serial));
	return rows[0];
}

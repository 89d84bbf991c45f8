/**
 * {@link Store} on PostgreSQL through drizzle and a node-postgres pool.
 * Tables live in the first schema of the connection's `search_path`
 * (`public` by default), so one database can hold several independent
 * stores, each in its own schema.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { and, asc, eq, gt, isNotNull, isNull, lt, ne, sql } from "drizzle-orm";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { createLogger, type Logger } from "../../logging/logger.ts";
import { fillCertificateKeyHashes } from "../certificate-key-backfill.ts";
import type {
	AgentRow,
	AgentSearch,
	CertificateRow,
	ChangeRow,
	SigningKeyRow,
	Store,
	TokenRow,
	Tx,
} from "../types.ts";
import { searchAgents } from "./agent-search.ts";
import * as schema from "./schema.ts";
import {
	type Executor,
	findAgentById,
	findAgentsByBaseKey,
	findCertificate,
	lockChangeSequence,
	PostgresTx,
} from "./transaction.ts";
import { rethrowUniqueViolation } from "./unique-violation.ts";

const migrationsFolder = fileURLToPath(
	new URL("../../../../drizzle/postgresql", import.meta.url),
);

/** Default size of the connection pool. */
export const DEFAULT_POOL_MAX = 10;

/** Options of {@link openPostgresStore}. */
export interface PostgresStoreOptions {
	/** Maximum number of open connections; {@link DEFAULT_POOL_MAX} when absent. */
	poolMax?: number;
	/** Receives errors of idle pooled connections, for example after a server restart. */
	logger?: Logger;
}

/**
 * Opens a PostgreSQL store for a `postgres://` or `postgresql://` URL.
 * The pool connects on first use, so an unreachable server shows up in
 * {@link PostgresStore.migrate} or {@link PostgresStore.ping}.
 */
export function openPostgresStore(
	url: string,
	options: PostgresStoreOptions = {},
): PostgresStore {
	const pool = new pg.Pool({
		connectionString: url,
		max: options.poolMax ?? DEFAULT_POOL_MAX,
		// An application_name in the URL takes precedence.
		application_name: "ans-control-plane",
	});
	const logger = options.logger ?? createLogger("warn");
	// Without a listener, an idle connection that the server closes would
	// crash the process. The pool drops that connection and opens a new one
	// on the next query.
	pool.on("error", (error) => {
		logger.error({ err: error }, "idle PostgreSQL connection failed");
	});
	return new PostgresStore(pool);
}

/** PostgreSQL implementation of {@link Store}. */
export class PostgresStore implements Store {
	readonly dialect = "postgresql" as const;
	readonly #pool: pg.Pool;
	readonly #db: NodePgDatabase<typeof schema>;

	constructor(pool: pg.Pool) {
		this.#pool = pool;
		this.#db = drizzle(pool, { schema });
	}

	/**
	 * Applies pending migrations in the connection's current schema and
	 * records them there in `__drizzle_migrations`. A session advisory lock
	 * per schema makes control planes that start together migrate one
	 * after the other.
	 */
	async migrate(): Promise<void> {
		const client = await this.#pool.connect();
		try {
			const result = await client.query<{ name: string | null }>(
				"SELECT current_schema() AS name",
			);
			const schemaName = result.rows[0]?.name ?? null;
			if (schemaName === null) {
				throw new Error(
					"the connection's search_path names no existing schema; create the schema, or select one with ?options=-c%20search_path%3D<schema> in the database URL",
				);
			}
			const lockKey = advisoryLockKey(schemaName);
			await client.query("SELECT pg_advisory_lock($1::bigint)", [lockKey]);
			try {
				const db = drizzle(client, { schema });
				await migrate(db, { migrationsFolder, migrationsSchema: schemaName });
				await db
					.insert(schema.sequences)
					.values({ name: "changes", value: 0 })
					.onConflictDoNothing();
				await fillCertificateKeyHashes(certificateKeyAccess(db));
			} finally {
				await client.query("SELECT pg_advisory_unlock($1::bigint)", [lockKey]);
			}
		} finally {
			client.release();
		}
	}

	async ping(): Promise<void> {
		await this.#pool.query("SELECT 1");
	}

	async close(): Promise<void> {
		await this.#pool.end();
	}

	transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
		return this.#db.transaction(async (tx) => {
			await lockChangeSequence(tx);
			return work(new PostgresTx(tx));
		});
	}

	findAgentById(id: string): Promise<AgentRow | undefined> {
		return findAgentById(this.#db, id);
	}

	findAgentsByBaseKey(baseKey: string): Promise<AgentRow[]> {
		return findAgentsByBaseKey(this.#db, baseKey);
	}

	searchAgents(search: AgentSearch): Promise<AgentRow[]> {
		return searchAgents(this.#db, search);
	}

	async findAgentsWithRecordKidOtherThan(
		kid: string,
		limit: number,
	): Promise<AgentRow[]> {
		const rows = await this.#db
			.select()
			.from(schema.agents)
			.where(ne(schema.agents.recordKid, kid))
			.orderBy(asc(schema.agents.recordExpiresAt))
			.limit(limit);
		return rows as AgentRow[];
	}

	async findAgentsWithRecordsExpiringBefore(
		before: number,
		limit: number,
	): Promise<AgentRow[]> {
		const rows = await this.#db
			.select()
			.from(schema.agents)
			.where(lt(schema.agents.recordExpiresAt, before))
			.orderBy(asc(schema.agents.recordExpiresAt))
			.limit(limit);
		return rows as AgentRow[];
	}

	findCertificate(serial: string): Promise<CertificateRow | undefined> {
		return findCertificate(this.#db, serial);
	}

	async findActiveAgentsWithCertificatesExpiringBefore(
		before: number,
		limit: number,
	): Promise<AgentRow[]> {
		const rows = await this.#db
			.select({ agent: schema.agents })
			.from(schema.agents)
			.innerJoin(
				schema.certificates,
				eq(schema.certificates.serial, schema.agents.certificateSerial),
			)
			.where(
				and(
					eq(schema.agents.status, "active"),
					lt(schema.certificates.notAfter, before),
				),
			)
			.orderBy(asc(schema.certificates.notAfter))
			.limit(limit);
		return rows.map((row) => row.agent as AgentRow);
	}

	async recordProofNonce(
		jti: string,
		agentId: string,
		expiresAt: number,
	): Promise<void> {
		await rethrowUniqueViolation(() =>
			this.#db.insert(schema.proofNonces).values({ jti, agentId, expiresAt }),
		);
	}

	async purgeProofNonces(before: number): Promise<number> {
		const deleted = await this.#db
			.delete(schema.proofNonces)
			.where(lt(schema.proofNonces.expiresAt, before))
			.returning({ jti: schema.proofNonces.jti });
		return deleted.length;
	}

	listCertificatesForAgent(agentId: string): Promise<CertificateRow[]> {
		return this.#db
			.select()
			.from(schema.certificates)
			.where(eq(schema.certificates.agentId, agentId))
			.orderBy(asc(schema.certificates.createdAt));
	}

	listCertificatesByPublicKey(
		publicKeySha256: string,
	): Promise<CertificateRow[]> {
		return this.#db
			.select()
			.from(schema.certificates)
			.where(eq(schema.certificates.publicKeySha256, publicKeySha256))
			.orderBy(asc(schema.certificates.createdAt));
	}

	listRevokedCertificates(issuerId: string): Promise<CertificateRow[]> {
		return this.#db
			.select()
			.from(schema.certificates)
			.where(
				and(
					eq(schema.certificates.issuerId, issuerId),
					isNotNull(schema.certificates.revokedAt),
				),
			)
			.orderBy(asc(schema.certificates.revokedAt));
	}

	/** Increments the number in one upsert, whose row lock makes concurrent callers take turns. */
	async nextCrlNumber(issuerId: string, now: number): Promise<number> {
		const rows = await this.#db
			.insert(schema.crlNumbers)
			.values({ issuerId, lastNumber: 1, updatedAt: now })
			.onConflictDoUpdate({
				target: schema.crlNumbers.issuerId,
				set: {
					lastNumber: sql`${schema.crlNumbers.lastNumber} + 1`,
					updatedAt: now,
				},
			})
			.returning({ lastNumber: schema.crlNumbers.lastNumber });
		const value = rows[0]?.lastNumber;
		if (value === undefined) {
			throw new Error(`the CRL number of issuer ${issuerId} was not returned`);
		}
		return value;
	}

	listChanges(after: number, limit: number): Promise<ChangeRow[]> {
		return this.#db
			.select()
			.from(schema.changes)
			.where(gt(schema.changes.seq, after))
			.orderBy(asc(schema.changes.seq))
			.limit(limit);
	}

	async headSeq(): Promise<number> {
		// node-postgres returns bigint aggregates as strings.
		const rows = await this.#db
			.select({ head: sql<string | null>`max(${schema.changes.seq})` })
			.from(schema.changes);
		return Number(rows[0]?.head ?? 0);
	}

	async insertToken(row: TokenRow): Promise<void> {
		await rethrowUniqueViolation(() =>
			this.#db.insert(schema.tokens).values(row),
		);
	}

	async findTokenByHash(hash: string): Promise<TokenRow | undefined> {
		const rows = await this.#db
			.select()
			.from(schema.tokens)
			.where(eq(schema.tokens.hash, hash));
		return rows[0];
	}

	listTokens(): Promise<TokenRow[]> {
		return this.#db
			.select()
			.from(schema.tokens)
			.orderBy(asc(schema.tokens.createdAt), asc(schema.tokens.id));
	}

	async revokeToken(id: string, now: number): Promise<TokenRow | undefined> {
		const rows = await this.#db
			.update(schema.tokens)
			.set({ revokedAt: sql`coalesce(${schema.tokens.revokedAt}, ${now})` })
			.where(eq(schema.tokens.id, id))
			.returning();
		return rows[0];
	}

	async listSigningKeys(): Promise<SigningKeyRow[]> {
		const rows = await this.#db
			.select()
			.from(schema.signingKeys)
			.orderBy(asc(schema.signingKeys.createdAt));
		return rows as SigningKeyRow[];
	}

	async insertSigningKey(row: SigningKeyRow): Promise<void> {
		await this.#db.insert(schema.signingKeys).values(row);
	}

	async updateSigningKey(
		kid: string,
		update: Partial<Omit<SigningKeyRow, "kid">>,
	): Promise<void> {
		await this.#db
			.update(schema.signingKeys)
			.set(update)
			.where(eq(schema.signingKeys.kid, kid));
	}
}

function certificateKeyAccess(db: Executor) {
	return {
		readMissing: (after: string, limit: number) =>
			db
				.select({
					serial: schema.certificates.serial,
					pem: schema.certificates.pem,
				})
				.from(schema.certificates)
				.where(
					and(
						isNull(schema.certificates.publicKeySha256),
						gt(schema.certificates.serial, after),
					),
				)
				.orderBy(asc(schema.certificates.serial))
				.limit(limit),
		write: async (serial: string, publicKeySha256: string) => {
			await db
				.update(schema.certificates)
				.set({ publicKeySha256 })
				.where(eq(schema.certificates.serial, serial));
		},
	};
}

/** Derives a signed 64-bit advisory lock key from the schema name. */
function advisoryLockKey(schemaName: string): string {
	const digest = createHash("sha256")
		.update(`ans-control-plane migrate ${schemaName}`)
		.digest();
	return digest.readBigInt64BE(0).toString();
}

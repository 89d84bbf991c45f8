/**
 * {@link Store} on libSQL through drizzle: an embedded SQLite file by
 * default, or any libSQL URL (sqld, Turso).
 *
 * @module
 */
import { chmodSync, closeSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { type Client, createClient } from "@libsql/client";
import { and, asc, eq, gt, isNotNull, isNull, lt, ne, sql } from "drizzle-orm";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import { fillCertificateKeyHashes } from "../certificate-key-backfill.ts";
import { Mutex } from "../mutex.ts";
import {
	type AgentRow,
	type AgentSearch,
	type AgentUpdate,
	type CertificateRow,
	type ChangeRow,
	type SigningKeyRow,
	type Store,
	type TokenRow,
	type Tx,
	UniqueViolationError,
} from "../types.ts";
import { searchAgents, writeAgentCapabilities } from "./agent-search.ts";
import * as schema from "./schema.ts";

const migrationsFolder = fileURLToPath(
	new URL("../../../../drizzle/sqlite", import.meta.url),
);

type Db = LibSQLDatabase<typeof schema>;
type Executor = Pick<Db, "select" | "insert" | "update" | "delete">;

/**
 * Opens a libSQL store. For a `file:` URL the directory is created with
 * mode 0700 and the database file is made 0600, because it contains token
 * hashes and the change log.
 */
export function openSqliteStore(url: string): SqliteStore {
	const path = url.startsWith("file:")
		? (url.slice("file:".length).split("?")[0] ?? "")
		: "";
	const isFile = path !== "" && path !== ":memory:";
	if (isFile) {
		mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
		// Created here so that libSQL opens a file that already has the right mode.
		closeSync(openSync(path, "a", 0o600));
		chmodSync(path, 0o600);
	}
	return new SqliteStore(createClient({ url }));
}

/** libSQL implementation of {@link Store}. */
export class SqliteStore implements Store {
	readonly dialect = "sqlite" as const;
	readonly #client: Client;
	readonly #db: Db;
	readonly #writeLock = new Mutex();

	constructor(client: Client) {
		this.#client = client;
		this.#db = drizzle(client, { schema });
	}

	async migrate(): Promise<void> {
		// WAL lets readers proceed while a write transaction is open.
		await this.#client.execute("PRAGMA journal_mode = WAL");
		await this.#client.execute("PRAGMA busy_timeout = 5000");
		await migrate(this.#db, { migrationsFolder });
		await this.#db
			.insert(schema.sequences)
			.values({ name: "changes", value: 0 })
			.onConflictDoNothing();
		await fillCertificateKeyHashes(certificateKeyAccess(this.#db));
	}

	async ping(): Promise<void> {
		await this.#client.execute("SELECT 1");
	}

	async close(): Promise<void> {
		this.#client.close();
	}

	transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
		return this.#writeLock.run(() =>
			this.#db.transaction(async (tx) =>
				work(new SqliteTx(tx as unknown as Executor)),
			),
		);
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
		await insertOrConflict(
			() =>
				this.#db.insert(schema.proofNonces).values({ jti, agentId, expiresAt }),
			"proof_nonces.jti",
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

	nextCrlNumber(issuerId: string, now: number): Promise<number> {
		return this.#writeLock.run(async () => {
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
				throw new Error(
					`the CRL number of issuer ${issuerId} was not returned`,
				);
			}
			return value;
		});
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
		const rows = await this.#db
			.select({ head: sql<number | null>`max(${schema.changes.seq})` })
			.from(schema.changes);
		return Number(rows[0]?.head ?? 0);
	}

	async insertToken(row: TokenRow): Promise<void> {
		await insertOrConflict(
			() => this.#db.insert(schema.tokens).values(row),
			"tokens.hash",
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

class SqliteTx implements Tx {
	readonly #tx: Executor;

	constructor(tx: Executor) {
		this.#tx = tx;
	}

	async insertAgent(row: AgentRow): Promise<void> {
		await insertOrConflict(
			() => this.#tx.insert(schema.agents).values(row),
			"agents.base_key_version",
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
		await insertOrConflict(
			() => this.#tx.insert(schema.certificates).values(row),
			"certificates.serial",
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
		await this.#tx.insert(schema.changes).values(row);
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

async function findAgentById(
	db: Executor,
	id: string,
): Promise<AgentRow | undefined> {
	const rows = await db
		.select()
		.from(schema.agents)
		.where(eq(schema.agents.id, id));
	return rows[0] as AgentRow | undefined;
}

async function findAgentsByBaseKey(
	db: Executor,
	baseKey: string,
): Promise<AgentRow[]> {
	const rows = await db
		.select()
		.from(schema.agents)
		.where(eq(schema.agents.baseKey, baseKey));
	return rows as AgentRow[];
}

async function findCertificate(
	db: Executor,
	serial: string,
): Promise<CertificateRow | undefined> {
	const rows = await db
		.select()
		.from(schema.certificates)
		.where(eq(schema.certificates.serial, serial));
	return rows[0];
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

async function insertOrConflict(
	insert: () => Promise<unknown>,
	constraint: string,
): Promise<void> {
	try {
		await insert();
	} catch (error) {
		if (isUniqueViolation(error)) {
			throw new UniqueViolationError(constraint, { cause: error });
		}
		throw error;
	}
}

function isUniqueViolation(error: unknown): boolean {
	for (let current = error; current instanceof Error; current = current.cause) {
		if (
			/UNIQUE constraint failed|SQLITE_CONSTRAINT_(UNIQUE|PRIMARYKEY)/.test(
				current.message,
			)
		) {
			return true;
		}
		const code = (current as { code?: unknown }).code;
		if (
			code === "SQLITE_CONSTRAINT_UNIQUE" ||
			code === "SQLITE_CONSTRAINT_PRIMARYKEY"
		) {
			return true;
		}
	}
	return false;
}

/**
 * Dialect-neutral rows and the storage interface. Callers depend on
 * {@link Store} only, so a PostgreSQL implementation can sit beside the
 * libSQL one without touching them.
 *
 * @module
 */

/** A registered agent version as stored. */
export interface AgentRow {
	id: string;
	baseKey: string;
	version: string;
	name: string;
	displayName: string;
	protocol: string;
	agentLabel: string;
	capability: string;
	provider: string;
	extension: string | null;
	status: string;
	endpointsJson: string;
	metadataJson: string;
	metadataDigest: string;
	certificateSerial: string;
	recordJws: string;
	recordKid: string;
	recordExpiresAt: number;
	seq: number;
	createdAt: number;
	updatedAt: number;
	/** Description from the protocol metadata; "" when it has none. */
	description: string;
	/** JSON array: the name's capability label, then the protocol adapter's capabilities. */
	capabilitiesJson: string;
	/** Names that full-text search matches. */
	searchNames: string;
	/** Skill text that full-text search matches. */
	searchSkills: string;
}

/** Sort key of an agent in discovery order; a page continues after it. */
export interface AgentSearchAfter {
	createdAt: number;
	id: string;
}

/**
 * A discovery query. Absent filters match every agent. Results come in
 * ascending (createdAt, id) order, which never changes for a stored
 * agent, so paging with `after` neither skips nor repeats agents while
 * others are registered.
 */
export interface AgentSearch {
	/** Protocol id, compared ignoring case. */
	protocol?: string;
	/** Matches the name's capability label or any adapter capability, ignoring case. */
	capability?: string;
	/** Matches the name's provider label, ignoring case. */
	provider?: string;
	status?: string;
	/**
	 * Lowercase words of letters and digits. An agent matches when every
	 * word starts a word of its names, description or skills.
	 *
	 * NOTE: on PostgreSQL the same contract maps to a generated tsvector
	 * column over search_names, description and search_skills with the
	 * 'simple' configuration and a GIN index, queried with
	 * to_tsquery('simple', 'word1:* & word2:*'). It folds diacritics by
	 * NFD and dropping combining marks, so it also folds non-Latin ones
	 * (Greek tonos) that the SQLite tokenizer keeps.
	 */
	terms?: string[];
	/** Return only agents that sort after this key. */
	after?: AgentSearchAfter;
	limit: number;
}

/** A certificate issued to an agent. */
export interface CertificateRow {
	serial: string;
	agentId: string;
	issuerId: string;
	sha256: string;
	/**
	 * SHA-256 hex of the certified key's canonical SubjectPublicKeyInfo.
	 * Null only for a row written before the column existed whose PEM
	 * {@link Store.migrate} could not parse.
	 */
	publicKeySha256: string | null;
	pem: string;
	notBefore: number;
	notAfter: number;
	revokedAt: number | null;
	revocationReason: string | null;
	createdAt: number;
}

/** One entry of the change log (outbox). */
export interface ChangeRow {
	seq: number;
	type: string;
	agentId: string;
	baseKey: string;
	payloadJson: string;
	createdAt: number;
}

/** An API token; `hash` is the SHA-256 hex of the secret. */
export interface TokenRow {
	id: string;
	hash: string;
	scopes: string;
	label: string | null;
	createdAt: number;
	expiresAt: number | null;
	revokedAt: number | null;
}

/** A registry JWS signing key's public half and lifecycle. */
export interface SigningKeyRow {
	kid: string;
	alg: string;
	publicJwkJson: string;
	status: "published" | "active" | "retired";
	createdAt: number;
	activatedAt: number | null;
	/** For a published key: when it may start signing, epoch ms. */
	activateAfter: number | null;
	retiredAt: number | null;
}

/** Fields of an agent that a change may set. */
export type AgentUpdate = Partial<
	Omit<AgentRow, "id" | "baseKey" | "version" | "createdAt">
>;

/**
 * Operations inside one database transaction. Everything written through
 * one `Tx` commits together or not at all.
 */
export interface Tx {
	/** Inserts an agent and indexes its capabilities. */
	insertAgent(row: AgentRow): Promise<void>;
	/** Updates an agent; a new `capabilitiesJson` also replaces its capability index. */
	updateAgent(id: string, update: AgentUpdate): Promise<void>;
	insertCertificate(row: CertificateRow): Promise<void>;
	updateCertificate(
		serial: string,
		update: Partial<Pick<CertificateRow, "revokedAt" | "revocationReason">>,
	): Promise<void>;
	/** Takes the next change sequence; the counter row lock orders writers. */
	nextSeq(): Promise<number>;
	appendChange(row: ChangeRow): Promise<void>;
	findAgentById(id: string): Promise<AgentRow | undefined>;
	findAgentsByBaseKey(baseKey: string): Promise<AgentRow[]>;
	findCertificate(serial: string): Promise<CertificateRow | undefined>;
}

/** The primary database. */
export interface Store {
	readonly dialect: "sqlite" | "postgresql";
	/**
	 * Applies pending migrations, then fills `publicKeySha256` of
	 * certificate rows that lack it from their PEM. SQL cannot parse a
	 * certificate, so the migration that added the column leaves it null.
	 */
	migrate(): Promise<void>;
	/** Runs a trivial query; throws when the database is unreachable. */
	ping(): Promise<void>;
	close(): Promise<void>;
	transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;

	findAgentById(id: string): Promise<AgentRow | undefined>;
	findAgentsByBaseKey(baseKey: string): Promise<AgentRow[]>;
	/** Agents that match every filter of `search`, in discovery order, at most `search.limit`. */
	searchAgents(search: AgentSearch): Promise<AgentRow[]>;
	/** Agents whose record was signed by a key other than `kid`. */
	findAgentsWithRecordKidOtherThan(
		kid: string,
		limit: number,
	): Promise<AgentRow[]>;
	/** Agents whose record expires before `before`, oldest first. */
	findAgentsWithRecordsExpiringBefore(
		before: number,
		limit: number,
	): Promise<AgentRow[]>;
	findCertificate(serial: string): Promise<CertificateRow | undefined>;
	/** Active agents whose current certificate's notAfter is before `before`. */
	findActiveAgentsWithCertificatesExpiringBefore(
		before: number,
		limit: number,
	): Promise<AgentRow[]>;
	listCertificatesForAgent(agentId: string): Promise<CertificateRow[]>;
	/** Certificates of every agent whose `publicKeySha256` is the given hash, oldest first. */
	listCertificatesByPublicKey(
		publicKeySha256: string,
	): Promise<CertificateRow[]>;
	listRevokedCertificates(issuerId: string): Promise<CertificateRow[]>;
	/**
	 * Increments and returns the CRL number of intermediate `issuerId`,
	 * starting at 1. Numbers of one issuer never repeat or decrease.
	 */
	nextCrlNumber(issuerId: string, now: number): Promise<number>;

	/** Changes with `seq > after`, ascending, at most `limit`. */
	listChanges(after: number, limit: number): Promise<ChangeRow[]>;
	/** Highest committed change sequence, 0 when none. */
	headSeq(): Promise<number>;

	/**
	 * Records a proof-of-possession `jti`; throws {@link UniqueViolationError}
	 * when it was recorded before (a replay).
	 */
	recordProofNonce(
		jti: string,
		agentId: string,
		expiresAt: number,
	): Promise<void>;
	/** Deletes proof nonces that expired before `before`; returns how many. */
	purgeProofNonces(before: number): Promise<number>;

	insertToken(row: TokenRow): Promise<void>;
	findTokenByHash(hash: string): Promise<TokenRow | undefined>;
	/** Every token, revoked and expired ones included, oldest first. */
	listTokens(): Promise<TokenRow[]>;
	/**
	 * Sets `revokedAt` of token `id` to `now` unless it is already set, so a
	 * second revocation keeps the first time. Returns the row as stored
	 * afterwards, or undefined when no token has that id.
	 */
	revokeToken(id: string, now: number): Promise<TokenRow | undefined>;

	listSigningKeys(): Promise<SigningKeyRow[]>;
	insertSigningKey(row: SigningKeyRow): Promise<void>;
	updateSigningKey(
		kid: string,
		update: Partial<Omit<SigningKeyRow, "kid">>,
	): Promise<void>;
}

/** A write hit a unique constraint; `constraint` names the index or column. */
export class UniqueViolationError extends Error {
	readonly constraint: string;

	constructor(constraint: string, options?: { cause?: unknown }) {
		super(`unique constraint violated: ${constraint}`, options);
		this.name = "UniqueViolationError";
		this.constraint = constraint;
	}
}

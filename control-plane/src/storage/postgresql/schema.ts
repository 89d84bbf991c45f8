/**
 * PostgreSQL schema of the primary database. It mirrors the SQLite schema
 * table for table and column for column, so both dialects store the same
 * values. Integers are `bigint` (SQLite integers are 64-bit) read as JS
 * numbers, times are epoch milliseconds, and JSON columns are `text`
 * holding the exact JSON.stringify output.
 *
 * Text columns use the "C" collation, so PostgreSQL compares and sorts
 * text by code point as SQLite's default BINARY collation does, whatever
 * the database's default collation is. Discovery order and the copy
 * tool's key order are then the same in both dialects.
 *
 * The full-text column `agents.search_vector` is not declared here. The
 * `search` migration adds it as a generated column, so drizzle never
 * selects or writes it.
 *
 * @module
 */

import { sql } from "drizzle-orm";
import {
	bigint,
	customType,
	index,
	pgTable,
	primaryKey,
	uniqueIndex,
} from "drizzle-orm/pg-core";

/** `text COLLATE "C"`: text compared byte by byte, as SQLite compares it. */
const text = customType<{ data: string; driverData: string }>({
	dataType() {
		return 'text COLLATE "C"';
	},
});

/** One registered agent version. A name and version, once used, stay reserved. */
export const agents = pgTable(
	"agents",
	{
		id: text("id").primaryKey(),
		/** Canonical version-less name, the identity shared by all versions. */
		baseKey: text("base_key").notNull(),
		/** Canonical semver of this version. */
		version: text("version").notNull(),
		name: text("name").notNull(),
		displayName: text("display_name").notNull(),
		protocol: text("protocol").notNull(),
		agentLabel: text("agent_label").notNull(),
		capability: text("capability").notNull(),
		provider: text("provider").notNull(),
		extension: text("extension"),
		status: text("status").notNull(),
		endpointsJson: text("endpoints_json").notNull(),
		metadataJson: text("metadata_json").notNull(),
		metadataDigest: text("metadata_digest").notNull(),
		certificateSerial: text("certificate_serial").notNull(),
		recordJws: text("record_jws").notNull(),
		recordKid: text("record_kid").notNull(),
		recordExpiresAt: bigint("record_expires_at", { mode: "number" }).notNull(),
		/** Change sequence of the last change to this agent. */
		seq: bigint("seq", { mode: "number" }).notNull(),
		createdAt: bigint("created_at", { mode: "number" }).notNull(),
		updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
		/** Description from the protocol metadata; empty when it has none. */
		description: text("description").notNull().default(""),
		/** JSON array: the name's capability label, then the protocol adapter's capabilities. */
		capabilitiesJson: text("capabilities_json").notNull().default("[]"),
		/** Names that full-text search matches. */
		searchNames: text("search_names").notNull().default(""),
		/** Skill text that full-text search matches. */
		searchSkills: text("search_skills").notNull().default(""),
	},
	(table) => [
		uniqueIndex("agents_base_key_version_unique").on(
			table.baseKey,
			table.version,
		),
		index("agents_record_expires_at_idx").on(table.recordExpiresAt),
		// Discovery pages walk agents in (created_at, id) order.
		index("agents_created_at_id_idx").on(table.createdAt, table.id),
		// Discovery's provider filter compares lower(provider) and pages by (created_at, id).
		index("agents_provider_lower_idx").on(
			sql`lower(${table.provider})`,
			table.createdAt,
			table.id,
		),
		index("agents_protocol_status_idx").on(
			table.protocol,
			table.status,
			table.createdAt,
			table.id,
		),
	],
);

/**
 * The capabilities of each agent (the rows of `agents.capabilities_json`),
 * lowercased so that discovery filters compare them case-insensitively.
 */
export const agentCapabilities = pgTable(
	"agent_capabilities",
	{
		agentId: text("agent_id")
			.notNull()
			.references(() => agents.id),
		capability: text("capability").notNull(),
	},
	(table) => [primaryKey({ columns: [table.capability, table.agentId] })],
);

/** Every certificate the CA issued to an agent, current or not. */
export const certificates = pgTable(
	"certificates",
	{
		/** Lowercase hex serial. */
		serial: text("serial").primaryKey(),
		agentId: text("agent_id")
			.notNull()
			.references(() => agents.id),
		issuerId: text("issuer_id").notNull(),
		sha256: text("sha256").notNull(),
		/**
		 * SHA-256 hex of the certified key's canonical SubjectPublicKeyInfo,
		 * which finds every certificate of a key reported compromised. Rows
		 * from before this column are filled at start-up from `pem`.
		 */
		publicKeySha256: text("public_key_sha256"),
		pem: text("pem").notNull(),
		notBefore: bigint("not_before", { mode: "number" }).notNull(),
		notAfter: bigint("not_after", { mode: "number" }).notNull(),
		revokedAt: bigint("revoked_at", { mode: "number" }),
		revocationReason: text("revocation_reason"),
		createdAt: bigint("created_at", { mode: "number" }).notNull(),
	},
	(table) => [
		index("certificates_agent_id_idx").on(table.agentId),
		index("certificates_public_key_sha256_idx").on(table.publicKeySha256),
	],
);

/**
 * The outbox: one row per committed change, written in the same
 * transaction as the change itself. `seq` comes from the `sequences`
 * counter, so it is gap-free and in commit order.
 */
export const changes = pgTable(
	"changes",
	{
		seq: bigint("seq", { mode: "number" }).primaryKey(),
		type: text("type").notNull(),
		agentId: text("agent_id").notNull(),
		baseKey: text("base_key").notNull(),
		/** The event as edges receive it: record, certificate, chain, status. */
		payloadJson: text("payload_json").notNull(),
		createdAt: bigint("created_at", { mode: "number" }).notNull(),
	},
	(table) => [index("changes_agent_id_idx").on(table.agentId)],
);

/** Named counters; `changes` is the change-log sequence. */
export const sequences = pgTable("sequences", {
	name: text("name").primaryKey(),
	value: bigint("value", { mode: "number" }).notNull(),
});

/** API tokens. Only the SHA-256 of a token is stored. */
export const tokens = pgTable("tokens", {
	id: text("id").primaryKey(),
	hash: text("hash").notNull().unique(),
	/** Space-separated scopes, for example "register". */
	scopes: text("scopes").notNull(),
	label: text("label"),
	createdAt: bigint("created_at", { mode: "number" }).notNull(),
	expiresAt: bigint("expires_at", { mode: "number" }),
	revokedAt: bigint("revoked_at", { mode: "number" }),
});

/** Registry JWS signing keys; the private halves live in the key store. */
export const signingKeys = pgTable("signing_keys", {
	kid: text("kid").primaryKey(),
	alg: text("alg").notNull(),
	publicJwkJson: text("public_jwk_json").notNull(),
	/** published (in the JWKS, not signing yet), active (signing), retired. */
	status: text("status").notNull(),
	createdAt: bigint("created_at", { mode: "number" }).notNull(),
	activatedAt: bigint("activated_at", { mode: "number" }),
	/** For a published key: when it may start signing. */
	activateAfter: bigint("activate_after", { mode: "number" }),
	retiredAt: bigint("retired_at", { mode: "number" }),
});

/**
 * Single-use ids (`jti`) of accepted proof-of-possession JWSs, kept until
 * the proof would have expired anyway, so a replayed proof is rejected.
 */
export const proofNonces = pgTable(
	"proof_nonces",
	{
		jti: text("jti").primaryKey(),
		agentId: text("agent_id").notNull(),
		expiresAt: bigint("expires_at", { mode: "number" }).notNull(),
	},
	(table) => [index("proof_nonces_expires_at_idx").on(table.expiresAt)],
);

/**
 * The last CRL number issued per intermediate CA. RFC 5280 (5.2.3) requires
 * CRL numbers of one issuer to increase, also across restarts.
 */
export const crlNumbers = pgTable("crl_numbers", {
	/** Intermediate id, as in `certificates.issuer_id`. */
	issuerId: text("issuer_id").primaryKey(),
	lastNumber: bigint("last_number", { mode: "number" }).notNull(),
	updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
});

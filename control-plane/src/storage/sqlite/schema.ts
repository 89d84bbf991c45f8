/**
 * SQLite (libSQL) schema of the primary database. Times are epoch
 * milliseconds unless a column name says otherwise; JSON columns hold
 * text produced by JSON.stringify.
 *
 * @module
 */

import { sql } from "drizzle-orm";
import {
	index,
	integer,
	primaryKey,
	sqliteTable,
	text,
	uniqueIndex,
} from "drizzle-orm/sqlite-core";

/** One registered agent version. A name and version, once used, stay reserved. */
export const agents = sqliteTable(
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
		recordExpiresAt: integer("record_expires_at").notNull(),
		/** Change sequence of the last change to this agent. */
		seq: integer("seq").notNull(),
		createdAt: integer("created_at").notNull(),
		updatedAt: integer("updated_at").notNull(),
		/** Description from the protocol metadata; empty when it has none. */
		description: text("description").notNull().default(""),
		/** JSON array: the name's capability label, then the protocol adapter's capabilities. */
		capabilitiesJson: text("capabilities_json").notNull().default("[]"),
		/** Names that full-text search matches (the `name` column of `agents_fts`). */
		searchNames: text("search_names").notNull().default(""),
		/** Skill text that full-text search matches (the `skills` column of `agents_fts`). */
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
export const agentCapabilities = sqliteTable(
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
export const certificates = sqliteTable(
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
		notBefore: integer("not_before").notNull(),
		notAfter: integer("not_after").notNull(),
		revokedAt: integer("revoked_at"),
		revocationReason: text("revocation_reason"),
		createdAt: integer("created_at").notNull(),
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
export const changes = sqliteTable(
	"changes",
	{
		seq: integer("seq").primaryKey(),
		type: text("type").notNull(),
		agentId: text("agent_id").notNull(),
		baseKey: text("base_key").notNull(),
		/** The event as edges receive it: record, certificate, chain, status. */
		payloadJson: text("payload_json").notNull(),
		createdAt: integer("created_at").notNull(),
	},
	(table) => [index("changes_agent_id_idx").on(table.agentId)],
);

/** Named counters; `changes` is the change-log sequence. */
export const sequences = sqliteTable("sequences", {
	name: text("name").primaryKey(),
	value: integer("value").notNull(),
});

/** API tokens. Only the SHA-256 of a token is stored. */
export const tokens = sqliteTable("tokens", {
	id: text("id").primaryKey(),
	hash: text("hash").notNull().unique(),
	/** Space-separated scopes, for example "register". */
	scopes: text("scopes").notNull(),
	label: text("label"),
	createdAt: integer("created_at").notNull(),
	expiresAt: integer("expires_at"),
	revokedAt: integer("revoked_at"),
});

/** Registry JWS signing keys; the private halves live in the key store. */
export const signingKeys = sqliteTable("signing_keys", {
	kid: text("kid").primaryKey(),
	alg: text("alg").notNull(),
	publicJwkJson: text("public_jwk_json").notNull(),
	/** published (in the JWKS, not signing yet), active (signing), retired. */
	status: text("status").notNull(),
	createdAt: integer("created_at").notNull(),
	activatedAt: integer("activated_at"),
	/** For a published key: when it may start signing. */
	activateAfter: integer("activate_after"),
	retiredAt: integer("retired_at"),
});

/**
 * Single-use ids (`jti`) of accepted proof-of-possession JWSs, kept until
 * the proof would have expired anyway, so a replayed proof is rejected.
 */
export const proofNonces = sqliteTable(
	"proof_nonces",
	{
		jti: text("jti").primaryKey(),
		agentId: text("agent_id").notNull(),
		expiresAt: integer("expires_at").notNull(),
	},
	(table) => [index("proof_nonces_expires_at_idx").on(table.expiresAt)],
);

/**
 * The last CRL number issued per intermediate CA. RFC 5280 (5.2.3) requires
 * CRL numbers of one issuer to increase, also across restarts.
 */
export const crlNumbers = sqliteTable("crl_numbers", {
	/** Intermediate id, as in `certificates.issuer_id`. */
	issuerId: text("issuer_id").primaryKey(),
	lastNumber: integer("last_number").notNull(),
	updatedAt: integer("updated_at").notNull(),
});

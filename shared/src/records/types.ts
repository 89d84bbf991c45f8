/**
 * Types and constants of signed endpoint records: a compact JWS whose payload
 * is the UTF-8 JSON {@link EndpointRecordPayload}.
 *
 * @module
 */

/** Value of the JWS protected header `typ` of every endpoint record. */
export const RECORD_JWS_TYPE = "ans-record+jws";

/** Value of the payload `typ` member of every endpoint record. */
export const RECORD_PAYLOAD_TYPE = "ans-endpoint-record";

/**
 * JWS algorithms that records may be signed with. `none` and the HMAC
 * algorithms are excluded because a verifier holds only public keys.
 */
export const RECORD_ALGORITHMS = ["ES256", "ES384", "EdDSA"] as const;

/** A JWS algorithm allowed for records. */
export type RecordAlgorithm = (typeof RECORD_ALGORITHMS)[number];

/** Algorithm used when the signer names none. */
export const DEFAULT_RECORD_ALGORITHM: RecordAlgorithm = "ES256";

/** Reports whether a JWS `alg` value is in {@link RECORD_ALGORITHMS}. */
export function isRecordAlgorithm(value: unknown): value is RecordAlgorithm {
	return (
		typeof value === "string" &&
		(RECORD_ALGORITHMS as readonly string[]).includes(value)
	);
}

/** Lifecycle states of a registered agent version. */
export const AGENT_STATUSES = [
	"active",
	"revoked",
	"deregistered",
	"expired",
] as const;

/** Lifecycle state of a registered agent version. */
export type AgentStatus = (typeof AGENT_STATUSES)[number];

/**
 * One way to reach the agent. Members other than the named ones are kept as
 * they are, because later record versions add package locators here.
 */
export interface RecordEndpoint {
	protocol: string;
	url: string;
	transport?: string;
	[extra: string]: unknown;
}

/** Binding between a record and the agent's X.509 certificate. */
export interface RecordCertificate {
	/**
	 * Serial number as lowercase hex with an even number of digits. At most one
	 * leading `00` pair is allowed, the DER sign byte.
	 */
	serial: string;
	/** SHA-256 of the certificate DER, lowercase hex. */
	sha256: string;
	/** End of the certificate's validity, in epoch seconds. */
	notAfter: number;
}

/** Reason and time of a revocation, carried by tombstone records. */
export interface RecordRevocation {
	reason: string;
	/** Epoch seconds. */
	revokedAt: number;
}

/** Payload of a signed endpoint record. */
export interface EndpointRecordPayload {
	typ: typeof RECORD_PAYLOAD_TYPE;
	ver: 1;
	/** Registry issuer id, which is the registry's public base URL. */
	iss: string;
	/** Opaque agent id, for example `agt_…`. */
	sub: string;
	/** Canonical ANS name: lowercase, with the full three-part version. */
	name: string;
	/** ANS name as registered, in display case. */
	displayName: string;
	protocol: string;
	/** Canonical semver version of this agent version. */
	version: string;
	endpoints: RecordEndpoint[];
	status: AgentStatus;
	certificate: RecordCertificate;
	/** `sha-256:<lowercase hex>` of the canonical JSON of the protocol metadata. */
	metadataDigest: string;
	/** Registry change sequence number that produced this record. */
	seq: number;
	/** Present on tombstones (records whose status is not `active`). */
	revocation?: RecordRevocation;
	/** Issue time in epoch seconds. */
	iat: number;
	/** Expiry time in epoch seconds, bounded by the signer's validity window. */
	exp: number;
}

/** Payload fields that the signer fills in: {@link EndpointRecordPayload} without `iat` and `exp`. */
export type UnsignedRecordPayload = Omit<EndpointRecordPayload, "iat" | "exp">;

/** Protected header of a record JWS, as decoded and before any check. */
export interface RecordHeader {
	alg: string;
	kid: string;
	typ: string;
}

/**
 * Publishing an agent version: sign its endpoint record and append the
 * change event, inside the caller's transaction so the record, the row and
 * the change-log entry commit together.
 *
 * @module
 */
import type { ChangeEvent, ChangeType } from "@ans/shared/change-feed";
import type {
	AgentStatus,
	EndpointRecordPayload,
	RecordEndpoint,
} from "@ans/shared/records";
import type { AgentRow, CertificateRow, Tx } from "../storage/types.ts";

/** Signs endpoint records with the registry's active key. */
export interface RecordSigner {
	sign(
		payload: Omit<EndpointRecordPayload, "iat" | "exp">,
		now: number,
	): Promise<{ jws: string; kid: string; expiresAt: number }>;
}

/** Dependencies of publishing besides the transaction. */
export interface PublishContext {
	signer: RecordSigner;
	issuer: string;
	/** Issuer chain PEMs for a certificate's issuing CA, intermediate first. */
	chainFor(issuerId: string): string[];
}

/**
 * Signs a fresh record for `agent` (its current status, endpoints and
 * certificate), stores it on the row and appends the change event.
 * Returns the updated row and the event.
 */
export async function publishAgent(
	tx: Tx,
	context: PublishContext,
	input: {
		agent: AgentRow;
		certificate: CertificateRow;
		type: ChangeType;
		now: number;
		revocation?: { reason: string; revokedAt: number };
	},
): Promise<{ agent: AgentRow; event: ChangeEvent }> {
	const { agent, certificate, now } = input;
	const seq = await tx.nextSeq();
	const payload: Omit<EndpointRecordPayload, "iat" | "exp"> = {
		typ: "ans-endpoint-record",
		ver: 1,
		iss: context.issuer,
		sub: agent.id,
		name: agent.name,
		displayName: agent.displayName,
		protocol: agent.protocol,
		version: agent.version,
		endpoints: JSON.parse(agent.endpointsJson) as RecordEndpoint[],
		status: agent.status as AgentStatus,
		certificate: {
			serial: certificate.serial,
			sha256: certificate.sha256,
			notAfter: Math.floor(certificate.notAfter / 1000),
		},
		metadataDigest: agent.metadataDigest,
		seq,
	};
	if (input.revocation !== undefined) {
		payload.revocation = {
			reason: input.revocation.reason,
			revokedAt: Math.floor(input.revocation.revokedAt / 1000),
		};
	}
	const signed = await context.signer.sign(payload, now);

	const updated: AgentRow = {
		...agent,
		recordJws: signed.jws,
		recordKid: signed.kid,
		recordExpiresAt: signed.expiresAt,
		seq,
		updatedAt: now,
	};
	const event: ChangeEvent = {
		seq,
		type: input.type,
		agentId: agent.id,
		baseKey: agent.baseKey,
		name: agent.name,
		version: agent.version,
		status: agent.status,
		record: signed.jws,
		certificate: certificate.pem,
		chain: context.chainFor(certificate.issuerId),
		at: now,
	};
	await tx.appendChange({
		seq,
		type: input.type,
		agentId: agent.id,
		baseKey: agent.baseKey,
		payloadJson: JSON.stringify(event),
		createdAt: now,
	});
	return { agent: updated, event };
}

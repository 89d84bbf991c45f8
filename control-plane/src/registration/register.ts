/**
 * The registration authority: validates a registration and its protocol
 * metadata, has the CA issue the agent certificate and publishes the first
 * signed record.
 *
 * @module
 */
import { randomUUID } from "node:crypto";
import type { ChangeEvent } from "@ans/shared/change-feed";
import { AnsError } from "@ans/shared/errors";
import {
	formatBaseName,
	formatDisplayName,
	formatName,
	parseName,
} from "@ans/shared/names";
import type {
	CertificateAuthority,
	IssuedCertificate,
} from "../certificates/index.ts";
import { parseCsr, rejectCompromisedKey } from "../certificates/index.ts";
import { type PublishContext, publishAgent } from "../publication/publisher.ts";
import {
	type AgentRow,
	type CertificateRow,
	type Store,
	UniqueViolationError,
} from "../storage/types.ts";
import { checkAgentContent, type EndpointInput } from "./content.ts";

export type { EndpointInput } from "./content.ts";

/** A registration request as the API receives it. */
export interface RegistrationInput {
	name: string;
	/** Endpoints besides those in `metadata`; required unless the metadata names some. */
	endpoints?: EndpointInput[] | undefined;
	/** Protocol document; when absent or `{}` the agent has none, and `endpoints` must name at least one endpoint. */
	metadata?: Record<string, unknown> | undefined;
	csr: string;
}

/** The result returned to the registrant. */
export interface Registration {
	id: string;
	name: string;
	displayName: string;
	status: string;
	certificate: string;
	chain: string[];
	record: string;
}

/** Collaborators of {@link registerAgent}. */
export interface RegistrationDeps {
	store: Store;
	ca: CertificateAuthority;
	publish: PublishContext;
	allowLoopbackEndpoints: boolean;
	/** Called after commit with the change, for the edge pusher. */
	onChange?: (event: ChangeEvent) => void;
}

/**
 * Registers one agent version. Nothing is written unless every check
 * passes; the agent row, its certificate and the change event commit in
 * one transaction.
 */
export async function registerAgent(
	deps: RegistrationDeps,
	input: RegistrationInput,
	now = Date.now(),
): Promise<Registration> {
	const name = parseName(input.name);
	const canonicalName = formatName(name);
	const baseKey = formatBaseName(name);
	const displayName = formatDisplayName(name);
	const content = await checkAgentContent({
		name,
		displayName,
		endpoints: input.endpoints ?? [],
		metadata: input.metadata ?? {},
		allowLoopback: deps.allowLoopbackEndpoints,
	});
	const csr = await parseCsr(input.csr, "csr");
	await rejectCompromisedKey(deps.store, csr.publicKey, "csr");

	// Checked before the CA signs anything so a taken name costs no certificate;
	// the unique index still decides a race between two registrations.
	const existing = await deps.store.findAgentsByBaseKey(baseKey);
	if (existing.some((agent) => agent.version === name.version)) {
		throw nameTaken(canonicalName);
	}

	const issued = await deps.ca.issueAgentCertificate({
		publicKey: csr.publicKey,
		canonicalName,
		agentId: name.agentId,
		provider: name.provider,
	});
	const id = `agt_${randomUUID().replaceAll("-", "")}`;
	const certificate = certificateRow(issued, id, now);
	const { endpoints: _endpoints, ...stored } = content;
	const draft: AgentRow = {
		id,
		baseKey,
		version: name.version,
		name: canonicalName,
		displayName,
		protocol: name.protocol,
		agentLabel: name.agentId,
		capability: name.capability,
		provider: name.provider,
		extension: name.extension ?? null,
		status: "active",
		certificateSerial: certificate.serial,
		recordJws: "",
		recordKid: "",
		recordExpiresAt: 0,
		seq: 0,
		createdAt: now,
		updatedAt: now,
		...stored,
	};

	const { agent, event } = await insertPublished(deps, draft, certificate, now);
	deps.onChange?.(event);
	return {
		id: agent.id,
		name: agent.name,
		displayName: agent.displayName,
		status: agent.status,
		certificate: certificate.pem,
		chain: event.chain,
		record: agent.recordJws,
	};
}

async function insertPublished(
	deps: RegistrationDeps,
	draft: AgentRow,
	certificate: CertificateRow,
	now: number,
): Promise<{ agent: AgentRow; event: ChangeEvent }> {
	try {
		return await deps.store.transaction(async (tx) => {
			const published = await publishAgent(tx, deps.publish, {
				agent: draft,
				certificate,
				type: "agent.registered",
				now,
			});
			await tx.insertAgent(published.agent);
			await tx.insertCertificate(certificate);
			return published;
		});
	} catch (error) {
		if (
			error instanceof UniqueViolationError &&
			error.constraint.startsWith("agents")
		) {
			throw nameTaken(draft.name);
		}
		throw error;
	}
}

/** Builds the stored row of a certificate the CA just issued to agent `agentId`. */
export function certificateRow(
	issued: IssuedCertificate,
	agentId: string,
	now: number,
): CertificateRow {
	return {
		serial: issued.serialHex,
		agentId,
		issuerId: issued.issuerId,
		sha256: issued.sha256Hex,
		publicKeySha256: issued.publicKeySha256Hex,
		pem: issued.pem,
		notBefore: issued.notBefore.getTime(),
		notAfter: issued.notAfter.getTime(),
		revokedAt: null,
		revocationReason: null,
		createdAt: now,
	};
}

function nameTaken(canonicalName: string): AnsError {
	return new AnsError(
		"NAME_TAKEN",
		`${canonicalName} is already registered (names compare case-insensitively and a version is never reused); register a new version instead`,
		{ status: 409, field: "name" },
	);
}

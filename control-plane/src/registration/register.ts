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
import {
	type ExtractedEndpoint,
	readProtocolMetadata,
} from "@ans/shared/protocols";
import { metadataDigest, type RecordEndpoint } from "@ans/shared/records";
import type { CertificateAuthority } from "../certificates/index.ts";
import { parseCsr } from "../certificates/index.ts";
import { agentSearchFields } from "../discovery/search-fields.ts";
import { type PublishContext, publishAgent } from "../publication/publisher.ts";
import {
	type AgentRow,
	type CertificateRow,
	type Store,
	UniqueViolationError,
} from "../storage/types.ts";
import { checkEndpointUrl } from "./endpoint-policy.ts";

/** One endpoint as a request gives it. */
export interface EndpointInput {
	protocol: string;
	url: string;
	transport?: string | undefined;
}

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
	const metadata = input.metadata ?? {};
	// An empty object, the CLI's default, means no document, as absence does.
	const hasDocument = Object.keys(metadata).length > 0;
	const protocolMetadata = readProtocolMetadata(
		name.protocol,
		hasDocument ? metadata : undefined,
	);
	const endpoints = mergeEndpoints(
		checkEndpoints(input.endpoints ?? [], deps.allowLoopbackEndpoints),
		checkMetadataEndpoints(
			protocolMetadata.endpoints,
			deps.allowLoopbackEndpoints,
		),
	);
	if (endpoints.length === 0) {
		const reason = hasDocument
			? `the ${protocolMetadata.adapter.documentName} in metadata names no endpoint`
			: "no metadata was given";
		throw new AnsError(
			"FIELD_REQUIRED",
			`endpoints is required because ${reason}; list at least one endpoint.`,
			{ status: 400, field: "endpoints" },
		);
	}
	const csr = await parseCsr(input.csr, "csr");

	// Checked before the CA signs anything so a taken name costs no certificate;
	// the unique index still decides a race between two registrations.
	const existing = await deps.store.findAgentsByBaseKey(baseKey);
	if (existing.some((agent) => agent.version === name.version)) {
		throw nameTaken(canonicalName);
	}

	const digest = await metadataDigest(metadata);
	const issued = await deps.ca.issueAgentCertificate({
		publicKey: csr.publicKey,
		canonicalName,
		agentId: name.agentId,
		provider: name.provider,
	});
	const id = `agt_${randomUUID().replaceAll("-", "")}`;
	const certificate: CertificateRow = {
		serial: issued.serialHex,
		agentId: id,
		issuerId: issued.issuerId,
		sha256: issued.sha256Hex,
		pem: issued.pem,
		notBefore: issued.notBefore.getTime(),
		notAfter: issued.notAfter.getTime(),
		revokedAt: null,
		revocationReason: null,
		createdAt: now,
	};
	const displayName = formatDisplayName(name);
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
		endpointsJson: JSON.stringify(endpoints),
		metadataJson: JSON.stringify(metadata),
		metadataDigest: digest,
		certificateSerial: certificate.serial,
		recordJws: "",
		recordKid: "",
		recordExpiresAt: 0,
		seq: 0,
		createdAt: now,
		updatedAt: now,
		...agentSearchFields(name, displayName, protocolMetadata.description),
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

/** Applies the endpoint address policy to each endpoint and normalises it. */
export function checkEndpoints(
	endpoints: EndpointInput[],
	allowLoopback: boolean,
): RecordEndpoint[] {
	return endpoints.map((endpoint, index) => {
		const url = checkEndpointUrl(endpoint.url, `endpoints[${index}].url`, {
			allowLoopback,
		});
		const checked: RecordEndpoint = {
			protocol: endpoint.protocol.toLowerCase(),
			url: url.href,
		};
		if (endpoint.transport !== undefined) {
			checked.transport = endpoint.transport;
		}
		return checked;
	});
}

/**
 * Applies the endpoint address policy to the network endpoints read from
 * the metadata, naming the metadata member in errors (such as
 * `metadata/supportedInterfaces/0/url`). Package locators are not network
 * addresses, so they pass unchanged.
 */
function checkMetadataEndpoints(
	extracted: ExtractedEndpoint[],
	allowLoopback: boolean,
): RecordEndpoint[] {
	return extracted.map(({ kind, pointer, endpoint }) => {
		if (kind === "package") {
			return endpoint;
		}
		const url = checkEndpointUrl(endpoint.url, `metadata${pointer}`, {
			allowLoopback,
		});
		return { ...endpoint, url: url.href };
	});
}

/** Joins the request's endpoints and the metadata's, dropping repeats of protocol, URL and transport. */
function mergeEndpoints(
	fromRequest: RecordEndpoint[],
	fromMetadata: RecordEndpoint[],
): RecordEndpoint[] {
	const seen = new Set<string>();
	return [...fromRequest, ...fromMetadata].filter((endpoint) => {
		const key = JSON.stringify([
			endpoint.protocol,
			endpoint.url,
			endpoint.transport ?? null,
		]);
		if (seen.has(key)) {
			return false;
		}
		seen.add(key);
		return true;
	});
}

function nameTaken(canonicalName: string): AnsError {
	return new AnsError(
		"NAME_TAKEN",
		`${canonicalName} is already registered (names compare case-insensitively and a version is never reused); register a new version instead`,
		{ status: 409, field: "name" },
	);
}

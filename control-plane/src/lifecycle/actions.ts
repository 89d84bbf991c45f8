/**
 * Lifecycle operations on an existing agent version: update, renew,
 * revoke, deregister and expire. Each one checks the transition, signs a
 * new record and appends its change event in a single transaction, then
 * notifies listeners after commit.
 *
 * @module
 */
import type { ChangeEvent, ChangeType } from "@ans/shared/change-feed";
import { AnsError } from "@ans/shared/errors";
import { parseName } from "@ans/shared/names";
import type { RecordEndpoint } from "@ans/shared/records";
import type { CertificateAuthority } from "../certificates/index.ts";
import { parseCsr, rejectCompromisedKey } from "../certificates/index.ts";
import { type PublishContext, publishAgent } from "../publication/publisher.ts";
import {
	checkAgentContent,
	type EndpointInput,
	requestEndpoints,
} from "../registration/content.ts";
import { certificateRow, type Registration } from "../registration/register.ts";
import type { AgentRow, CertificateRow, Store, Tx } from "../storage/types.ts";
import type { AgentRevocationReason } from "./revocation-reasons.ts";
import { type LifecycleAction, nextStatus } from "./state-machine.ts";

/** Collaborators of the lifecycle operations. */
export interface LifecycleDeps {
	store: Store;
	ca: CertificateAuthority;
	publish: PublishContext;
	allowLoopbackEndpoints: boolean;
	onChange: (event: ChangeEvent) => void;
	onCertificateRevoked: (serial: string) => void;
}

/** Rows and event one transition wrote, before listeners are notified. */
interface Applied {
	agent: AgentRow;
	certificate: CertificateRow;
	event: ChangeEvent;
	revokedSerial: string | undefined;
}

/**
 * Replaces an active agent's endpoints and/or metadata; same certificate,
 * new record. What the request leaves out keeps its previous value: without
 * `endpoints`, the endpoints given at registration stay and those read from
 * the document follow the new document.
 */
export async function updateAgent(
	deps: LifecycleDeps,
	id: string,
	input: {
		endpoints?: EndpointInput[] | undefined;
		metadata?: Record<string, unknown> | undefined;
	},
	now = Date.now(),
): Promise<Registration> {
	if (input.endpoints === undefined && input.metadata === undefined) {
		throw new AnsError(
			"FIELD_REQUIRED",
			"give endpoints, metadata or both to update",
			{
				status: 400,
				field: "endpoints",
			},
		);
	}
	const current = await requireAgent(deps.store, id);
	nextStatus(current.status, "update");
	const previousMetadata = JSON.parse(current.metadataJson) as Record<
		string,
		unknown
	>;
	const content = await checkAgentContent({
		name: parseName(current.displayName),
		displayName: current.displayName,
		endpoints:
			input.endpoints ??
			requestEndpoints(
				current.protocol,
				JSON.parse(current.endpointsJson) as RecordEndpoint[],
				previousMetadata,
				deps.allowLoopbackEndpoints,
			),
		metadata: input.metadata ?? previousMetadata,
		allowLoopback: deps.allowLoopbackEndpoints,
	});
	const { endpoints: _endpoints, ...stored } = content;

	return finish(
		deps,
		await transitionAgent(
			deps,
			id,
			"update",
			"agent.updated",
			now,
			async (agent, certificate) => ({
				agent: { ...agent, ...stored },
				certificate,
			}),
		),
	);
}

/**
 * Issues a new certificate for the CSR's key and makes it current. The
 * previous certificate is revoked with reason `superseded`, so the old key
 * stops authorising calls at once.
 */
export async function renewAgent(
	deps: LifecycleDeps,
	id: string,
	csrPem: string,
	now = Date.now(),
): Promise<Registration> {
	const current = await requireAgent(deps.store, id);
	nextStatus(current.status, "renew");
	const csr = await parseCsr(csrPem, "csr");
	await rejectCompromisedKey(deps.store, csr.publicKey, "csr");
	const issued = await deps.ca.issueAgentCertificate({
		publicKey: csr.publicKey,
		canonicalName: current.name,
		agentId: current.agentLabel,
		provider: current.provider,
	});
	const renewed = certificateRow(issued, id, now);

	return finish(
		deps,
		await transitionAgent(
			deps,
			id,
			"renew",
			"agent.renewed",
			now,
			async (agent, previous, tx) => {
				await tx.insertCertificate(renewed);
				const revokedSerial =
					previous.revokedAt === null ? previous.serial : undefined;
				if (revokedSerial !== undefined) {
					await tx.updateCertificate(revokedSerial, {
						revokedAt: now,
						revocationReason: "superseded",
					});
				}
				return {
					agent: { ...agent, certificateSerial: renewed.serial },
					certificate: renewed,
					revokedSerial,
				};
			},
		),
	);
}

/** Revokes the agent's certificate and publishes a signed tombstone. */
export async function revokeAgent(
	deps: LifecycleDeps,
	id: string,
	reason: AgentRevocationReason,
	now = Date.now(),
): Promise<Registration> {
	return finish(
		deps,
		await endAgent(deps, id, "revoke", "agent.revoked", reason, now),
	);
}

/**
 * Deregisters the agent: a signed tombstone replaces its record and its
 * certificate is revoked with reason `cessationOfOperation`.
 */
export async function deregisterAgent(
	deps: LifecycleDeps,
	id: string,
	now = Date.now(),
): Promise<Registration> {
	return finish(
		deps,
		await endAgent(
			deps,
			id,
			"deregister",
			"agent.deregistered",
			"cessationOfOperation",
			now,
		),
	);
}

/**
 * Marks active agents whose certificate has expired as `expired` and
 * publishes their records. Returns how many changed.
 */
export async function expireAgents(
	deps: LifecycleDeps,
	now = Date.now(),
	limit = 100,
): Promise<number> {
	const due = await deps.store.findActiveAgentsWithCertificatesExpiringBefore(
		now,
		limit,
	);
	let count = 0;
	for (const row of due) {
		try {
			finish(
				deps,
				await transitionAgent(
					deps,
					row.id,
					"expire",
					"agent.expired",
					now,
					async (agent, certificate) => ({ agent, certificate }),
				),
			);
			count += 1;
		} catch (error) {
			// Another request may have renewed or revoked it meanwhile; that is fine.
			if (
				!(
					error instanceof AnsError &&
					error.code === "LIFECYCLE_TRANSITION_INVALID"
				)
			) {
				throw error;
			}
		}
	}
	return count;
}

async function endAgent(
	deps: LifecycleDeps,
	id: string,
	action: "revoke" | "deregister",
	type: ChangeType,
	reason: AgentRevocationReason,
	now: number,
): Promise<Applied> {
	return transitionAgent(
		deps,
		id,
		action,
		type,
		now,
		async (agent, certificate, tx) => {
			if (certificate.revokedAt !== null) {
				return { agent, certificate, revokedSerial: undefined };
			}
			await tx.updateCertificate(certificate.serial, {
				revokedAt: now,
				revocationReason: reason,
			});
			return {
				agent,
				certificate: {
					...certificate,
					revokedAt: now,
					revocationReason: reason,
				},
				revokedSerial: certificate.serial,
			};
		},
	);
}

/**
 * Runs one transition in a transaction: loads the agent and its current
 * certificate, checks the transition, lets `change` adjust both, then
 * publishes and stores the result.
 */
async function transitionAgent(
	deps: LifecycleDeps,
	id: string,
	action: LifecycleAction,
	type: ChangeType,
	now: number,
	change: (
		agent: AgentRow,
		certificate: CertificateRow,
		tx: Tx,
	) => Promise<{
		agent: AgentRow;
		certificate: CertificateRow;
		revokedSerial?: string | undefined;
	}>,
): Promise<Applied> {
	return deps.store.transaction(async (tx) => {
		const agent = await tx.findAgentById(id);
		if (agent === undefined) {
			throw agentNotFound(id);
		}
		const status = nextStatus(agent.status, action);
		const certificate = await tx.findCertificate(agent.certificateSerial);
		if (certificate === undefined) {
			throw new Error(
				`certificate ${agent.certificateSerial} of agent ${id} is missing`,
			);
		}
		const changed = await change({ ...agent, status }, certificate, tx);
		const revocation =
			changed.certificate.revokedAt !== null && status !== "active"
				? {
						reason: changed.certificate.revocationReason ?? "unspecified",
						revokedAt: changed.certificate.revokedAt,
					}
				: undefined;
		const published = await publishAgent(tx, deps.publish, {
			agent: changed.agent,
			certificate: changed.certificate,
			type,
			now,
			...(revocation === undefined ? {} : { revocation }),
		});
		const {
			id: _id,
			baseKey: _baseKey,
			version: _version,
			createdAt: _createdAt,
			...update
		} = published.agent;
		await tx.updateAgent(id, update);
		return {
			agent: published.agent,
			certificate: changed.certificate,
			event: published.event,
			revokedSerial: changed.revokedSerial,
		};
	});
}

function finish(deps: LifecycleDeps, applied: Applied): Registration {
	if (applied.revokedSerial !== undefined) {
		deps.onCertificateRevoked(applied.revokedSerial);
	}
	deps.onChange(applied.event);
	return {
		id: applied.agent.id,
		name: applied.agent.name,
		displayName: applied.agent.displayName,
		status: applied.agent.status,
		certificate: applied.certificate.pem,
		chain: applied.event.chain,
		record: applied.agent.recordJws,
	};
}

async function requireAgent(store: Store, id: string): Promise<AgentRow> {
	const agent = await store.findAgentById(id);
	if (agent === undefined) {
		throw agentNotFound(id);
	}
	return agent;
}

function agentNotFound(id: string): AnsError {
	return new AnsError("AGENT_NOT_FOUND", `no agent has id ${id}`, {
		status: 404,
		field: "id",
	});
}

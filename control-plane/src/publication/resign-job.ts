/**
 * Re-signs endpoint records before they expire, and after a signing-key
 * rotation moves every record to the active key. Each record gets a new
 * JWS and a change event, so edges replace the bytes they serve.
 *
 * @module
 */
import type { ChangeEvent } from "@ans/shared/change-feed";
import type { Logger } from "../logging/logger.ts";
import type { AgentRow, Store } from "../storage/types.ts";
import { type PublishContext, publishAgent } from "./publisher.ts";

/** Settings of the re-signing job. */
export interface ResignOptions {
	store: Store;
	publish: PublishContext;
	logger: Logger;
	/** Lifetime of a record in seconds; records are re-signed in their last third. */
	recordValiditySeconds: number;
	onChange: (event: ChangeEvent) => void;
	/** Key that signs new records; records signed by any other key are re-signed. */
	activeKid?: string;
	/** Rows fetched per query. */
	batchSize?: number;
}

/**
 * Re-signs every record expiring within the last third of its validity,
 * and every record not signed by `activeKid` when given. Returns how many
 * records were re-signed.
 */
export async function resignDueRecords(
	options: ResignOptions,
	now = Date.now(),
): Promise<number> {
	const horizon = now + Math.floor((options.recordValiditySeconds * 1000) / 3);
	const batchSize = options.batchSize ?? 100;
	const needsResign = (row: AgentRow) =>
		row.recordExpiresAt < horizon ||
		(options.activeKid !== undefined && row.recordKid !== options.activeKid);

	let count = 0;
	// Bounded: every row found is re-signed, which takes it out of both queries.
	for (let pass = 0; pass < 10_000; pass += 1) {
		const due = [
			...(await options.store.findAgentsWithRecordsExpiringBefore(
				horizon,
				batchSize,
			)),
			...(options.activeKid === undefined
				? []
				: await options.store.findAgentsWithRecordKidOtherThan(
						options.activeKid,
						batchSize,
					)),
		];
		if (due.length === 0) {
			break;
		}
		for (const row of due) {
			const event = await resignOne(options, row.id, needsResign, now);
			if (event !== undefined) {
				options.onChange(event);
				count += 1;
			}
		}
	}
	if (count > 0) {
		options.logger.info({ count }, "re-signed records");
	}
	return count;
}

async function resignOne(
	options: ResignOptions,
	id: string,
	needsResign: (row: AgentRow) => boolean,
	now: number,
): Promise<ChangeEvent | undefined> {
	return options.store.transaction(async (tx) => {
		// Re-read inside the transaction: a concurrent change may have re-signed it already.
		const current = await tx.findAgentById(id);
		if (current === undefined || !needsResign(current)) {
			return undefined;
		}
		const certificate = await tx.findCertificate(current.certificateSerial);
		if (certificate === undefined) {
			throw new Error(
				`certificate ${current.certificateSerial} of agent ${current.id} is missing`,
			);
		}
		const revocation =
			certificate.revokedAt === null || current.status === "active"
				? undefined
				: {
						reason: certificate.revocationReason ?? "unspecified",
						revokedAt: certificate.revokedAt,
					};
		const published = await publishAgent(tx, options.publish, {
			agent: current,
			certificate,
			type: "agent.resigned",
			now,
			...(revocation === undefined ? {} : { revocation }),
		});
		await tx.updateAgent(current.id, {
			recordJws: published.agent.recordJws,
			recordKid: published.agent.recordKid,
			recordExpiresAt: published.agent.recordExpiresAt,
			seq: published.agent.seq,
			updatedAt: now,
		});
		return published.event;
	});
}

/**
 * Re-signs endpoint records before they expire. Each record gets a new
 * JWS and a change event, so edges replace the bytes they serve.
 *
 * @module
 */
import type { ChangeEvent } from "@ans/shared/change-feed";
import type { Logger } from "../logging/logger.ts";
import type { Store } from "../storage/types.ts";
import { type PublishContext, publishAgent } from "./publisher.ts";

/** Settings of the re-signing job. */
export interface ResignOptions {
	store: Store;
	publish: PublishContext;
	logger: Logger;
	/** Lifetime of a record in seconds; records are re-signed in their last third. */
	recordValiditySeconds: number;
	onChange: (event: ChangeEvent) => void;
	/** Records re-signed per transaction batch. */
	batchSize?: number;
}

/**
 * Re-signs every record expiring within the last third of its validity.
 * Returns how many records were re-signed.
 */
export async function resignDueRecords(
	options: ResignOptions,
	now = Date.now(),
): Promise<number> {
	const horizon = now + Math.floor((options.recordValiditySeconds * 1000) / 3);
	const batchSize = options.batchSize ?? 100;
	let count = 0;
	// Bounded: each pass re-signs the rows it found, which moves their expiry past the horizon.
	for (let pass = 0; pass < 10_000; pass += 1) {
		const due = await options.store.findAgentsWithRecordsExpiringBefore(
			horizon,
			batchSize,
		);
		if (due.length === 0) {
			break;
		}
		for (const row of due) {
			const event = await options.store.transaction(async (tx) => {
				const current = await tx.findAgentById(row.id);
				if (current === undefined || current.recordExpiresAt >= horizon) {
					return undefined;
				}
				const certificate = await options.store.findCertificate(
					current.certificateSerial,
				);
				if (certificate === undefined) {
					throw new Error(
						`certificate ${current.certificateSerial} of agent ${current.id} is missing`,
					);
				}
				const revocation =
					certificate.revokedAt === null
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
			if (event !== undefined) {
				options.onChange(event);
				count += 1;
			}
		}
	}
	if (count > 0) {
		options.logger.info({ count }, "re-signed expiring records");
	}
	return count;
}

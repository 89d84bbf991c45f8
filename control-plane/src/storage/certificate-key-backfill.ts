/**
 * Fills `certificates.public_key_sha256` of rows written before the
 * column existed. The hash needs the certificate parsed, which SQL cannot
 * do, so each store runs this after its migrations.
 *
 * @module
 */
import { certificatePublicKeySha256 } from "../certificates/public-key-hash.ts";

/** Rows read per query. */
const BATCH_SIZE = 500;

/** The two queries the backfill needs, in one dialect. */
export interface CertificateKeyAccess {
	/**
	 * Returns at most `limit` certificates whose `public_key_sha256` is null
	 * and whose serial sorts after `after`, in ascending serial order.
	 */
	readMissing(
		after: string,
		limit: number,
	): Promise<{ serial: string; pem: string }[]>;
	write(serial: string, publicKeySha256: string): Promise<void>;
}

/**
 * Computes and stores the key hash of every certificate that lacks one and
 * returns how many rows it filled. A row whose PEM does not parse keeps a
 * null hash, because there is no key to hash, and is read again on the
 * next start. The serial cursor only moves forward, so each run reads
 * every row at most once.
 */
export async function fillCertificateKeyHashes(
	access: CertificateKeyAccess,
): Promise<number> {
	let after = "";
	let filled = 0;
	for (;;) {
		const rows = await access.readMissing(after, BATCH_SIZE);
		for (const row of rows) {
			const hash = hashOrUndefined(row.pem);
			if (hash !== undefined) {
				await access.write(row.serial, hash);
				filled += 1;
			}
		}
		const last = rows.at(-1);
		if (last === undefined || rows.length < BATCH_SIZE) {
			return filled;
		}
		after = last.serial;
	}
}

function hashOrUndefined(pem: string): string | undefined {
	try {
		return certificatePublicKeySha256(pem);
	} catch {
		return undefined;
	}
}

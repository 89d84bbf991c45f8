import {
	answerResolution,
	type PublishedVersion,
	parseResolutionQuery,
	type ResolutionAnswer,
} from "@ans/shared/resolution";
import type { Services } from "../api/services.ts";

/** Resolves a name and range from the primary database (the origin for edges). */
export async function resolveAtOrigin(
	services: Pick<Services, "store" | "ca" | "publish">,
	name: string | undefined,
	range: string | undefined,
): Promise<ResolutionAnswer> {
	const query = parseResolutionQuery(name, range);
	const rows = await services.store.findAgentsByBaseKey(query.baseKey);
	const versions: PublishedVersion[] = await Promise.all(
		rows.map(async (row) => {
			const certificate = await services.store.findCertificate(
				row.certificateSerial,
			);
			if (certificate === undefined) {
				throw new Error(
					`certificate ${row.certificateSerial} of agent ${row.id} is missing`,
				);
			}
			return {
				name: row.name,
				version: row.version,
				status: row.status,
				record: row.recordJws,
				certificate: certificate.pem,
				chain: services.publish.chainFor(certificate.issuerId),
			};
		}),
	);
	return answerResolution(query, versions);
}

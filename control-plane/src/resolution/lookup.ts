import {
	answerResolution,
	type PublishedVersion,
	parseResolutionQuery,
	type ResolutionAnswer,
} from "@ans/shared/resolution";
import type { Services } from "../api/services.ts";

/**
 * Resolves a name and range from the primary database (the origin for
 * edges). The version is chosen from the agent rows alone, and only the
 * chosen version's certificate is read.
 */
export async function resolveAtOrigin(
	services: Pick<Services, "store" | "ca" | "publish">,
	name: string | undefined,
	range: string | undefined,
): Promise<ResolutionAnswer> {
	const query = parseResolutionQuery(name, range);
	const rows = await services.store.findAgentsByBaseKey(query.baseKey);
	const serials = new Map<PublishedVersion, string>();
	const versions = rows.map((row) => {
		const version: PublishedVersion = {
			name: row.name,
			version: row.version,
			status: row.status,
			record: row.recordJws,
			certificate: "",
			chain: [],
		};
		serials.set(version, row.certificateSerial);
		return version;
	});
	const answer = answerResolution(query, versions);

	const serial = serials.get(answer.version) ?? "";
	const certificate = await services.store.findCertificate(serial);
	if (certificate === undefined) {
		throw new Error(
			`certificate ${serial} of ${answer.version.name} is missing`,
		);
	}
	answer.body.certificate = certificate.pem;
	answer.body.chain = services.publish.chainFor(certificate.issuerId);
	return answer;
}

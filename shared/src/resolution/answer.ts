/**
 * Turns the stored versions of one name into a resolution answer. The
 * control plane's origin and every edge call this, so both answer a
 * name and range the same way.
 *
 * @module
 */
import { AnsError } from "../errors.ts";
import { formatBaseName, formatName, parseNameOrBase } from "../names/index.ts";
import { selectVersion } from "../versions/index.ts";

/** A stored, published agent version. */
export interface PublishedVersion {
	name: string;
	version: string;
	status: string;
	record: string;
	certificate: string;
	chain: string[];
}

/** Body of a resolution reply: the signed record with the certificate chain. */
export interface ResolutionBody {
	record: string;
	certificate: string;
	chain: string[];
}

/** A parsed resolution query. */
export interface ResolutionQuery {
	/** Canonical version-less name, the lookup key. */
	baseKey: string;
	/** Canonical full name when the query named one version exactly. */
	exactName: string | undefined;
	range: string | undefined;
}

/**
 * The answer: 200 with an active record, or 410 with a signed tombstone
 * for a revoked, deregistered or expired version.
 */
export type ResolutionAnswer =
	| { status: 200; body: ResolutionBody; version: PublishedVersion }
	| {
			status: 410;
			body: ResolutionBody & { error: { code: string; message: string } };
			version: PublishedVersion;
	  };

/**
 * Parses `name` and `range` query parameters. A full name selects that
 * exact version, so it cannot be combined with a range.
 */
export function parseResolutionQuery(
	name: string | undefined,
	range: string | undefined,
): ResolutionQuery {
	if (name === undefined || name === "") {
		throw new AnsError(
			"FIELD_REQUIRED",
			"the name query parameter is required",
			{
				status: 400,
				field: "name",
			},
		);
	}
	const parsed = parseNameOrBase(name);
	const baseKey = formatBaseName(parsed.base);
	if (parsed.name !== undefined) {
		if (range !== undefined && range !== "") {
			throw new AnsError(
				"RANGE_WITH_VERSION",
				"give either a full name with a version or a version-less name with a range, not both",
				{ status: 400, field: "range" },
			);
		}
		return { baseKey, exactName: formatName(parsed.name), range: undefined };
	}
	return {
		baseKey,
		exactName: undefined,
		range: range === "" ? undefined : range,
	};
}

/** Picks the version that answers `query` among all stored versions of its name. */
export function answerResolution(
	query: ResolutionQuery,
	versions: PublishedVersion[],
): ResolutionAnswer {
	const chosen =
		query.exactName === undefined
			? selectByRange(query, versions)
			: selectExact(query, versions);
	const body = {
		record: chosen.record,
		certificate: chosen.certificate,
		chain: chosen.chain,
	};
	if (chosen.status === "active") {
		return { status: 200, body, version: chosen };
	}
	return {
		status: 410,
		body: {
			...body,
			error: {
				code: goneCodes[chosen.status] ?? "AGENT_GONE",
				message: `${chosen.name} is ${chosen.status}; the record is a signed tombstone`,
			},
		},
		version: chosen,
	};
}

/** Error code of a 410 answer, by the version's status. */
const goneCodes: Record<string, string> = {
	revoked: "AGENT_REVOKED",
	deregistered: "AGENT_DEREGISTERED",
	expired: "AGENT_EXPIRED",
};

function selectByRange(
	query: ResolutionQuery,
	versions: PublishedVersion[],
): PublishedVersion {
	if (versions.length === 0) {
		throw nameNotFound(query.baseKey);
	}
	return selectVersion(versions, query.range).candidate;
}

function selectExact(
	query: ResolutionQuery,
	versions: PublishedVersion[],
): PublishedVersion {
	const found = versions.find((version) => version.name === query.exactName);
	if (found === undefined) {
		throw new AnsError(
			"NAME_NOT_FOUND",
			`no agent is registered as ${query.exactName}`,
			{
				status: 404,
				field: "name",
			},
		);
	}
	return found;
}

function nameNotFound(baseKey: string): AnsError {
	return new AnsError(
		"NAME_NOT_FOUND",
		`no agent is registered under ${baseKey}`,
		{
			status: 404,
			field: "name",
		},
	);
}

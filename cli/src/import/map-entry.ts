import { formatName, parseName } from "@ans/shared/names";
import type { ProtocolAdapter } from "@ans/shared/protocols";
import { checkEndpoints } from "./endpoint-check.ts";
import { providerFromHost } from "./host-provider.ts";
import type { ImportProtocol } from "./protocols.ts";
import type { Skip } from "./skip-reason.ts";
import { slugLabel } from "./slug.ts";
import { normalizeVersion } from "./version.ts";

/** The registration that the importer sends for one document. */
export interface ImportPlan {
	/** Name in display case, as it is registered. */
	name: string;
	/** Canonical name, the identity that duplicates are detected by. */
	canonicalName: string;
	agentId: string;
	/** The document, sent unchanged as the registration's `metadata`. */
	metadata: Record<string, unknown>;
	/**
	 * Request fields of the endpoints with a loopback host, such as
	 * `metadata/url`; only a control plane started with
	 * ANS_ALLOW_LOOPBACK_ENDPOINTS=1 accepts them.
	 */
	loopbackFields: string[];
}

/** Result of {@link mapEntry}: a plan, or the reason the entry is skipped. */
export type MapResult = { ok: true; plan: ImportPlan } | ({ ok: false } & Skip);

/** Options of {@link mapEntry}. */
export interface MappingOptions {
	/** Provider label for documents from which none can be derived (`--provider`). */
	fallbackProvider?: string | undefined;
}

/** Skill ids that are UUIDs carry no information about the capability. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Maps one protocol document to an ANS name, deterministically: the same
 * document and options always give the same name. The rules, with
 * examples, are in docs/import.md:
 *
 * - agent id: the document's identifier (A2A `name`, the part of an MCP
 *   `name` after the `/`), slugged by {@link slugLabel};
 * - capability: the first adapter capability (A2A skill id or tag) that is
 *   not a UUID, slugged, else the protocol's default (`tools` for MCP);
 * - provider: the document's publisher (A2A `provider.organization`, the
 *   owner of an MCP reverse-DNS namespace), else the registrable domain of
 *   the first network endpoint, else `fallbackProvider`;
 * - version: normalised by {@link normalizeVersion}.
 */
export function mapEntry(
	protocol: ImportProtocol,
	document: unknown,
	options: MappingOptions = {},
): MapResult {
	if (
		typeof document !== "object" ||
		document === null ||
		Array.isArray(document)
	) {
		return skip(
			"not-an-object",
			`the entry is ${Array.isArray(document) ? "an array" : typeof document}, not a JSON object`,
		);
	}
	const adapter = protocol.adapter;
	const issues = adapter.validate(document);
	if (issues.length > 0) {
		return invalidDocument(adapter, issues);
	}

	const endpoints = adapter.extractEndpoints(document);
	const check = checkEndpoints(endpoints);
	if (check.verdict === "none") {
		return skip(
			"endpoint-missing",
			`the ${adapter.documentName} names no endpoint`,
		);
	}
	if (check.verdict === "unreachable") {
		return skip("endpoint-unreachable", check.message);
	}

	const description = adapter.describe(document);
	const identifier =
		description.identifier === undefined
			? undefined
			: protocol.agentIdText(description.identifier);
	const agentId = identifier === undefined ? undefined : slugLabel(identifier);
	if (agentId === undefined) {
		return skip(
			"name-unusable",
			`the identifier ${JSON.stringify(description.identifier ?? null)} has no ASCII letter or digit to make an agent id from`,
		);
	}

	if (description.version === undefined) {
		return skip(
			"version-missing",
			`the ${adapter.documentName} has no version`,
		);
	}
	const version = normalizeVersion(description.version);
	if (!version.ok) {
		return skip("version-not-semver", version.message);
	}

	const provider =
		slugOf(description.provider) ??
		endpoints
			.filter((endpoint) => endpoint.kind === "network")
			.map((endpoint) => providerFromHost(endpoint.endpoint.url))
			.find((label) => label !== undefined) ??
		slugOf(options.fallbackProvider);
	if (provider === undefined) {
		return skip(
			"provider-missing",
			`no provider: the ${adapter.documentName} names no publisher, no endpoint host names an organization, and --provider was not given`,
		);
	}

	const capability =
		description.capabilities
			.filter((capability) => !UUID.test(capability))
			.map((capability) => slugLabel(capability))
			.find((label) => label !== undefined) ?? protocol.defaultCapability;

	const name = `${adapter.id}://${agentId}.${capability}.${provider}.v${version.version}`;
	let canonicalName: string;
	try {
		canonicalName = formatName(parseName(name));
	} catch (error) {
		return skip("name-unusable", (error as Error).message);
	}
	return {
		ok: true,
		plan: {
			name,
			canonicalName,
			agentId,
			metadata: document as Record<string, unknown>,
			loopbackFields: check.loopbackPointers.map(
				(pointer) => `metadata${pointer}`,
			),
		},
	};
}

function skip(reason: Skip["reason"], message: string): MapResult {
	return { ok: false, reason, message };
}

function slugOf(text: string | undefined): string | undefined {
	return text === undefined ? undefined : slugLabel(text);
}

/**
 * Reports a document that its adapter rejected. Two faults get their own
 * reason because they are about reachability and versioning rather than
 * the document's shape: an empty endpoint URL is `endpoint-unreachable`,
 * and a missing version is `version-missing`.
 */
function invalidDocument(
	adapter: ProtocolAdapter,
	issues: ReturnType<ProtocolAdapter["validate"]>,
): MapResult {
	const listed = issues
		.slice(0, 3)
		.map((issue) => `${issue.pointer || "the document"} ${issue.message}`)
		.join("; ");
	const more = issues.length > 3 ? `; and ${issues.length - 3} more` : "";
	const onlyEmptyUrls = issues.every(
		(issue) => issue.code === "VALUE_EMPTY" && issue.pointer.endsWith("/url"),
	);
	if (onlyEmptyUrls) {
		return skip("endpoint-unreachable", `${listed}${more}`);
	}
	const onlyVersionMissing = issues.every(
		(issue) => issue.code === "FIELD_MISSING" && issue.pointer === "/version",
	);
	if (onlyVersionMissing) {
		return skip(
			"version-missing",
			`the ${adapter.documentName} has no version`,
		);
	}
	return skip(
		"metadata-invalid",
		`invalid ${adapter.documentName}: ${listed}${more}`,
	);
}

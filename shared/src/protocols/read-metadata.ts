import { AnsError } from "../errors.ts";
import { adapterFor, supportedProtocols } from "./registry.ts";
import type {
	AgentDescription,
	ExtractedEndpoint,
	ProtocolAdapter,
	ValidationIssue,
} from "./types.ts";

/** Number of issues that a METADATA_INVALID message lists in full. */
const MAX_LISTED_ISSUES = 5;

/** A protocol document that its adapter accepted, with what the adapter read from it. */
export interface ProtocolMetadata {
	adapter: ProtocolAdapter;
	endpoints: ExtractedEndpoint[];
	description: AgentDescription;
}

/** Request field names that errors of {@link readProtocolMetadata} report. */
export interface MetadataFields {
	/** Field that carries the protocol; default `name`, because the protocol is part of the ANS name. */
	protocol?: string;
	/** Field that carries the document; default `metadata`. */
	metadata?: string;
}

/**
 * Validates a protocol document with the adapter of `protocol` and reads
 * its endpoints and description. An absent document (`undefined`) is not
 * validated and yields no endpoints and an empty description, but the
 * protocol must still be supported.
 *
 * @throws AnsError PROTOCOL_UNSUPPORTED (400) when no adapter has that id,
 * with the supported ids in the message. METADATA_INVALID (400) when the
 * adapter finds issues: `field` is the metadata field followed by the JSON
 * pointer of the first issue, such as `metadata/skills/0/id`, and the
 * message lists up to five issues.
 */
export function readProtocolMetadata(
	protocol: string,
	metadata: unknown,
	fields: MetadataFields = {},
): ProtocolMetadata {
	const protocolField = fields.protocol ?? "name";
	const metadataField = fields.metadata ?? "metadata";
	const adapter = adapterFor(protocol);
	if (adapter === undefined) {
		throw new AnsError(
			"PROTOCOL_UNSUPPORTED",
			`Protocol ${JSON.stringify(protocol)} is not supported. Use one of: ${supportedProtocols().join(", ")}.`,
			{ status: 400, field: protocolField },
		);
	}

	if (metadata === undefined) {
		return {
			adapter,
			endpoints: [],
			description: { capabilities: [], searchText: "" },
		};
	}

	const issues = adapter.validate(metadata);
	const [first] = issues;
	if (first !== undefined) {
		throw new AnsError(
			"METADATA_INVALID",
			describeIssues(adapter, metadataField, issues),
			{ status: 400, field: `${metadataField}${first.pointer}` },
		);
	}
	return {
		adapter,
		endpoints: adapter.extractEndpoints(metadata),
		description: adapter.describe(metadata),
	};
}

function describeIssues(
	adapter: ProtocolAdapter,
	metadataField: string,
	issues: ValidationIssue[],
): string {
	const listed = issues
		.slice(0, MAX_LISTED_ISSUES)
		.map((issue) => `${issue.pointer || "the document"} ${issue.message}`);
	const hidden = issues.length - listed.length;
	const more = hidden > 0 ? `; and ${hidden} more` : "";
	return `Invalid ${adapter.documentName} in ${metadataField}: ${listed.join("; ")}${more}. Fix the ${adapter.documentName} and send it again.`;
}

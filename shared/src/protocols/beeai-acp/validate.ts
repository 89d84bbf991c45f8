import {
	childPointer,
	DocumentReader,
	type JsonObject,
	quoteValue,
} from "../document-reader.ts";
import { checkImageReference } from "../image-reference.ts";
import type { ValidationIssue } from "../types.ts";

/**
 * Agent names: an RFC 1123 DNS label as the specification's `AgentName`
 * pattern, plus `_`. The reference Python SDK names an agent after its
 * function, so names such as `chat_agent` are common in practice.
 */
const AGENT_NAME = /^[a-z0-9]([-_a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * Checks a BeeAI Agent Communication Protocol `AgentManifest` and returns
 * its issues. Required: `name`, `description` (may be empty),
 * `input_content_types` and `output_content_types` (at least one each).
 * `metadata` members are checked for their type when present.
 */
export function validateAgentManifest(metadata: unknown): ValidationIssue[] {
	const reader = new DocumentReader();
	const manifest = reader.object(metadata, "");
	if (manifest === undefined) {
		return reader.issues;
	}

	const name = reader.requiredString(manifest, "name", "");
	if (name !== undefined && !AGENT_NAME.test(name)) {
		reader.report(
			"/name",
			"VALUE_INVALID",
			`must be 1 to 63 lowercase letters, digits, "-" or "_", starting and ending with a letter or digit, but it is ${quoteValue(name)}`,
		);
	}
	reader.requiredString(manifest, "description", "", { allowEmpty: true });
	for (const list of ["input_content_types", "output_content_types"]) {
		const types = reader.stringArray(manifest, list, "", { required: true });
		if (types !== undefined && types.length === 0) {
			reader.report(
				`/${list}`,
				"VALUE_EMPTY",
				'must list at least one MIME type, such as "*/*" or "text/plain"',
			);
		}
	}
	const agentMetadata = reader.optionalObject(manifest, "metadata", "");
	if (agentMetadata !== undefined) {
		readMetadata(reader, agentMetadata);
	}
	reader.optionalObject(manifest, "status", "");
	return reader.issues;
}

function readMetadata(reader: DocumentReader, metadata: JsonObject): void {
	const pointer = "/metadata";
	reader.optionalObject(metadata, "annotations", pointer);
	for (const text of [
		"documentation",
		"license",
		"programming_language",
		"framework",
	]) {
		reader.optionalString(metadata, text, pointer, { allowEmpty: true });
	}
	for (const list of [
		"natural_languages",
		"domains",
		"tags",
		"recommended_models",
	]) {
		reader.stringArray(metadata, list, pointer, { required: false });
	}

	const capabilities = reader.optionalArray(metadata, "capabilities", pointer);
	capabilities?.forEach((value, index) => {
		const itemPointer = childPointer(`${pointer}/capabilities`, index);
		const capability = reader.object(value, itemPointer);
		if (capability !== undefined) {
			reader.requiredString(capability, "name", itemPointer);
			reader.requiredString(capability, "description", itemPointer, {
				allowEmpty: true,
			});
		}
	});

	const author = reader.optionalObject(metadata, "author", pointer);
	if (author !== undefined) {
		readPerson(reader, author, `${pointer}/author`);
	}
	const contributors = reader.optionalArray(metadata, "contributors", pointer);
	contributors?.forEach((value, index) => {
		const itemPointer = childPointer(`${pointer}/contributors`, index);
		const person = reader.object(value, itemPointer);
		if (person !== undefined) {
			readPerson(reader, person, itemPointer);
		}
	});

	const links = reader.optionalArray(metadata, "links", pointer);
	links?.forEach((value, index) => {
		const itemPointer = childPointer(`${pointer}/links`, index);
		const link = reader.object(value, itemPointer);
		if (link !== undefined) {
			reader.requiredString(link, "type", itemPointer);
			// Container image links are image references such as ghcr.io/org/agent:1.0, not URLs.
			if (link.type === "container-image") {
				const image = reader.requiredString(link, "url", itemPointer);
				checkImageReference(reader, image, `${itemPointer}/url`);
			} else {
				reader.url(link, "url", itemPointer, { required: true });
			}
		}
	});
	reader.optionalArray(metadata, "dependencies", pointer);
}

function readPerson(
	reader: DocumentReader,
	person: JsonObject,
	pointer: string,
): void {
	reader.requiredString(person, "name", pointer);
	reader.optionalString(person, "email", pointer);
	reader.url(person, "url", pointer, { required: false });
}

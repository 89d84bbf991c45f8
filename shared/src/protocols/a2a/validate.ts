import {
	childPointer,
	DocumentReader,
	type JsonObject,
} from "../document-reader.ts";
import type { ValidationIssue } from "../types.ts";

/**
 * Checks an A2A agent card, in the v0.3 layout (`url`, `preferredTransport`,
 * `additionalInterfaces`) or the v1.0 layout (`supportedInterfaces`), and
 * returns its issues.
 *
 * Required: `name`, `description` (may be empty), `version`, `capabilities`,
 * `defaultInputModes`, `defaultOutputModes` and `skills`, each skill with
 * `id` (unique), `name` and `description`. Both specification versions
 * require these. Every other member is checked only for its type when
 * present. `protocolVersion` and skill `tags`, which the v0.3 schema also
 * requires, stay optional because most published sample cards omit them.
 * A card may name no interface at all, and then the registrant supplies
 * the endpoints.
 */
export function validateAgentCard(metadata: unknown): ValidationIssue[] {
	const reader = new DocumentReader();
	const card = reader.object(metadata, "");
	if (card === undefined) {
		return reader.issues;
	}

	reader.requiredString(card, "name", "");
	reader.requiredString(card, "description", "", { allowEmpty: true });
	reader.requiredString(card, "version", "");
	reader.optionalString(card, "protocolVersion", "");
	readCapabilities(reader, card);
	reader.stringArray(card, "defaultInputModes", "", { required: true });
	reader.stringArray(card, "defaultOutputModes", "", { required: true });
	readSkills(reader, card);

	readInterfaces(reader, card);
	readProvider(reader, card);
	readSecurity(reader, card);
	readSignatures(reader, card);
	reader.url(card, "iconUrl", "", { required: false });
	reader.url(card, "documentationUrl", "", { required: false });
	reader.optionalBoolean(card, "supportsAuthenticatedExtendedCard", "");
	return reader.issues;
}

function readCapabilities(reader: DocumentReader, card: JsonObject): void {
	const capabilities = reader.requiredObject(card, "capabilities", "");
	if (capabilities === undefined) {
		return;
	}
	const pointer = "/capabilities";
	for (const flag of [
		"streaming",
		"pushNotifications",
		"stateTransitionHistory",
		"extendedAgentCard",
	]) {
		reader.optionalBoolean(capabilities, flag, pointer);
	}
	const extensions = reader.optionalArray(capabilities, "extensions", pointer);
	extensions?.forEach((value, index) => {
		const extensionPointer = childPointer(`${pointer}/extensions`, index);
		const extension = reader.object(value, extensionPointer);
		if (extension === undefined) {
			return;
		}
		reader.url(extension, "uri", extensionPointer, { required: true });
		reader.optionalString(extension, "description", extensionPointer, {
			allowEmpty: true,
		});
		reader.optionalBoolean(extension, "required", extensionPointer);
		reader.optionalObject(extension, "params", extensionPointer);
	});
}

function readSkills(reader: DocumentReader, card: JsonObject): void {
	const skills = reader.requiredArray(card, "skills", "");
	const seen = new Map<string, number>();
	skills?.forEach((value, index) => {
		const pointer = childPointer("/skills", index);
		const skill = reader.object(value, pointer);
		if (skill === undefined) {
			return;
		}
		const id = reader.requiredString(skill, "id", pointer);
		if (id !== undefined) {
			const first = seen.get(id);
			if (first === undefined) {
				seen.set(id, index);
			} else {
				reader.report(
					`${pointer}/id`,
					"VALUE_DUPLICATE",
					`repeats the id of /skills/${first}; give each skill its own id`,
				);
			}
		}
		reader.requiredString(skill, "name", pointer);
		reader.requiredString(skill, "description", pointer, { allowEmpty: true });
		for (const list of ["tags", "examples", "inputModes", "outputModes"]) {
			reader.stringArray(skill, list, pointer, { required: false });
		}
	});
}

function readInterfaces(reader: DocumentReader, card: JsonObject): void {
	reader.url(card, "url", "", { required: false });
	reader.optionalString(card, "preferredTransport", "");

	const additional = reader.optionalArray(card, "additionalInterfaces", "");
	additional?.forEach((value, index) => {
		const pointer = childPointer("/additionalInterfaces", index);
		const entry = reader.object(value, pointer);
		if (entry !== undefined) {
			reader.url(entry, "url", pointer, { required: true });
			reader.requiredString(entry, "transport", pointer);
		}
	});

	const supported = reader.optionalArray(card, "supportedInterfaces", "");
	supported?.forEach((value, index) => {
		const pointer = childPointer("/supportedInterfaces", index);
		const entry = reader.object(value, pointer);
		if (entry === undefined) {
			return;
		}
		reader.url(entry, "url", pointer, { required: true });
		// v1.0 names the binding protocolBinding; some early cards wrote transport.
		const binding = reader.optionalString(entry, "protocolBinding", pointer);
		const transport = reader.optionalString(entry, "transport", pointer);
		if (binding === undefined && transport === undefined) {
			reader.report(
				`${pointer}/protocolBinding`,
				"FIELD_MISSING",
				'is missing; name the binding, such as "JSONRPC", "GRPC" or "HTTP+JSON"',
			);
		}
		reader.optionalString(entry, "protocolVersion", pointer);
		reader.optionalString(entry, "tenant", pointer, { allowEmpty: true });
	});
}

function readProvider(reader: DocumentReader, card: JsonObject): void {
	const provider = reader.optionalObject(card, "provider", "");
	if (provider !== undefined) {
		reader.requiredString(provider, "organization", "/provider");
		reader.url(provider, "url", "/provider", { required: false });
	}
}

function readSecurity(reader: DocumentReader, card: JsonObject): void {
	const schemes = reader.optionalObject(card, "securitySchemes", "");
	if (schemes !== undefined) {
		for (const [key, scheme] of Object.entries(schemes)) {
			reader.object(scheme, childPointer("/securitySchemes", key));
		}
	}
	for (const list of ["security", "securityRequirements"]) {
		const requirements = reader.optionalArray(card, list, "");
		requirements?.forEach((requirement, index) => {
			reader.object(requirement, childPointer(`/${list}`, index));
		});
	}
}

function readSignatures(reader: DocumentReader, card: JsonObject): void {
	const signatures = reader.optionalArray(card, "signatures", "");
	signatures?.forEach((value, index) => {
		const pointer = childPointer("/signatures", index);
		const signature = reader.object(value, pointer);
		if (signature !== undefined) {
			reader.requiredString(signature, "protected", pointer);
			reader.requiredString(signature, "signature", pointer);
			reader.optionalObject(signature, "header", pointer);
		}
	});
}

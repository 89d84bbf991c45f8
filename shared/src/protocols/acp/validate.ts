import {
	childPointer,
	DocumentReader,
	type JsonObject,
} from "../document-reader.ts";
import { checkImageReference } from "../image-reference.ts";
import type { ValidationIssue } from "../types.ts";

/**
 * Checks an AGNTCY Agent Connect Protocol agent manifest (ACP 0.2
 * `AgentACPDescriptor`, optionally with the `deployment` section of the
 * ACP SDK's manifest) and returns its issues.
 *
 * Required: `metadata.ref.name`, `metadata.ref.version`,
 * `metadata.description` (may be empty) and `specs` with `capabilities`,
 * `input`, `output` and `config`. When `specs.capabilities.interrupts` is
 * true, `specs.interrupts` must list at least one interrupt, as the
 * specification requires. Deployment options are read from
 * `deployment.deployment_options` or, in older manifests, from
 * `deployments`.
 */
export function validateAcpManifest(metadata: unknown): ValidationIssue[] {
	const reader = new DocumentReader();
	const manifest = reader.object(metadata, "");
	if (manifest === undefined) {
		return reader.issues;
	}

	const agentMetadata = reader.requiredObject(manifest, "metadata", "");
	if (agentMetadata !== undefined) {
		const ref = reader.requiredObject(agentMetadata, "ref", "/metadata");
		if (ref !== undefined) {
			reader.requiredString(ref, "name", "/metadata/ref");
			reader.requiredString(ref, "version", "/metadata/ref");
			reader.url(ref, "url", "/metadata/ref", { required: false });
		}
		reader.requiredString(agentMetadata, "description", "/metadata", {
			allowEmpty: true,
		});
	}
	const specs = reader.requiredObject(manifest, "specs", "");
	if (specs !== undefined) {
		readSpecs(reader, specs);
	}

	const deployment = reader.optionalObject(manifest, "deployment", "");
	if (deployment !== undefined) {
		readDeploymentOptions(
			reader,
			deployment,
			"deployment_options",
			"/deployment",
		);
		reader.optionalArray(deployment, "dependencies", "/deployment");
	}
	readDeploymentOptions(reader, manifest, "deployments", "");
	reader.optionalArray(manifest, "dependencies", "");
	return reader.issues;
}

function readSpecs(reader: DocumentReader, specs: JsonObject): void {
	const pointer = "/specs";
	const capabilities = reader.requiredObject(specs, "capabilities", pointer);
	let interruptsDeclared = false;
	if (capabilities !== undefined) {
		const capabilitiesPointer = `${pointer}/capabilities`;
		reader.optionalBoolean(capabilities, "threads", capabilitiesPointer);
		reader.optionalBoolean(capabilities, "callbacks", capabilitiesPointer);
		interruptsDeclared =
			reader.optionalBoolean(
				capabilities,
				"interrupts",
				capabilitiesPointer,
			) === true;
		const streaming = reader.optionalObject(
			capabilities,
			"streaming",
			capabilitiesPointer,
		);
		if (streaming !== undefined) {
			const streamingPointer = `${capabilitiesPointer}/streaming`;
			reader.optionalBoolean(streaming, "values", streamingPointer);
			reader.optionalBoolean(streaming, "custom", streamingPointer);
		}
	}
	for (const schema of ["input", "output", "config"]) {
		reader.requiredObject(specs, schema, pointer);
	}
	for (const schema of ["custom_streaming_update", "thread_state"]) {
		reader.optionalObject(specs, schema, pointer);
	}

	const interrupts = reader.optionalArray(specs, "interrupts", pointer) ?? [];
	interrupts.forEach((value, index) => {
		const interruptPointer = childPointer(`${pointer}/interrupts`, index);
		const interrupt = reader.object(value, interruptPointer);
		if (interrupt !== undefined) {
			reader.requiredString(interrupt, "interrupt_type", interruptPointer);
			reader.optionalObject(interrupt, "interrupt_payload", interruptPointer);
			reader.optionalObject(interrupt, "resume_payload", interruptPointer);
		}
	});
	if (interruptsDeclared && interrupts.length === 0) {
		reader.report(
			`${pointer}/interrupts`,
			"FIELD_MISSING",
			"must list at least one interrupt, because specs.capabilities.interrupts is true",
		);
	}
}

function readDeploymentOptions(
	reader: DocumentReader,
	parent: JsonObject,
	key: string,
	pointer: string,
): void {
	const options = reader.optionalArray(parent, key, pointer);
	options?.forEach((value, index) => {
		const optionPointer = childPointer(`${pointer}/${key}`, index);
		const option = reader.object(value, optionPointer);
		if (option === undefined) {
			return;
		}
		const type = reader.requiredString(option, "type", optionPointer);
		reader.optionalString(option, "name", optionPointer);
		if (type === "source_code") {
			reader.url(option, "url", optionPointer, { required: true });
			reader.optionalObject(option, "framework_config", optionPointer);
		} else if (type === "remote_service") {
			readConnectProtocol(reader, option, optionPointer, { required: true });
		} else if (type === "docker") {
			const image = reader.requiredString(option, "image", optionPointer);
			checkImageReference(reader, image, `${optionPointer}/image`);
			readConnectProtocol(reader, option, optionPointer, { required: false });
		}
	});
}

function readConnectProtocol(
	reader: DocumentReader,
	option: JsonObject,
	pointer: string,
	options: { required: boolean },
): void {
	const protocol = options.required
		? reader.requiredObject(option, "protocol", pointer)
		: reader.optionalObject(option, "protocol", pointer);
	if (protocol === undefined) {
		return;
	}
	const protocolPointer = `${pointer}/protocol`;
	reader.requiredString(protocol, "type", protocolPointer);
	reader.url(protocol, "url", protocolPointer, {
		required: options.required,
		schemes: ["https", "http"],
	});
	reader.optionalString(protocol, "agent_id", protocolPointer);
	reader.optionalObject(protocol, "authentication", protocolPointer);
}

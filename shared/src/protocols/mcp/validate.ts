import {
	childPointer,
	DocumentReader,
	type JsonObject,
	quoteValue,
} from "../document-reader.ts";
import { checkImageReference } from "../image-reference.ts";
import type { ValidationIssue } from "../types.ts";
import { PACKAGE_REGISTRY_TYPES } from "./package-locator.ts";

/** Server name pattern and length limits of the server.json schema (2025-09-29 and 2025-12-11). */
const SERVER_NAME = /^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/;
const SERVER_NAME_LENGTH = { min: 3, max: 200 };
/** Maximum length of `version` in the server.json schema. */
const MAX_VERSION_LENGTH = 255;
/** The schema rejects version ranges; these characters only occur in ranges. */
const VERSION_RANGE = /[\^~<>=*|\s]|(^|\.)[xX](\.|$)/;
/** Transport URLs are templates such as `https://{host}/mcp`, so only the schema's pattern is checked. */
const TRANSPORT_URL = /^https?:\/\/\S+$/;
const SHA256_HEX = /^[a-f0-9]{64}$/;

const REMOTE_TRANSPORTS = ["streamable-http", "sse"];
const PACKAGE_TRANSPORTS = ["stdio", ...REMOTE_TRANSPORTS];

/**
 * Checks an MCP `server.json` (registry schema 2025-09-29 or 2025-12-11)
 * and returns its issues. `name`, `description` and `version` are
 * required, as are `registryType`, `identifier` and `transport` of each
 * package and `type` and `url` of each remote.
 *
 * `registryType` must be one that this adapter turns into a Package URL:
 * npm, pypi, nuget, oci or mcpb.
 */
export function validateServerJson(metadata: unknown): ValidationIssue[] {
	const reader = new DocumentReader();
	const server = reader.object(metadata, "");
	if (server === undefined) {
		return reader.issues;
	}

	const name = reader.requiredString(server, "name", "");
	if (name !== undefined && !isServerName(name)) {
		reader.report(
			"/name",
			"VALUE_INVALID",
			`must be a reverse-DNS server name of ${SERVER_NAME_LENGTH.min} to ${SERVER_NAME_LENGTH.max} characters with one "/", such as "io.github.user/weather", but it is ${quoteValue(name)}`,
		);
	}
	// NOTE: the schema also limits description to 1-100 characters. That rule
	// is not enforced, because 143 of the 358 servers in the registry's
	// 2025-09-29 seed break it and nothing in ANS depends on it.
	reader.requiredString(server, "description", "", { allowEmpty: true });
	const version = reader.requiredString(server, "version", "");
	if (version !== undefined) {
		checkVersion(reader, version, "/version");
	}
	reader.optionalString(server, "title", "");
	reader.url(server, "websiteUrl", "", { required: false });
	readRepository(reader, server);
	readIcons(reader, server);

	const packages = reader.optionalArray(server, "packages", "");
	packages?.forEach((value, index) => {
		readPackage(reader, value, childPointer("/packages", index));
	});
	const remotes = reader.optionalArray(server, "remotes", "");
	remotes?.forEach((value, index) => {
		const pointer = childPointer("/remotes", index);
		const remote = reader.object(value, pointer);
		if (remote !== undefined) {
			readTransport(reader, remote, pointer, REMOTE_TRANSPORTS);
			reader.optionalObject(remote, "variables", pointer);
		}
	});
	return reader.issues;
}

function isServerName(name: string): boolean {
	return (
		name.length >= SERVER_NAME_LENGTH.min &&
		name.length <= SERVER_NAME_LENGTH.max &&
		SERVER_NAME.test(name)
	);
}

function checkVersion(
	reader: DocumentReader,
	version: string,
	pointer: string,
): void {
	if (version.length > MAX_VERSION_LENGTH) {
		reader.report(
			pointer,
			"VALUE_INVALID",
			`must be at most ${MAX_VERSION_LENGTH} characters, but it has ${version.length}`,
		);
	} else if (version === "latest" || VERSION_RANGE.test(version)) {
		reader.report(
			pointer,
			"VALUE_INVALID",
			`must be one specific version such as "1.0.2", but it is ${quoteValue(version)}`,
		);
	}
}

function readRepository(reader: DocumentReader, server: JsonObject): void {
	const repository = reader.optionalObject(server, "repository", "");
	if (repository !== undefined) {
		reader.url(repository, "url", "/repository", { required: true });
		reader.requiredString(repository, "source", "/repository");
		reader.optionalString(repository, "id", "/repository");
		reader.optionalString(repository, "subfolder", "/repository");
	}
}

function readIcons(reader: DocumentReader, server: JsonObject): void {
	const icons = reader.optionalArray(server, "icons", "");
	icons?.forEach((value, index) => {
		const pointer = childPointer("/icons", index);
		const icon = reader.object(value, pointer);
		if (icon !== undefined) {
			reader.url(icon, "src", pointer, { required: true });
		}
	});
}

function readPackage(
	reader: DocumentReader,
	value: unknown,
	pointer: string,
): void {
	const entry = reader.object(value, pointer);
	if (entry === undefined) {
		return;
	}
	const registryType = reader.requiredString(entry, "registryType", pointer);
	if (
		registryType !== undefined &&
		!(PACKAGE_REGISTRY_TYPES as readonly string[]).includes(registryType)
	) {
		reader.report(
			`${pointer}/registryType`,
			"VALUE_UNSUPPORTED",
			`must be one of ${PACKAGE_REGISTRY_TYPES.join(", ")}, but it is ${quoteValue(registryType)}`,
		);
	}

	const identifier = reader.requiredString(entry, "identifier", pointer);
	if (registryType === "oci") {
		checkImageReference(reader, identifier, `${pointer}/identifier`);
	}
	const version = reader.optionalString(entry, "version", pointer);
	if (version !== undefined) {
		checkVersion(reader, version, `${pointer}/version`);
	}

	reader.url(entry, "registryBaseUrl", pointer, { required: false });
	reader.optionalString(entry, "runtimeHint", pointer);
	const fileSha256 = reader.optionalString(entry, "fileSha256", pointer);
	if (fileSha256 !== undefined && !SHA256_HEX.test(fileSha256)) {
		reader.report(
			`${pointer}/fileSha256`,
			"VALUE_INVALID",
			`must be 64 lowercase hex digits, but it is ${quoteValue(fileSha256)}`,
		);
	}
	if (registryType === "mcpb") {
		checkMcpbPackage(reader, entry, pointer, identifier);
	}

	for (const list of [
		"environmentVariables",
		"packageArguments",
		"runtimeArguments",
	]) {
		reader.optionalArray(entry, list, pointer);
	}

	const transport = reader.requiredObject(entry, "transport", pointer);
	if (transport !== undefined) {
		readTransport(
			reader,
			transport,
			`${pointer}/transport`,
			PACKAGE_TRANSPORTS,
		);
	}
}

/** Checks an MCPB package, which is a file download, so the schema requires an https URL and the SHA-256. */
function checkMcpbPackage(
	reader: DocumentReader,
	entry: JsonObject,
	pointer: string,
	identifier: string | undefined,
): void {
	if (identifier !== undefined && !identifier.startsWith("https://")) {
		reader.report(
			`${pointer}/identifier`,
			"VALUE_INVALID",
			`must be the https URL of the .mcpb file for registryType "mcpb", but it is ${quoteValue(identifier)}`,
		);
	}
	if (entry.fileSha256 === undefined || entry.fileSha256 === null) {
		reader.report(
			`${pointer}/fileSha256`,
			"FIELD_MISSING",
			'is missing; registryType "mcpb" needs the SHA-256 of the file',
		);
	}
}

function readTransport(
	reader: DocumentReader,
	transport: JsonObject,
	pointer: string,
	allowed: string[],
): void {
	const type = reader.requiredString(transport, "type", pointer);
	if (type === undefined) {
		return;
	}
	if (!allowed.includes(type)) {
		reader.report(
			`${pointer}/type`,
			"VALUE_UNSUPPORTED",
			`must be one of ${allowed.join(", ")}, but it is ${quoteValue(type)}`,
		);
		return;
	}
	if (type === "stdio") {
		return;
	}
	const url = reader.requiredString(transport, "url", pointer);
	if (url !== undefined && !TRANSPORT_URL.test(url)) {
		reader.report(
			`${pointer}/url`,
			"URL_INVALID",
			`must be an http or https URL such as "https://api.example.com/mcp", but it is ${quoteValue(url)}`,
		);
	}
	reader.optionalArray(transport, "headers", pointer);
}

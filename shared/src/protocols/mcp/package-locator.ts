import type { RecordEndpoint } from "../../records/types.ts";
import { textMember } from "../description.ts";
import { isJsonObject, type JsonObject } from "../document-reader.ts";
import {
	formatPackageUrl,
	ociPackageUrl,
	parseOciReference,
} from "../package-url.ts";

/** `registryType` values that {@link mcpPackageEndpoint} can turn into a Package URL. */
export const PACKAGE_REGISTRY_TYPES = [
	"npm",
	"pypi",
	"nuget",
	"oci",
	"mcpb",
] as const;

/**
 * Registry base URLs that the MCP registry assumes when a package names
 * none. A package on another registry gets a `repository_url` qualifier.
 */
const DEFAULT_REGISTRY_URLS: Record<string, string> = {
	npm: "https://registry.npmjs.org",
	pypi: "https://pypi.org",
	nuget: "https://api.nuget.org/v3/index.json",
};

/**
 * Builds the package-locator endpoint of one `packages` entry: `url` is
 * its Package URL, and `registryType`, `identifier`, `version`,
 * `fileSha256` and `registryBaseUrl` are copied so that the signed record
 * names the exact package. Returns undefined for an entry that
 * `validateServerJson` rejects.
 */
export function mcpPackageEndpoint(
	entry: JsonObject,
): RecordEndpoint | undefined {
	const registryType = textMember(entry, "registryType");
	const identifier = textMember(entry, "identifier");
	const transport = isJsonObject(entry.transport)
		? textMember(entry.transport, "type")
		: undefined;
	if (
		registryType === undefined ||
		identifier === undefined ||
		transport === undefined
	) {
		return undefined;
	}
	const version = textMember(entry, "version");
	const fileSha256 = textMember(entry, "fileSha256");
	const registryBaseUrl = textMember(entry, "registryBaseUrl");
	const url = packageUrl(registryType, identifier, {
		version,
		fileSha256,
		registryBaseUrl,
	});
	if (url === undefined) {
		return undefined;
	}

	const endpoint: RecordEndpoint = {
		protocol: "mcp",
		url,
		transport,
		registryType,
		identifier,
	};
	for (const [key, value] of Object.entries({
		version,
		fileSha256,
		registryBaseUrl,
	})) {
		if (value !== undefined) {
			endpoint[key] = value;
		}
	}
	return endpoint;
}

function packageUrl(
	registryType: string,
	identifier: string,
	options: {
		version: string | undefined;
		fileSha256: string | undefined;
		registryBaseUrl: string | undefined;
	},
): string | undefined {
	const repositoryUrl =
		options.registryBaseUrl !== undefined &&
		options.registryBaseUrl.replace(/\/+$/, "") !==
			DEFAULT_REGISTRY_URLS[registryType]
			? options.registryBaseUrl
			: undefined;
	const common = {
		...(options.version === undefined ? {} : { version: options.version }),
		qualifiers: { repository_url: repositoryUrl },
	};

	switch (registryType) {
		case "npm": {
			// A scoped package "@scope/name" has the scope as its purl namespace.
			const slash = identifier.startsWith("@") ? identifier.indexOf("/") : -1;
			return slash === -1
				? formatPackageUrl({ type: "npm", name: identifier, ...common })
				: formatPackageUrl({
						type: "npm",
						namespace: [identifier.slice(0, slash)],
						name: identifier.slice(slash + 1),
						...common,
					});
		}
		case "pypi":
			// PyPI names compare after PEP 503 normalization, which the purl type requires.
			return formatPackageUrl({
				type: "pypi",
				name: identifier.toLowerCase().replace(/[-_.]+/g, "-"),
				...common,
			});
		case "nuget":
			return formatPackageUrl({ type: "nuget", name: identifier, ...common });
		case "oci":
			return ociUrl(identifier, options);
		case "mcpb":
			return mcpbUrl(identifier, options);
		default:
			return undefined;
	}
}

function ociUrl(
	identifier: string,
	options: { version: string | undefined; registryBaseUrl: string | undefined },
): string | undefined {
	const defaultRegistry =
		options.registryBaseUrl !== undefined &&
		URL.canParse(options.registryBaseUrl)
			? new URL(options.registryBaseUrl).host
			: "docker.io";
	const reference = parseOciReference(identifier, defaultRegistry);
	if (reference === undefined) {
		return undefined;
	}
	// Older server.json files name the tag in `version` instead of the identifier.
	if (reference.tag === undefined && options.version !== undefined) {
		reference.tag = options.version;
	}
	return ociPackageUrl(reference);
}

/** Formats an MCPB bundle, which is a file download, as a `generic` purl with its URL and checksum. */
function mcpbUrl(
	identifier: string,
	options: { version: string | undefined; fileSha256: string | undefined },
): string | undefined {
	if (!URL.canParse(identifier)) {
		return undefined;
	}
	const fileName = new URL(identifier).pathname.split("/").pop() ?? "";
	const name = fileName.replace(/\.mcpb$/i, "");
	if (name === "") {
		return undefined;
	}
	return formatPackageUrl({
		type: "generic",
		name,
		...(options.version === undefined ? {} : { version: options.version }),
		qualifiers: {
			download_url: identifier,
			checksum:
				options.fileSha256 === undefined
					? undefined
					: `sha256:${options.fileSha256}`,
		},
	});
}

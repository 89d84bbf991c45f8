/**
 * Package URLs (purl, https://github.com/package-url/purl-spec): the
 * `pkg:type/namespace/name@version?qualifiers` strings that package-locator
 * endpoints carry in `url`.
 *
 * @module
 */
import type { RecordEndpoint } from "../records/types.ts";

/** Parts of a Package URL. */
export interface PackageUrlParts {
	/** Package type, such as `npm`, `pypi`, `nuget`, `oci` or `generic`. */
	type: string;
	/** Namespace segments, such as `["@scope"]` for a scoped npm package. */
	namespace?: string[];
	name: string;
	version?: string;
	qualifiers?: Record<string, string | undefined>;
}

/**
 * Formats a Package URL. Namespace segments, name and version are
 * percent-encoded (so npm's `@scope` becomes `%40scope`). Qualifiers are
 * sorted by key, and their values keep `:` and `/` readable, as in the
 * specification's examples.
 */
export function formatPackageUrl(parts: PackageUrlParts): string {
	const path = [...(parts.namespace ?? []), parts.name]
		.map(encodeURIComponent)
		.join("/");
	let purl = `pkg:${parts.type}/${path}`;
	if (parts.version !== undefined) {
		purl += `@${encodeURIComponent(parts.version)}`;
	}
	const qualifiers = Object.entries(parts.qualifiers ?? {})
		.filter((entry): entry is [string, string] => entry[1] !== undefined)
		.sort(compareKeys)
		.map(([key, value]) => `${key}=${encodeQualifierValue(value)}`);
	if (qualifiers.length > 0) {
		purl += `?${qualifiers.join("&")}`;
	}
	return purl;
}

/** Reports whether an endpoint is a package locator (its `url` is a Package URL). */
export function isPackageLocator(
	endpoint: Pick<RecordEndpoint, "url">,
): boolean {
	return endpoint.url.startsWith("pkg:");
}

/** An OCI image reference split into its parts. */
export interface OciReference {
	/** Registry host, such as `docker.io` or `ghcr.io`. */
	registry: string;
	/** Repository path inside the registry, such as `agntcy/dir`. */
	repository: string;
	tag?: string;
	/** Manifest digest, such as `sha256:…`. */
	digest?: string;
}

/** Docker's grammar for one repository path component, and for tags and digests. */
const OCI_PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const OCI_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const OCI_DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[A-Fa-f0-9]{32,}$/;

/**
 * Splits an image reference such as `ghcr.io/owner/image:1.2@sha256:…`.
 * An `https://` prefix is dropped. The first path segment is the registry
 * when it contains `.` or `:` or is `localhost`, as in Docker's reference
 * grammar. Otherwise the registry is `defaultRegistry`. Returns undefined
 * when the reference breaks that grammar, for example with an uppercase
 * repository or an npm-style `@scope/name`.
 */
export function parseOciReference(
	reference: string,
	defaultRegistry = "docker.io",
): OciReference | undefined {
	let rest = reference.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, "");

	let digest: string | undefined;
	const at = rest.indexOf("@");
	if (at !== -1) {
		digest = rest.slice(at + 1);
		rest = rest.slice(0, at);
	}
	let tag: string | undefined;
	const lastSlash = rest.lastIndexOf("/");
	const colon = rest.lastIndexOf(":");
	if (colon > lastSlash) {
		tag = rest.slice(colon + 1);
		rest = rest.slice(0, colon);
	}

	const segments = rest.split("/").filter((segment) => segment !== "");
	let registry = defaultRegistry;
	const first = segments[0];
	if (
		segments.length > 1 &&
		first !== undefined &&
		(first.includes(".") || first.includes(":") || first === "localhost")
	) {
		registry = first;
		segments.shift();
	}

	if (
		segments.length === 0 ||
		!segments.every((segment) => OCI_PATH_COMPONENT.test(segment)) ||
		(tag !== undefined && !OCI_TAG.test(tag)) ||
		(digest !== undefined && !OCI_DIGEST.test(digest))
	) {
		return undefined;
	}

	const parsed: OciReference = { registry, repository: segments.join("/") };
	if (tag !== undefined) {
		parsed.tag = tag;
	}
	if (digest !== undefined) {
		parsed.digest = digest;
	}
	return parsed;
}

/**
 * Formats an OCI image as `pkg:oci/<name>[@<digest>]?repository_url=…&tag=…`.
 * The specification makes the digest the version, but documents usually
 * name only a tag, so the version is left out when there is no digest.
 */
export function ociPackageUrl(reference: OciReference): string {
	const name = reference.repository.split("/").pop() ?? reference.repository;
	return formatPackageUrl({
		type: "oci",
		name: name.toLowerCase(),
		...(reference.digest === undefined ? {} : { version: reference.digest }),
		qualifiers: {
			repository_url: `${reference.registry}/${reference.repository}`,
			tag: reference.tag,
		},
	});
}

function compareKeys([a]: [string, string], [b]: [string, string]): number {
	if (a === b) {
		return 0;
	}
	return a < b ? -1 : 1;
}

function encodeQualifierValue(value: string): string {
	return encodeURIComponent(value)
		.replaceAll("%3A", ":")
		.replaceAll("%2F", "/");
}

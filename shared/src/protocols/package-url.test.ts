import { describe, expect, it } from "vitest";
import {
	formatPackageUrl,
	isPackageLocator,
	ociPackageUrl,
	parseOciReference,
} from "./package-url.ts";

describe("formatPackageUrl", () => {
	it("encodes an npm scope", () => {
		expect(
			formatPackageUrl({
				type: "npm",
				namespace: ["@angular"],
				name: "animation",
				version: "12.3.1",
			}),
		).toBe("pkg:npm/%40angular/animation@12.3.1");
	});

	it("sorts qualifiers and drops undefined ones", () => {
		expect(
			formatPackageUrl({
				type: "generic",
				name: "openssl",
				version: "1.1.10g",
				qualifiers: {
					download_url: "https://openssl.org/source/openssl-1.1.0g.tar.gz",
					checksum: "sha256:de4d501267da",
					arch: undefined,
				},
			}),
		).toBe(
			"pkg:generic/openssl@1.1.10g?checksum=sha256:de4d501267da&download_url=https://openssl.org/source/openssl-1.1.0g.tar.gz",
		);
	});

	it("percent-encodes a version's colon and plus", () => {
		expect(
			formatPackageUrl({ type: "npm", name: "x", version: "1.0.0+b:1" }),
		).toBe("pkg:npm/x@1.0.0%2Bb%3A1");
	});

	it("produces URLs that parse", () => {
		const url = formatPackageUrl({
			type: "npm",
			namespace: ["@scope"],
			name: "name",
			version: "1.2.3",
		});
		expect(URL.canParse(url)).toBe(true);
		expect(isPackageLocator({ url })).toBe(true);
		expect(isPackageLocator({ url: "https://example.com/pkg:x" })).toBe(false);
	});
});

describe("parseOciReference", () => {
	it.each([
		[
			"ghcr.io/owner/image:1.2@sha256:0123456789abcdef0123456789abcdef",
			{
				registry: "ghcr.io",
				repository: "owner/image",
				tag: "1.2",
				digest: "sha256:0123456789abcdef0123456789abcdef",
			},
		],
		[
			"https://ghcr.io/agntcy/marketing-strategy",
			{ registry: "ghcr.io", repository: "agntcy/marketing-strategy" },
		],
		[
			"domdomegg/airtable-mcp-server:1.7.2",
			{
				registry: "docker.io",
				repository: "domdomegg/airtable-mcp-server",
				tag: "1.7.2",
			},
		],
		[
			"localhost:5000/agent:dev",
			{ registry: "localhost:5000", repository: "agent", tag: "dev" },
		],
	])("splits %s", (reference, expected) => {
		expect(parseOciReference(reference)).toEqual(expected);
	});

	it.each(["@scope/name", "Owner/Image", "", "ghcr.io/a:", "x@sha256:12"])(
		"rejects %j",
		(reference) => {
			expect(parseOciReference(reference)).toBeUndefined();
		},
	);

	it("keeps the digest as the purl version", () => {
		const reference = parseOciReference(
			"ghcr.io/owner/image@sha256:0123456789abcdef0123456789abcdef",
		);
		if (reference === undefined) {
			throw new Error("the reference did not parse");
		}
		expect(ociPackageUrl(reference)).toBe(
			"pkg:oci/image@sha256%3A0123456789abcdef0123456789abcdef?repository_url=ghcr.io/owner/image",
		);
	});
});

import fc from "fast-check";
import semver from "semver";
import { describe, expect, it } from "vitest";
import { isAnsError } from "../errors.ts";
import { formatBaseName, formatDisplayName, formatName } from "./format.ts";
import { parseName } from "./parse.ts";
import { MAX_NAME_LENGTH } from "./types.ts";

interface GeneratedName {
	protocol: string;
	agentId: string;
	capability: string;
	provider: string;
	v: string;
	numbers: string[];
	prerelease?: string[];
	extension?: string;
}

const notPunycode = (label: string) => !label.toLowerCase().startsWith("xn--");

const protocolArbitrary = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,15}$/);
/**
 * Labels of any length up to 63. stringMatching alone favours short strings,
 * so long labels get their own branch to reach the 255-character limit.
 */
function labelOf(first: string): fc.Arbitrary<string> {
	const short = fc.stringMatching(
		new RegExp(`^${first}(?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?$`),
	);
	const long = fc
		.integer({ min: 50, max: 63 })
		.chain((length) =>
			fc.stringMatching(
				new RegExp(`^${first}[A-Za-z0-9_-]{${length - 2}}[A-Za-z0-9]$`),
			),
		);
	return fc.oneof(short, long).filter(notPunycode);
}

const labelArbitrary = labelOf("[A-Za-z0-9]");
const extensionArbitrary = labelOf("[A-Za-z]");
const numberArbitrary = fc.oneof(
	fc.nat({ max: 20 }).map(String),
	fc.maxSafeNat().map(String),
);
const prereleaseIdentifierArbitrary = fc.oneof(
	fc.maxSafeNat().map(String),
	fc
		.stringMatching(/^[0-9A-Za-z-]{1,12}$/)
		.filter((identifier) => !/^0[0-9]+$/.test(identifier)),
);

const generatedNameArbitrary: fc.Arbitrary<GeneratedName> = fc
	.record({
		protocol: protocolArbitrary,
		agentId: labelArbitrary,
		capability: labelArbitrary,
		provider: labelArbitrary,
		v: fc.constantFrom("v", "V"),
		numbers: fc.array(numberArbitrary, { minLength: 1, maxLength: 3 }),
		prerelease: fc.option(
			fc.array(prereleaseIdentifierArbitrary, { minLength: 1, maxLength: 4 }),
			{ nil: undefined },
		),
		extension: fc.option(extensionArbitrary, { nil: undefined }),
	})
	.map((generated) => {
		// A pre-release needs all three numbers and runs to the end of the name.
		const withPrerelease = generated.prerelease !== undefined;
		const result: GeneratedName = {
			...generated,
			numbers: withPrerelease
				? [...generated.numbers, "0", "0"].slice(0, 3)
				: generated.numbers,
		};
		if (withPrerelease) {
			delete result.extension;
		} else {
			delete result.prerelease;
		}
		return result;
	});

function versionTextOf(generated: GeneratedName): string {
	const prerelease =
		generated.prerelease === undefined
			? ""
			: `-${generated.prerelease.join(".")}`;
	return `${generated.numbers.join(".")}${prerelease}`;
}

function render(generated: GeneratedName): string {
	const extension =
		generated.extension === undefined ? "" : `.${generated.extension}`;
	return `${generated.protocol}://${generated.agentId}.${generated.capability}.${generated.provider}.${generated.v}${versionTextOf(generated)}${extension}`;
}

function expectedVersion(generated: GeneratedName): string {
	const numbers = [...generated.numbers, "0", "0"].slice(0, 3).join(".");
	const prerelease =
		generated.prerelease === undefined
			? ""
			: `-${generated.prerelease.join(".").toLowerCase()}`;
	return `${numbers}${prerelease}`;
}

function expectedCanonical(generated: GeneratedName): string {
	const extension =
		generated.extension === undefined ? "" : `.${generated.extension}`;
	return `${generated.protocol}://${generated.agentId}.${generated.capability}.${generated.provider}.v${expectedVersion(generated)}${extension}`.toLowerCase();
}

describe("formatName", () => {
	it("formats the canonical form", () => {
		const name = parseName(
			"a2a://textProcessor.DocumentTranslation.AcmeCorp.v2.1.hipaa",
		);
		expect(formatName(name)).toBe(
			"a2a://textprocessor.documenttranslation.acmecorp.v2.1.0.hipaa",
		);
		expect(formatDisplayName(name)).toBe(
			"a2a://textProcessor.DocumentTranslation.AcmeCorp.v2.1.hipaa",
		);
		expect(formatBaseName(name)).toBe(
			"a2a://textprocessor.documenttranslation.acmecorp",
		);
	});

	it("lowercases a hand-built name", () => {
		const canonical = formatName({
			protocol: "MCP",
			agentId: "A",
			capability: "B",
			provider: "C",
			version: "1.0.0-RC.1",
			versionText: "1.0.0-RC.1",
			extension: "X",
		});
		expect(canonical).toBe("mcp://a.b.c.v1.0.0-rc.1.x");
	});

	it("round-trips generated names", () => {
		fc.assert(
			fc.property(generatedNameArbitrary, (generated) => {
				const input = render(generated);
				const canonical = expectedCanonical(generated);
				if (
					input.length > MAX_NAME_LENGTH ||
					canonical.length > MAX_NAME_LENGTH
				) {
					expect(() => parseName(input)).toThrow(
						expect.objectContaining({ code: "NAME_TOO_LONG" }),
					);
					return;
				}

				const name = parseName(input);
				expect(name.protocol).toBe(generated.protocol.toLowerCase());
				expect(name.agentId).toBe(generated.agentId);
				expect(name.capability).toBe(generated.capability);
				expect(name.provider).toBe(generated.provider);
				expect(name.extension).toBe(generated.extension);
				expect(name.version).toBe(expectedVersion(generated));
				expect(name.versionText).toBe(versionTextOf(generated));
				expect(semver.valid(name.version)).toBe(name.version);

				expect(formatName(name)).toBe(canonical);
				expect(formatDisplayName(name)).toBe(
					render({
						...generated,
						protocol: generated.protocol.toLowerCase(),
						v: "v",
					}),
				);

				const reparsed = parseName(canonical);
				expect(formatName(reparsed)).toBe(canonical);
				expect(reparsed.agentId).toBe(name.agentId.toLowerCase());
				expect(reparsed.capability).toBe(name.capability.toLowerCase());
				expect(reparsed.provider).toBe(name.provider.toLowerCase());
				expect(reparsed.version).toBe(name.version);
				expect(reparsed.extension).toBe(name.extension?.toLowerCase());
			}),
			{ numRuns: 2000 },
		);
	});

	it("ignores case for identity", () => {
		fc.assert(
			fc.property(generatedNameArbitrary, fc.boolean(), (generated, upper) => {
				const input = render(generated);
				fc.pre(expectedCanonical(generated).length <= MAX_NAME_LENGTH);
				const changed = upper ? input.toUpperCase() : input.toLowerCase();
				expect(formatName(parseName(changed))).toBe(
					formatName(parseName(input)),
				);
			}),
			{ numRuns: 500 },
		);
	});

	it("throws only AnsError on arbitrary input", () => {
		const mutatedName = fc
			.tuple(
				generatedNameArbitrary,
				fc.nat(),
				fc.string({ unit: "binary", minLength: 1, maxLength: 3 }),
			)
			.map(([generated, position, inserted]) => {
				const input = render(generated);
				const at = position % (input.length + 1);
				return input.slice(0, at) + inserted + input.slice(at);
			});
		fc.assert(
			fc.property(
				fc.oneof(fc.string({ unit: "binary", maxLength: 300 }), mutatedName),
				(input) => {
					try {
						const name = parseName(input);
						expect(formatName(parseName(formatName(name)))).toBe(
							formatName(name),
						);
					} catch (error) {
						expect(isAnsError(error)).toBe(true);
						expect(error).toMatchObject({ status: 400, field: "name" });
					}
				},
			),
			{ numRuns: 2000 },
		);
	});
});

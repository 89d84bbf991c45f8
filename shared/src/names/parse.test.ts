import { describe, expect, it } from "vitest";
import { isAnsError } from "../errors.ts";
import { formatDisplayName, formatName } from "./format.ts";
import { parseBaseName, parseName, parseNameOrBase } from "./parse.ts";

/** Calls `parse` and returns the AnsError it throws, failing when it returns. */
function errorOf(parse: () => unknown) {
	try {
		parse();
	} catch (error) {
		if (isAnsError(error)) {
			return error;
		}
		throw error;
	}
	throw new Error("expected an AnsError, but parsing succeeded");
}

const label63 = `a${"b".repeat(61)}c`;
const label64 = `a${"b".repeat(62)}c`;

/** Builds a valid name of `length` characters (206 to 268) with a full version. */
function nameOfLength(length: number): string {
	const head = `a2a://${label63}.${label63}.${label63}.v1.0.0.`;
	return head + "e".repeat(length - head.length);
}

describe("parseName valid names", () => {
	const cases: {
		input: string;
		canonical: string;
		version: string;
		versionText: string;
		extension?: string;
	}[] = [
		{
			input: "a2a://textProcessor.DocumentTranslation.AcmeCorp.v2.1.hipaa",
			canonical:
				"a2a://textprocessor.documenttranslation.acmecorp.v2.1.0.hipaa",
			version: "2.1.0",
			versionText: "2.1",
			extension: "hipaa",
		},
		{
			input: "mcp://sentimentAnalyzer.textAnalysis.ExampleCorp.v1.0",
			canonical: "mcp://sentimentanalyzer.textanalysis.examplecorp.v1.0.0",
			version: "1.0.0",
			versionText: "1.0",
		},
		{
			input: "mcp://sentimentAnalyzer.textAnalysis.ExampleCorp.v1.0.0",
			canonical: "mcp://sentimentanalyzer.textanalysis.examplecorp.v1.0.0",
			version: "1.0.0",
			versionText: "1.0.0",
		},
		{
			input: "A2A://agent.cap.prov.V2",
			canonical: "a2a://agent.cap.prov.v2.0.0",
			version: "2.0.0",
			versionText: "2",
		},
		{
			input: "a2a://agent.cap.prov.v2.hipaa",
			canonical: "a2a://agent.cap.prov.v2.0.0.hipaa",
			version: "2.0.0",
			versionText: "2",
			extension: "hipaa",
		},
		{
			input: "a2a://agent.cap.v2.v3",
			canonical: "a2a://agent.cap.v2.v3.0.0",
			version: "3.0.0",
			versionText: "3",
		},
		{
			input: "a2a://agent.cap.prov.v2.1.v4",
			canonical: "a2a://agent.cap.prov.v2.1.0.v4",
			version: "2.1.0",
			versionText: "2.1",
			extension: "v4",
		},
		{
			input: "a2a://agent.cap.prov.v1.0.0-beta.1",
			canonical: "a2a://agent.cap.prov.v1.0.0-beta.1",
			version: "1.0.0-beta.1",
			versionText: "1.0.0-beta.1",
		},
		{
			input: "a2a://agent.cap.prov.v1.0.0-beta.1.hipaa",
			canonical: "a2a://agent.cap.prov.v1.0.0-beta.1.hipaa",
			version: "1.0.0-beta.1.hipaa",
			versionText: "1.0.0-beta.1.hipaa",
		},
		{
			input: "a2a://agent.cap.prov.v1.0.0-RC.1",
			canonical: "a2a://agent.cap.prov.v1.0.0-rc.1",
			version: "1.0.0-rc.1",
			versionText: "1.0.0-RC.1",
		},
		{
			input: "a2a://agent.cap.prov.v1.0.0-0.x-y--z",
			canonical: "a2a://agent.cap.prov.v1.0.0-0.x-y--z",
			version: "1.0.0-0.x-y--z",
			versionText: "1.0.0-0.x-y--z",
		},
		{
			input: "a2a://a-b_c.C4p.pr--ov.v0",
			canonical: "a2a://a-b_c.c4p.pr--ov.v0.0.0",
			version: "0.0.0",
			versionText: "0",
		},
		{
			input: "a2a://0.1.2.v10.20.30.Ext_1-a",
			canonical: "a2a://0.1.2.v10.20.30.ext_1-a",
			version: "10.20.30",
			versionText: "10.20.30",
			extension: "Ext_1-a",
		},
		{
			input: "abcdefghijklmnop://a.b.c.v9007199254740991",
			canonical: "abcdefghijklmnop://a.b.c.v9007199254740991.0.0",
			version: "9007199254740991.0.0",
			versionText: "9007199254740991",
		},
		{
			input: "x-1://a.b.c.v1",
			canonical: "x-1://a.b.c.v1.0.0",
			version: "1.0.0",
			versionText: "1",
		},
	];

	for (const testCase of cases) {
		it(`parses ${testCase.input}`, () => {
			const name = parseName(testCase.input);
			expect(formatName(name)).toBe(testCase.canonical);
			expect(name.version).toBe(testCase.version);
			expect(name.versionText).toBe(testCase.versionText);
			expect(name.extension).toBe(testCase.extension);
		});
	}

	it("keeps display case of labels", () => {
		const name = parseName(
			"A2A://textProcessor.DocumentTranslation.AcmeCorp.v2.1.HIPAA",
		);
		expect(name).toEqual({
			protocol: "a2a",
			agentId: "textProcessor",
			capability: "DocumentTranslation",
			provider: "AcmeCorp",
			version: "2.1.0",
			versionText: "2.1",
			extension: "HIPAA",
		});
	});

	it("omits extension key without extension", () => {
		const name = parseName("a2a://a.b.c.v1");
		expect("extension" in name).toBe(false);
	});

	it("treats names differing in case as one", () => {
		const lower = parseName(
			"a2a://textprocessor.documenttranslation.acmecorp.v2.1",
		);
		const mixed = parseName(
			"A2A://TextProcessor.DocumentTranslation.ACMECORP.V2.1.0",
		);
		expect(formatName(lower)).toBe(formatName(mixed));
	});

	it("formats display name as written", () => {
		const input = "a2a://textProcessor.DocumentTranslation.AcmeCorp.v2.1.hipaa";
		expect(formatDisplayName(parseName(input))).toBe(input);
	});

	it("accepts 63-character labels", () => {
		const name = parseName(`a2a://${label63}.${label63}.${label63}.v1`);
		expect(name.agentId).toBe(label63);
		expect(name.capability).toBe(label63);
		expect(name.provider).toBe(label63);
		expect(parseName(`a2a://a.b.c.v1.${label63}`).extension).toBe(label63);
	});

	it("accepts a 255-character name", () => {
		const input = nameOfLength(255);
		expect(input).toHaveLength(255);
		expect(formatName(parseName(input))).toBe(input);
	});
});

describe("parseName invalid names", () => {
	const cases: { input: string; code: string; why: string }[] = [
		{ input: "", code: "NAME_EMPTY", why: "empty input" },
		{ input: " a2a://a.b.c.v1", code: "NAME_WHITESPACE", why: "leading space" },
		{
			input: "a2a://a.b.c.v1\n",
			code: "NAME_WHITESPACE",
			why: "trailing newline",
		},
		{
			input: "a2a://a.b.c.v1\u00a0",
			code: "NAME_WHITESPACE",
			why: "trailing no-break space",
		},
		{ input: "\ta2a://a.b.c.v1", code: "NAME_WHITESPACE", why: "leading tab" },
		{ input: "a2a//a.b.c.v1", code: "NAME_SEPARATOR_MISSING", why: "no colon" },
		{
			input: "a2a:a.b.c.v1",
			code: "NAME_SEPARATOR_MISSING",
			why: "no slashes",
		},
		{
			input: "a.b.c.v1",
			code: "NAME_SEPARATOR_MISSING",
			why: "no protocol at all",
		},
		{ input: "://a.b.c.v1", code: "NAME_MISSING_PART", why: "empty protocol" },
		{
			input: "a2a://",
			code: "NAME_MISSING_PART",
			why: "nothing after separator",
		},
		{ input: "a2a://agent", code: "NAME_MISSING_PART", why: "only agentId" },
		{ input: "a2a://agent.cap", code: "NAME_MISSING_PART", why: "no provider" },
		{
			input: "a2a://agent.cap.prov",
			code: "NAME_MISSING_PART",
			why: "no version",
		},
		{
			input: "2a2://a.b.c.v1",
			code: "NAME_PROTOCOL_INVALID",
			why: "protocol starts with digit",
		},
		{
			input: "-a2a://a.b.c.v1",
			code: "NAME_PROTOCOL_INVALID",
			why: "protocol starts with hyphen",
		},
		{
			input: "a_2://a.b.c.v1",
			code: "NAME_PROTOCOL_INVALID",
			why: "underscore in protocol",
		},
		{
			input: "a+b://a.b.c.v1",
			code: "NAME_PROTOCOL_INVALID",
			why: "plus in protocol",
		},
		{
			input: "abcdefghijklmnopq://a.b.c.v1",
			code: "NAME_PROTOCOL_INVALID",
			why: "17-character protocol",
		},
		{
			input: "a2a://a.b.c.v1.",
			code: "NAME_TRAILING_DOT",
			why: "dot after version",
		},
		{
			input: "a2a://a.b.c.v1.0.0-beta.",
			code: "NAME_TRAILING_DOT",
			why: "dot after pre-release",
		},
		{
			input: "a2a://a.b.c.",
			code: "NAME_TRAILING_DOT",
			why: "dot after provider",
		},
		{ input: "a2a://.b.c.v1", code: "NAME_EMPTY_LABEL", why: "empty agentId" },
		{
			input: "a2a://a..c.v1",
			code: "NAME_EMPTY_LABEL",
			why: "empty capability",
		},
		{ input: "a2a://a.b..v1", code: "NAME_EMPTY_LABEL", why: "empty provider" },
		{
			input: "a2a://a.b.c..v1",
			code: "NAME_EMPTY_LABEL",
			why: "empty label before version",
		},
		{
			input: "a2a://a.b.c.v1..x",
			code: "NAME_EMPTY_LABEL",
			why: "empty label before extension",
		},
		{
			input: "a2a://a.b.c.v1.0.0-beta..1",
			code: "NAME_EMPTY_LABEL",
			why: "empty pre-release identifier",
		},
		{
			input: "a2a://-a.b.c.v1",
			code: "NAME_LABEL_INVALID",
			why: "label starts with hyphen",
		},
		{
			input: "a2a://a-.b.c.v1",
			code: "NAME_LABEL_INVALID",
			why: "label ends with hyphen",
		},
		{
			input: "a2a://_a.b.c.v1",
			code: "NAME_LABEL_INVALID",
			why: "label starts with underscore",
		},
		{
			input: "a2a://a.b_.c.v1",
			code: "NAME_LABEL_INVALID",
			why: "label ends with underscore",
		},
		{
			input: "a2a://a b.c.d.v1",
			code: "NAME_LABEL_INVALID",
			why: "space inside label",
		},
		{
			input: "a2a://a\tb.c.d.v1",
			code: "NAME_LABEL_INVALID",
			why: "tab inside label",
		},
		{
			input: "a2a://a/b.c.d.v1",
			code: "NAME_LABEL_INVALID",
			why: "slash inside label",
		},
		{
			input: "a2a://a.b.c:443.v1",
			code: "NAME_LABEL_INVALID",
			why: "port-like suffix",
		},
		{
			input: "a2a://a2a://a.b.c.v1",
			code: "NAME_LABEL_INVALID",
			why: "repeated separator",
		},
		{ input: "a2a://a@b.c.d.v1", code: "NAME_LABEL_INVALID", why: "at sign" },
		{
			input: "a2a://xn--80ak6aa92e.b.c.v1",
			code: "NAME_PUNYCODE_LABEL",
			why: "punycode agentId",
		},
		{
			input: "a2a://a.XN--pple-43d.c.v1",
			code: "NAME_PUNYCODE_LABEL",
			why: "uppercase punycode prefix",
		},
		{
			input: "a2a://a.b.xn--c.v1",
			code: "NAME_PUNYCODE_LABEL",
			why: "punycode provider",
		},
		{
			input: "a2a://a.b.c.v1.xn--ext",
			code: "NAME_PUNYCODE_LABEL",
			why: "punycode extension",
		},
		{
			input: `a2a://${label64}.b.c.v1`,
			code: "NAME_LABEL_TOO_LONG",
			why: "64-character agentId",
		},
		{
			input: `a2a://a.${label64}.c.v1`,
			code: "NAME_LABEL_TOO_LONG",
			why: "64-character capability",
		},
		{
			input: `a2a://a.b.${label64}.v1`,
			code: "NAME_LABEL_TOO_LONG",
			why: "64-character provider",
		},
		{
			input: `a2a://a.b.c.v1.${label64}`,
			code: "NAME_LABEL_TOO_LONG",
			why: "64-character extension",
		},
		{
			input: "a2a://a.b.c.1.0",
			code: "NAME_VERSION_INVALID",
			why: "version without v",
		},
		{
			input: "a2a://a.b.c.hipaa",
			code: "NAME_VERSION_INVALID",
			why: "extension without version",
		},
		{
			input: "a2a://a.b.c.vendor",
			code: "NAME_VERSION_INVALID",
			why: "word starting with v",
		},
		{
			input: "a2a://a.b.c.v",
			code: "NAME_VERSION_INVALID",
			why: "v without number",
		},
		{
			input: "a2a://a.b.c.v01",
			code: "NAME_VERSION_INVALID",
			why: "leading zero in major",
		},
		{
			input: "a2a://a.b.c.v1.02",
			code: "NAME_VERSION_INVALID",
			why: "leading zero in minor",
		},
		{
			input: "a2a://a.b.c.v1.0.00",
			code: "NAME_VERSION_INVALID",
			why: "leading zero in patch",
		},
		{
			input: "a2a://a.b.c.v1.2.3.4",
			code: "NAME_VERSION_INVALID",
			why: "four numbers",
		},
		{
			input: "a2a://a.b.c.v1.2.3.4.ext",
			code: "NAME_VERSION_INVALID",
			why: "four numbers then extension",
		},
		{
			input: "a2a://a.b.c.v12345678901234567",
			code: "NAME_VERSION_INVALID",
			why: "17 digits",
		},
		{
			input: "a2a://a.b.c.v9007199254740992",
			code: "NAME_VERSION_INVALID",
			why: "above safe integer",
		},
		{
			input: "a2a://a.b.c.v9999999999999999",
			code: "NAME_VERSION_INVALID",
			why: "16 nines",
		},
		{
			input: "a2a://a.b.c.v1a",
			code: "NAME_VERSION_INVALID",
			why: "letter glued to number",
		},
		{
			input: "a2a://a.b.c.v1_0",
			code: "NAME_VERSION_INVALID",
			why: "underscore in version",
		},
		{
			input: "a2a://a.b.c.v-1",
			code: "NAME_VERSION_INVALID",
			why: "negative version",
		},
		{
			input: "a2a://a.b.c.v1.0.0+build.1",
			code: "NAME_BUILD_METADATA",
			why: "build metadata",
		},
		{
			input: "a2a://a.b.c.v1+build",
			code: "NAME_BUILD_METADATA",
			why: "build metadata on short version",
		},
		{
			input: "a2a://a.b.c.v1.0.0-beta+exp",
			code: "NAME_BUILD_METADATA",
			why: "build metadata after pre-release",
		},
		{
			input: "a2a://a.b.c.v1-beta",
			code: "NAME_PRERELEASE_INVALID",
			why: "pre-release on major only",
		},
		{
			input: "a2a://a.b.c.v1.0-beta",
			code: "NAME_PRERELEASE_INVALID",
			why: "pre-release on major.minor",
		},
		{
			input: "a2a://a.b.c.v1.0.0-",
			code: "NAME_PRERELEASE_INVALID",
			why: "empty pre-release",
		},
		{
			input: "a2a://a.b.c.v1.0.0-01",
			code: "NAME_PRERELEASE_INVALID",
			why: "numeric identifier with leading zero",
		},
		{
			input: "a2a://a.b.c.v1.0.0-beta_1",
			code: "NAME_PRERELEASE_INVALID",
			why: "underscore in pre-release",
		},
		{
			input: "a2a://a.b.c.v1.0.0-beta.01",
			code: "NAME_PRERELEASE_INVALID",
			why: "later numeric identifier with leading zero",
		},
		{
			input: "a2a://a.b.c.v1.hipaa.extra",
			code: "NAME_EXTRA_LABEL",
			why: "two extension labels",
		},
		{
			input: "a2a://a.b.c.v1.-x",
			code: "NAME_EXTENSION_INVALID",
			why: "extension starts with hyphen",
		},
		{
			input: "a2a://a.b.c.v1._x",
			code: "NAME_EXTENSION_INVALID",
			why: "extension starts with underscore",
		},
		{
			input: "a2a://a.b.c.v1.x-",
			code: "NAME_LABEL_INVALID",
			why: "extension ends with hyphen",
		},
		{
			input: "a2a://a.b.c.v1.hi+aa",
			code: "NAME_LABEL_INVALID",
			why: "plus in extension",
		},
		{
			input: nameOfLength(256),
			code: "NAME_TOO_LONG",
			why: "256-character name",
		},
		{
			input: `a2a://${"a.".repeat(200)}v1`,
			code: "NAME_TOO_LONG",
			why: "many labels",
		},
	];

	for (const testCase of cases) {
		it(`rejects ${testCase.why} with ${testCase.code}`, () => {
			const error = errorOf(() => parseName(testCase.input));
			expect(error.code).toBe(testCase.code);
			expect(error.status).toBe(400);
			expect(error.field).toBe("name");
		});
	}

	it("builds a 256-character name for the length case", () => {
		expect(nameOfLength(256)).toHaveLength(256);
	});

	it("rejects a canonical form over 255 characters", () => {
		// 255 characters as written, but "v2" becomes "v2.0.0" in canonical form.
		const labels = `${label63}.${label63}.${label63}`;
		const extension = "e".repeat(
			255 - "a2a://".length - labels.length - ".v2.".length,
		);
		const input = `a2a://${labels}.v2.${extension}`;
		expect(input).toHaveLength(255);
		const error = errorOf(() => parseName(input));
		expect(error.code).toBe("NAME_TOO_LONG");
		expect(error.message).toContain("259");
	});

	it("accepts a short version when canonical form fits", () => {
		const labels = `${label63}.${label63}.${label63}`;
		const extension = "e".repeat(
			255 - "a2a://".length - labels.length - ".v2.0.0.".length,
		);
		const input = `a2a://${labels}.v2.${extension}`;
		expect(formatName(parseName(input))).toHaveLength(255);
	});

	it("rejects a non-string input", () => {
		const error = errorOf(() => parseName(42 as unknown as string));
		expect(error.code).toBe("NAME_NOT_STRING");
		expect(error.field).toBe("name");
	});

	it("names the empty part", () => {
		const error = errorOf(() => parseName("a2a://a..c.v1"));
		expect(error.message).toContain("capability");
		expect(error.message).toContain("index 8");
	});

	it("names the missing parts", () => {
		const error = errorOf(() => parseName("a2a://agent"));
		expect(error.message).toContain("capability and provider are missing");
	});

	it("names the invalid character and index", () => {
		const error = errorOf(() => parseName("a2a://a.b c.d.v1"));
		expect(error.message).toContain('" "');
		expect(error.message).toContain("index 9");
	});

	it("cuts long input in messages", () => {
		const error = errorOf(() => parseName(`a2a://${"a".repeat(10_000)}`));
		expect(error.code).toBe("NAME_TOO_LONG");
		expect(error.message.length).toBeLessThan(400);
	});
});

describe("parseName non-ASCII characters", () => {
	const cases: {
		input: string;
		codePoint: string;
		index: number;
		lookalike?: string;
	}[] = [
		{
			input: "a2a://tеxt.b.c.v1",
			codePoint: "U+0435",
			index: 7,
			lookalike: "e",
		},
		{ input: "a2a://а.b.c.v1", codePoint: "U+0430", index: 6, lookalike: "a" },
		{
			input: "a2a://a.b.Aсme.v1",
			codePoint: "U+0441",
			index: 11,
			lookalike: "c",
		},
		{
			input: "a2a://gοοgle.b.c.v1",
			codePoint: "U+03BF",
			index: 7,
			lookalike: "o",
		},
		{
			input: "a2a://a.b.c.v1.НIPAA",
			codePoint: "U+041D",
			index: 15,
			lookalike: "H",
		},
		{
			input: "a2a://a.Ρay.c.v1",
			codePoint: "U+03A1",
			index: 8,
			lookalike: "P",
		},
		{ input: "ａ2a://a.b.c.v1", codePoint: "U+FF41", index: 0, lookalike: "a" },
		{
			input: "a2a://a.b.c.v１",
			codePoint: "U+FF11",
			index: 13,
			lookalike: "1",
		},
		{ input: "a2a://café.b.c.v1", codePoint: "U+00E9", index: 9 },
		{ input: "a2a://a\u200bb.c.d.v1", codePoint: "U+200B", index: 7 },
		{ input: "a2a://a.b.c.v1.0.0-bétа", codePoint: "U+00E9", index: 20 },
		{ input: "a2a://😀.b.c.v1", codePoint: "U+1F600", index: 6 },
		{ input: "a2a\uff1a//a.b.c.v1", codePoint: "U+FF1A", index: 3 },
	];

	for (const testCase of cases) {
		it(`reports ${testCase.codePoint} at index ${testCase.index}`, () => {
			const error = errorOf(() => parseName(testCase.input));
			expect(error.code).toBe("NAME_NON_ASCII");
			expect(error.status).toBe(400);
			expect(error.field).toBe("name");
			expect(error.message).toContain(testCase.codePoint);
			expect(error.message).toContain(`at index ${testCase.index} `);
			if (testCase.lookalike === undefined) {
				expect(error.message).not.toContain("looks like");
			} else {
				expect(error.message).toContain(
					`looks like the ASCII character "${testCase.lookalike}"`,
				);
			}
		});
	}

	it("hides invisible characters in messages", () => {
		const error = errorOf(() => parseName("a2a://a\u200bb.c.d.v1"));
		expect(error.message).toContain("U+200B at index 7");
	});

	it("rejects non-ASCII before the length check", () => {
		const error = errorOf(() => parseName(`a2a://а${"b".repeat(300)}.c.d.v1`));
		expect(error.code).toBe("NAME_NON_ASCII");
	});
});

describe("parseBaseName", () => {
	it("parses a base name in display case", () => {
		expect(
			parseBaseName("A2A://textProcessor.DocumentTranslation.AcmeCorp"),
		).toEqual({
			protocol: "a2a",
			agentId: "textProcessor",
			capability: "DocumentTranslation",
			provider: "AcmeCorp",
		});
	});

	it("rejects a versioned name", () => {
		const error = errorOf(() => parseBaseName("a2a://a.b.c.v1"));
		expect(error.code).toBe("NAME_EXTRA_LABEL");
		expect(error.message).toContain('"v1"');
	});

	it("rejects a missing provider", () => {
		const error = errorOf(() => parseBaseName("a2a://a.b"));
		expect(error.code).toBe("NAME_MISSING_PART");
	});

	it("rejects a trailing dot", () => {
		const error = errorOf(() => parseBaseName("a2a://a.b.c."));
		expect(error.code).toBe("NAME_TRAILING_DOT");
	});

	it("rejects a punycode label", () => {
		const error = errorOf(() => parseBaseName("a2a://a.b.xn--c"));
		expect(error.code).toBe("NAME_PUNYCODE_LABEL");
	});
});

describe("parseNameOrBase", () => {
	it("returns only the base for a base name", () => {
		const result = parseNameOrBase(
			"mcp://sentimentAnalyzer.textAnalysis.ExampleCorp",
		);
		expect(result.name).toBeUndefined();
		expect(result.base.agentId).toBe("sentimentAnalyzer");
	});

	it("returns base and name for a versioned name", () => {
		const result = parseNameOrBase(
			"mcp://sentimentAnalyzer.textAnalysis.ExampleCorp.v1.0",
		);
		expect(result.base).toEqual({
			protocol: "mcp",
			agentId: "sentimentAnalyzer",
			capability: "textAnalysis",
			provider: "ExampleCorp",
		});
		expect(result.name?.version).toBe("1.0.0");
	});

	it("rejects an invalid version", () => {
		const error = errorOf(() => parseNameOrBase("a2a://a.b.c.hipaa"));
		expect(error.code).toBe("NAME_VERSION_INVALID");
	});

	it("rejects an invalid base", () => {
		const error = errorOf(() => parseNameOrBase("a2a://a..c"));
		expect(error.code).toBe("NAME_EMPTY_LABEL");
	});
});

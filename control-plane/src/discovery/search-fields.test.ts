import { parseName } from "@ans/shared/names";
import { describe, expect, it } from "vitest";
import { agentSearchFields } from "./search-fields.ts";
import { searchTerms } from "./search-terms.ts";

describe("agentSearchFields", () => {
	it("splits labels and drops repeats", () => {
		const name = parseName(
			"a2a://textProcessor.DocumentTranslation.AcmeCorp.v2.1.hipaa",
		);
		const fields = agentSearchFields(
			name,
			"a2a://textProcessor.DocumentTranslation.AcmeCorp.v2.1.hipaa",
			{
				identifier: "Text Processor",
				displayName: "Text Processor",
				description: "Translates documents",
				provider: "Acme Corp",
				capabilities: ["documentTranslation", "PDF"],
				searchText: "Translate\nPDF",
			},
		);
		expect(fields).toEqual({
			description: "Translates documents",
			capabilitiesJson: JSON.stringify(["DocumentTranslation", "PDF"]),
			searchNames: [
				"a2a://textProcessor.DocumentTranslation.AcmeCorp.v2.1.hipaa",
				"text Processor",
				"Document Translation",
				"Acme Corp",
				"hipaa",
			].join("\n"),
			searchSkills: "Translate\nPDF",
		});
	});

	it("fills empty text without a document", () => {
		const name = parseName("mcp://plain.tools.Example.v1");
		const fields = agentSearchFields(name, "mcp://plain.tools.Example.v1", {
			capabilities: [],
			searchText: "",
		});
		expect(fields.description).toBe("");
		expect(fields.capabilitiesJson).toBe('["tools"]');
		expect(fields.searchSkills).toBe("");
	});
});

describe("searchTerms", () => {
	it("splits on everything but letters and digits", () => {
		expect(searchTerms("Currency_Conversion, a2a://x-y")).toEqual([
			"currency",
			"conversion",
			"a2a",
			"x",
			"y",
		]);
	});

	it("folds width and case and drops repeats", () => {
		expect(searchTerms("ＭＣＰ mcp Café")).toEqual(["mcp", "café"]);
	});

	it("drops FTS5 syntax characters", () => {
		expect(searchTerms('"weather" OR NEAR(a*) -b')).toEqual([
			"weather",
			"or",
			"near",
			"a",
			"b",
		]);
	});
});

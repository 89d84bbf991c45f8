import { describe, expect, it } from "vitest";
import { listFixtures, readFixture } from "../testing/index.ts";
import type { ValidationIssue } from "../types.ts";
import { oasfAdapter } from "./index.ts";

/** A record of the agent-install test data that embeds only an MCP server and has no skills. */
const SKILL_LESS_RECORD = "oasf/io.example__code-review-server--1.0.0.json";

function pointersAndCodes(issues: ValidationIssue[]) {
	return issues.map(({ pointer, code }) => ({ pointer, code }));
}

describe("OASF record validation", () => {
	const records = listFixtures("oasf");

	it("covers every fixture", () => {
		expect(records).toHaveLength(8);
	});

	it.each(records.filter((path) => path !== SKILL_LESS_RECORD))(
		"accepts %s",
		(path) => {
			expect(oasfAdapter.validate(readFixture(path))).toEqual([]);
		},
	);

	it("rejects a record without skills", () => {
		expect(
			pointersAndCodes(oasfAdapter.validate(readFixture(SKILL_LESS_RECORD))),
		).toEqual([{ pointer: "/skills", code: "FIELD_MISSING" }]);
	});

	it("rejects the invalid validator fixture", () => {
		const [path] = listFixtures("oasf/invalid");
		expect(path).toBeDefined();
		expect(
			pointersAndCodes(oasfAdapter.validate(readFixture(path ?? ""))),
		).toEqual([
			{ pointer: "/skills/0/name", code: "FIELD_MISSING" },
			{ pointer: "/previous_record_cid", code: "VALUE_INVALID" },
		]);
	});

	it("accepts a real content identifier", () => {
		const record = readFixture(
			"oasf/directory.agntcy.org__cisco__name-resolution-test--v1.0.0.json",
		) as Record<string, unknown>;
		record.previous_record_cid =
			"baeareihdr6t7s6sr2q4zo456sza66eewqc7huzatyfgvoupaqyjw23ilvi";
		expect(oasfAdapter.validate(record)).toEqual([]);
	});

	it("checks types of optional members", () => {
		const record = readFixture("oasf/code_review_agent--1.0.0.json") as Record<
			string,
			unknown
		>;
		record.created_at = "yesterday";
		record.authors = "Example Organization";
		record.domains = [{ name: "technology", id: "x" }];
		expect(pointersAndCodes(oasfAdapter.validate(record))).toEqual([
			{ pointer: "/authors", code: "TYPE_MISMATCH" },
			{ pointer: "/created_at", code: "VALUE_INVALID" },
			{ pointer: "/domains/0/id", code: "TYPE_MISMATCH" },
		]);
	});
});

describe("OASF record endpoints", () => {
	it("locates a docker image", () => {
		expect(
			oasfAdapter.extractEndpoints(
				readFixture(
					"oasf/directory.agntcy.org__cisco__marketing-strategy-v4--v4.0.0.json",
				),
			),
		).toEqual([
			{
				kind: "package",
				pointer: "/locators/0/url",
				endpoint: {
					protocol: "oasf",
					url: "pkg:oci/marketing-strategy?repository_url=ghcr.io/agntcy/marketing-strategy",
					registryType: "oci",
					identifier: "https://ghcr.io/agntcy/marketing-strategy",
				},
			},
		]);
	});

	it("reads the urls list of schema 1.x", () => {
		const [first] = oasfAdapter.extractEndpoints(
			readFixture("oasf/code_review_agent--1.0.0.json"),
		);
		expect(first?.pointer).toBe("/locators/0/urls/0");
		expect(first?.endpoint.url).toBe(
			"pkg:oci/code-review-agent?repository_url=ghcr.io/agntcy/code-review-agent",
		);
	});

	it("returns none for a record without locators", () => {
		expect(
			oasfAdapter.extractEndpoints(
				readFixture(
					"oasf/http-dns-validation-http__example__research-assistant-v4--v5.0.0.json",
				),
			),
		).toEqual([]);
	});
});

describe("OASF record description", () => {
	it("lists skill paths and their last segment", () => {
		expect(
			oasfAdapter.describe(
				readFixture(
					"oasf/http-dns-validation-http__example__research-assistant-v4--v4.0.0.json",
				),
			),
		).toEqual({
			identifier: "http://dns-validation-http/example/research-assistant-v4",
			displayName: "http://dns-validation-http/example/research-assistant-v4",
			description:
				"AI research assistant for data analysis and problem solving.",
			version: "v4.0.0",
			provider: "AGNTCY Contributors",
			capabilities: [
				"natural_language_processing/natural_language_generation/text_completion",
				"natural_language_processing/analytical_reasoning/problem_solving",
				"text_completion",
				"problem_solving",
			],
			searchText: [
				"natural_language_processing/natural_language_generation/text_completion",
				"natural_language_processing/analytical_reasoning/problem_solving",
				"life_science/biotechnology",
				"core/llm/model",
			].join("\n"),
		});
	});
});

import { describe, expect, it } from "vitest";
import { listFixtures, readFixture } from "../testing/index.ts";
import type { ValidationIssue } from "../types.ts";
import { a2aAdapter, readAgentCardSignatures } from "./index.ts";

/** Cards outside invalid/ that break a rule, with the issues expected. */
const REJECTED_CARDS: Record<
	string,
	Pick<ValidationIssue, "pointer" | "code">[]
> = {
	"a2a/hyperwhales-agent.json": [{ pointer: "/url", code: "VALUE_EMPTY" }],
	"a2a/reimbursement-agent--a2a-mcp-pr553.json": [
		{ pointer: "/capabilities/streaming", code: "TYPE_MISMATCH" },
		{ pointer: "/capabilities/pushNotifications", code: "TYPE_MISMATCH" },
		{ pointer: "/capabilities/stateTransitionHistory", code: "TYPE_MISMATCH" },
	],
	"a2a/research-assistant-agent--spec-extensions-example.json": [
		{ pointer: "/version", code: "FIELD_MISSING" },
	],
};

/** Issues each file in invalid/ must have, among possibly others. */
const INVALID_CARDS: Record<
	string,
	Pick<ValidationIssue, "pointer" | "code">[]
> = {
	"a2a/invalid/example-agent--spec-canonicalization-fragment.json": [
		{ pointer: "/version", code: "FIELD_MISSING" },
		{ pointer: "/defaultInputModes", code: "FIELD_MISSING" },
		{ pointer: "/defaultOutputModes", code: "FIELD_MISSING" },
	],
	"a2a/invalid/incomplete-agent.json": [
		{ pointer: "/capabilities", code: "FIELD_MISSING" },
		{ pointer: "/skills", code: "FIELD_MISSING" },
	],
	"a2a/invalid/invalid-format.json": [
		{ pointer: "/name", code: "TYPE_MISMATCH" },
		{ pointer: "/protocolVersion", code: "TYPE_MISMATCH" },
		{ pointer: "/capabilities", code: "TYPE_MISMATCH" },
		{ pointer: "/defaultInputModes", code: "TYPE_MISMATCH" },
		{ pointer: "/skills/0/id", code: "FIELD_MISSING" },
	],
	"a2a/invalid/orchestration-agent--smart-crypto.json": [
		{ pointer: "/capabilities", code: "TYPE_MISMATCH" },
		{ pointer: "/skills", code: "FIELD_MISSING" },
	],
	"a2a/invalid/public-card-fragment--spec-extended-card.json": [
		{ pointer: "/name", code: "FIELD_MISSING" },
		{ pointer: "/version", code: "FIELD_MISSING" },
	],
	"a2a/invalid/risk-management-agent--smart-crypto.json": [
		{ pointer: "/capabilities", code: "TYPE_MISMATCH" },
	],
	"a2a/invalid/trade-execution-agent--smart-crypto.json": [
		{ pointer: "/capabilities", code: "TYPE_MISMATCH" },
	],
};

function pointersAndCodes(issues: ValidationIssue[]) {
	return issues.map(({ pointer, code }) => ({ pointer, code }));
}

describe("A2A card validation", () => {
	const cards = listFixtures("a2a");

	it("covers every fixture", () => {
		expect(cards.length).toBe(35);
		expect(listFixtures("a2a/invalid")).toEqual(
			Object.keys(INVALID_CARDS).sort(),
		);
	});

	it.each(cards.filter((card) => !(card in REJECTED_CARDS)))(
		"accepts %s",
		(card) => {
			expect(a2aAdapter.validate(readFixture(card))).toEqual([]);
		},
	);

	it.each(Object.entries(REJECTED_CARDS))(
		"rejects %s with exact pointers",
		(card, expected) => {
			const issues = a2aAdapter.validate(readFixture(card));
			expect(pointersAndCodes(issues)).toEqual(expected);
		},
	);

	it.each(Object.entries(INVALID_CARDS))("rejects %s", (card, expected) => {
		const issues = pointersAndCodes(a2aAdapter.validate(readFixture(card)));
		for (const issue of expected) {
			expect(issues).toContainEqual(issue);
		}
	});

	it("rejects a document that is not an object", () => {
		expect(a2aAdapter.validate([1])).toEqual([
			{
				pointer: "",
				code: "TYPE_MISMATCH",
				message: "must be an object, but it is an array",
			},
		]);
	});

	it("rejects duplicate skill ids", () => {
		const card = readFixture("a2a/weather-agent--generators.json") as {
			skills: { id: string }[];
		};
		const second = card.skills[1];
		if (second === undefined) {
			throw new Error("fixture has fewer than two skills");
		}
		second.id = "current-weather";
		const issues = a2aAdapter.validate(card);
		expect(pointersAndCodes(issues)).toEqual([
			{ pointer: "/skills/1/id", code: "VALUE_DUPLICATE" },
		]);
	});

	it("keeps unknown members", () => {
		const card = {
			...(readFixture("a2a/oixa-protocol-marketplace.json") as object),
			"x-vendor": { anything: [1, 2] },
		};
		expect(a2aAdapter.validate(card)).toEqual([]);
	});

	it("requires a binding on supportedInterfaces", () => {
		const card = readFixture("a2a/hello-world-agent.json") as {
			supportedInterfaces: Record<string, unknown>[];
		};
		delete card.supportedInterfaces[0]?.protocolBinding;
		expect(pointersAndCodes(a2aAdapter.validate(card))).toEqual([
			{
				pointer: "/supportedInterfaces/0/protocolBinding",
				code: "FIELD_MISSING",
			},
		]);
	});
});

describe("A2A card endpoints", () => {
	it("reads v1.0 supportedInterfaces", () => {
		const endpoints = a2aAdapter.extractEndpoints(
			readFixture("a2a/geospatial-route-planner-agent.json"),
		);
		expect(endpoints).toEqual([
			{
				kind: "network",
				pointer: "/supportedInterfaces/0/url",
				endpoint: {
					protocol: "a2a",
					url: "https://georoute-agent.example.com/a2a/v1",
					transport: "JSONRPC",
					protocolVersion: "1.0",
				},
			},
			{
				kind: "network",
				pointer: "/supportedInterfaces/1/url",
				endpoint: {
					protocol: "a2a",
					url: "https://georoute-agent.example.com/a2a/grpc",
					transport: "GRPC",
					protocolVersion: "1.0",
				},
			},
			{
				kind: "network",
				pointer: "/supportedInterfaces/2/url",
				endpoint: {
					protocol: "a2a",
					url: "https://georoute-agent.example.com/a2a/json",
					transport: "HTTP+JSON",
					protocolVersion: "1.0",
				},
			},
		]);
	});

	it("reads v0.3 url and additionalInterfaces without repeats", () => {
		const endpoints = a2aAdapter.extractEndpoints(
			readFixture("a2a/magic-8-ball-agent--java.json"),
		);
		expect(endpoints.map((entry) => [entry.pointer, entry.endpoint])).toEqual([
			[
				"/url",
				{
					protocol: "a2a",
					url: "http://localhost:11000",
					transport: "JSONRPC",
				},
			],
			[
				"/additionalInterfaces/1/url",
				{
					protocol: "a2a",
					url: "http://localhost:11000",
					transport: "HTTP+JSON",
				},
			],
			[
				"/additionalInterfaces/2/url",
				{ protocol: "a2a", url: "localhost:11000", transport: "GRPC" },
			],
		]);
	});

	it("defaults the v0.3 transport to JSONRPC", () => {
		const [first] = a2aAdapter.extractEndpoints(
			readFixture("a2a/airbnb-agent.json"),
		);
		expect(first?.endpoint).toEqual({
			protocol: "a2a",
			url: "http://0.0.0.0:10002",
			transport: "JSONRPC",
		});
	});

	it("writes lowercase transports in the specification's case", () => {
		const transports = a2aAdapter
			.extractEndpoints(readFixture("a2a/recipe-agent--a2a-cli-full.json"))
			.map((entry) => entry.endpoint.transport);
		expect(transports).toEqual(["JSONRPC", "GRPC"]);
	});

	it("keeps one endpoint per protocol version", () => {
		const versions = a2aAdapter
			.extractEndpoints(
				readFixture("a2a/currency-conversion-agent--adk-skills-agent.json"),
			)
			.map((entry) => entry.endpoint.protocolVersion);
		expect(versions).toEqual(["1.0", "0.3"]);
	});

	it("returns none for a card without interfaces", () => {
		expect(
			a2aAdapter.extractEndpoints(readFixture("a2a/minimal-agent.json")),
		).toEqual([]);
	});
});

describe("A2A card description", () => {
	it("lists skill ids and tags as capabilities", () => {
		const description = a2aAdapter.describe(
			readFixture("a2a/currency-conversion-agent--adk-currency-agent.json"),
		);
		expect(description).toEqual({
			identifier: "Currency Conversion Agent",
			displayName: "Currency Conversion Agent",
			description: "Currency Conversion Agent",
			version: "1.0.0",
			provider: "Example org",
			providerUrl: "http://example.com",
			capabilities: ["currency_conversion", "currency", "conversion"],
			searchText:
				"Perform Currency Conversion\nHelps with Currency conversions\ncurrency\nconversion",
		});
	});

	it("leaves out what the card lacks", () => {
		const description = a2aAdapter.describe(
			readFixture("a2a/facts-agent.json"),
		);
		expect(description.provider).toBeUndefined();
		expect(description.providerUrl).toBeUndefined();
		expect(description.capabilities).toEqual([
			"give_facts",
			"information",
			"facts",
			"knowledge",
			"search",
			"google",
		]);
	});
});

describe("A2A card signatures", () => {
	it("decodes the protected header", () => {
		const signatures = readAgentCardSignatures(
			readFixture("a2a/geospatial-route-planner-agent.json"),
		);
		expect(signatures).toHaveLength(1);
		expect(signatures[0]?.protectedHeader).toEqual({
			alg: "ES256",
			typ: "JOSE",
			kid: "key-1",
			jku: "https://example.com/agent/jwks.json",
		});
	});

	it("returns none for an empty list", () => {
		expect(
			readAgentCardSignatures(readFixture("a2a/bluesky-stays.json")),
		).toEqual([]);
	});
});

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type MapResult, mapEntry } from "./map-entry.ts";
import { planEntries } from "./plan-entries.ts";
import { importProtocol } from "./protocols.ts";

// Real documents from examples/data; SOURCES.md there names their origin.
const dataDir = new URL("../../../examples/data/", import.meta.url);

function card(file: string): Record<string, unknown> {
	return JSON.parse(readFileSync(new URL(`a2a/${file}`, dataDir), "utf8"));
}

const seed: Record<string, unknown>[] = JSON.parse(
	readFileSync(new URL("mcp/seed-2025-09-29.json", dataDir), "utf8"),
);

function seedEntry(name: string): Record<string, unknown> {
	const entry = seed.find((server) => server.name === name);
	if (entry === undefined) {
		throw new Error(`${name} is not in the seed`);
	}
	return entry;
}

const a2a = importProtocol("a2a");
const mcp = importProtocol("mcp");

/** Returns the plan of a successful mapping; fails the test on a skip. */
function planOf(result: MapResult) {
	if (!result.ok) {
		throw new Error(`expected a plan, got ${result.reason}: ${result.message}`);
	}
	return result.plan;
}

/** Returns the skip of a rejected entry; fails the test when it was mapped. */
function skipOf(result: MapResult) {
	if (result.ok) {
		throw new Error(`expected a skip, got the plan ${result.plan.name}`);
	}
	return result;
}

function plannedName(result: MapResult): string {
	if (!result.ok) {
		throw new Error(`expected a plan, got ${result.reason}: ${result.message}`);
	}
	return result.plan.name;
}

describe("mapEntry on A2A cards", () => {
	it("maps a card with a provider organization", () => {
		const result = mapEntry(a2a, card("invoice-processing-agent.json"));
		expect(plannedName(result)).toBe(
			"a2a://Invoice-Processing-Agent.invoice-processing.Example-Corp.v1.0.0",
		);
		expect(planOf(result).canonicalName).toBe(
			"a2a://invoice-processing-agent.invoice-processing.example-corp.v1.0.0",
		);
	});

	it("derives the provider from the endpoint host", () => {
		const result = mapEntry(a2a, card("paid-translation-agent.json"));
		expect(plannedName(result)).toBe(
			"a2a://Paid-Translation-Agent.translate_text.example.v0.1.0",
		);
	});

	it("falls back to --provider for a localhost card", () => {
		const document = card("check-prime-agent.json");
		const result = mapEntry(a2a, document, {
			fallbackProvider: "a2a samples",
		});
		expect(plannedName(result)).toBe(
			"a2a://check_prime_agent.prime_checking.a2a-samples.v1.0.0",
		);
		expect(planOf(result).loopbackFields).toEqual(["metadata/url"]);
	});

	it("skips a card with no derivable provider", () => {
		const result = mapEntry(a2a, card("check-prime-agent.json"));
		expect(result).toMatchObject({ ok: false, reason: "provider-missing" });
	});

	it("prefers the organization over host and --provider", () => {
		const result = mapEntry(a2a, card("weather-agent--generators.json"), {
			fallbackProvider: "ignored",
		});
		expect(plannedName(result)).toBe(
			"a2a://Weather-Agent.current-weather.WeatherNow.v3.0.0",
		);
	});

	it("passes over UUID skill ids to the first tag", () => {
		const result = mapEntry(a2a, card("dice-agent--rest.json"), {
			fallbackProvider: "samples",
		});
		expect(plannedName(result)).toBe("a2a://Dice-Agent.dice.samples.v1.0.0");
	});

	it("slugs punctuation in the card name", () => {
		const result = mapEntry(
			a2a,
			card("hello-world-agent-extended-edition.json"),
			{ fallbackProvider: "samples" },
		);
		expect(plannedName(result)).toBe(
			"a2a://Hello-World-Agent-Extended-Edition.echo_bot.samples.v0.0.2",
		);
	});

	it("strips diacritics from a Unicode name", () => {
		const document = { ...card("weather-agent--generators.json") };
		document.name = "Météo Agent ☀";
		expect(plannedName(mapEntry(a2a, document))).toBe(
			"a2a://Meteo-Agent.current-weather.WeatherNow.v3.0.0",
		);
	});

	it("skips a name without ASCII letters", () => {
		const document = { ...card("weather-agent--generators.json") };
		document.name = "天气助手";
		expect(mapEntry(a2a, document)).toMatchObject({
			ok: false,
			reason: "name-unusable",
		});
	});

	it.each([
		["1.0", "v1.0.0"],
		["v2", "v2.0.0"],
	])("normalises version %j", (version, suffix) => {
		const document = { ...card("weather-agent--generators.json"), version };
		expect(plannedName(mapEntry(a2a, document))).toMatch(
			new RegExp(`\\.${suffix.replaceAll(".", "\\.")}$`),
		);
	});

	it.each(["2024-01-15", "latest", "1.0.0+build.5"])(
		"skips non-semver version %j",
		(version) => {
			const document = { ...card("weather-agent--generators.json"), version };
			expect(mapEntry(a2a, document)).toMatchObject({
				ok: false,
				reason: "version-not-semver",
			});
		},
	);

	it("skips a card without a version", () => {
		const result = mapEntry(
			a2a,
			card("research-assistant-agent--spec-extensions-example.json"),
		);
		expect(result).toMatchObject({ ok: false, reason: "version-missing" });
	});

	it("skips the unspecified address 0.0.0.0", () => {
		const result = mapEntry(a2a, card("airbnb-agent.json"), {
			fallbackProvider: "samples",
		});
		expect(result).toMatchObject({
			ok: false,
			reason: "endpoint-unreachable",
		});
		expect(skipOf(result).message).toContain("0.0.0.0");
	});

	it("skips an empty url", () => {
		const result = mapEntry(a2a, card("hyperwhales-agent.json"));
		expect(result).toMatchObject({
			ok: false,
			reason: "endpoint-unreachable",
		});
		expect(skipOf(result).message).toContain("/url");
	});

	it("skips a URL without a scheme", () => {
		const result = mapEntry(a2a, card("magic-8-ball-agent--java.json"), {
			fallbackProvider: "samples",
		});
		expect(result).toMatchObject({
			ok: false,
			reason: "endpoint-unreachable",
		});
		expect(skipOf(result).message).toContain('"localhost:11000"');
	});

	it("skips a card that names no endpoint", () => {
		const result = mapEntry(a2a, card("minimal-agent.json"), {
			fallbackProvider: "samples",
		});
		expect(result).toMatchObject({ ok: false, reason: "endpoint-missing" });
	});

	it("skips an invalid card with the adapter's issues", () => {
		const result = mapEntry(
			a2a,
			card("reimbursement-agent--a2a-mcp-pr553.json"),
		);
		expect(result).toMatchObject({ ok: false, reason: "metadata-invalid" });
		expect(skipOf(result).message).toContain("/capabilities/streaming");
	});

	it("skips a value that is not an object", () => {
		expect(mapEntry(a2a, [card("minimal-agent.json")])).toMatchObject({
			ok: false,
			reason: "not-an-object",
		});
	});
});

describe("mapEntry on MCP servers", () => {
	it("maps namespace owner, server name and the default capability", () => {
		const result = mapEntry(mcp, seedEntry("io.github.21st-dev/magic-mcp"));
		expect(plannedName(result)).toBe(
			"mcp://magic-mcp.tools.21st-dev.v0.0.1-seed",
		);
		expect(planOf(result).loopbackFields).toEqual([]);
	});

	it("keeps a long description unchanged", () => {
		const entry = seed.find(
			(server) => String(server.description).length > 300,
		);
		expect(entry).toBeDefined();
		const result = mapEntry(mcp, entry);
		expect(planOf(result).metadata).toBe(entry);
	});

	it("keeps an emoji description and slugs a dotted name", () => {
		const entry = seedEntry("io.github.domdomegg/airtable-mcp-server");
		expect(String(entry.description)).toMatch(/^🗂️/u);
		expect(plannedName(mapEntry(mcp, entry))).toBe(
			"mcp://airtable-mcp-server.tools.domdomegg.v0.0.1-seed",
		);
	});

	it("skips an OCI package with an npm identifier", () => {
		const result = mapEntry(mcp, seedEntry("io.github.lingodotdev/lingo.dev"));
		expect(result).toMatchObject({ ok: false, reason: "metadata-invalid" });
		expect(skipOf(result).message).toContain("/packages/0/identifier");
	});

	it("uses the second label of a non-GitHub namespace", () => {
		const result = mapEntry(
			mcp,
			seedEntry("com.cloudflare/mcp-server-cloudflare"),
		);
		expect(plannedName(result)).toMatch(
			/^mcp:\/\/mcp-server-cloudflare\.tools\.cloudflare\.v/,
		);
	});
});

describe("planEntries", () => {
	it("skips later cards with the same canonical name", () => {
		const { planned, skipped } = planEntries(
			a2a,
			[
				"currency-conversion-agent--adk-currency-agent.json",
				"currency-conversion-agent--adk-skills-agent.json",
				"currency-conversion-agent--adk-skills-agent-v1.0-pr460.json",
			].map((file) => ({ source: file, document: card(file) })),
			{},
		);
		expect(planned.map((entry) => entry.source)).toEqual([
			"currency-conversion-agent--adk-currency-agent.json",
		]);
		expect(skipped.map((entry) => entry.reason)).toEqual([
			"duplicate-name",
			"duplicate-name",
		]);
		expect(skipped[0]?.message).toContain(
			"currency-conversion-agent--adk-currency-agent.json",
		);
	});

	it("treats a case variant as a duplicate", () => {
		const original = card("weather-agent--generators.json");
		const shouting = { ...original, name: "WEATHER AGENT" };
		const { planned, skipped } = planEntries(
			a2a,
			[
				{ source: "original", document: original },
				{ source: "upper-case", document: shouting },
			],
			{},
		);
		expect(planned).toHaveLength(1);
		expect(skipped).toMatchObject([
			{
				source: "upper-case",
				reason: "duplicate-name",
				name: "a2a://WEATHER-AGENT.current-weather.WeatherNow.v3.0.0",
			},
		]);
	});

	it("keeps cards with one name but different versions", () => {
		const original = card("weather-agent--generators.json");
		const { planned } = planEntries(
			a2a,
			[
				{ source: "v3", document: original },
				{ source: "v3.1", document: { ...original, version: "3.1" } },
			],
			{},
		);
		expect(planned.map((entry) => entry.plan.canonicalName)).toEqual([
			"a2a://weather-agent.current-weather.weathernow.v3.0.0",
			"a2a://weather-agent.current-weather.weathernow.v3.1.0",
		]);
	});
});

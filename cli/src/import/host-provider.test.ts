import { describe, expect, it } from "vitest";
import { providerFromHost } from "./host-provider.ts";

describe("providerFromHost", () => {
	it.each([
		["https://georoute-agent.example.com/a2a/v1", "example"],
		["https://api.weathernow.io/a2a", "weathernow"],
		["http://oixa.io", "oixa"],
		["https://agent.example.co.uk/a2a", "example"],
		["https://someone.github.io/agent", "someone"],
		["https://EXAMPLE.com./x", "example"],
	])("derives %j -> %j", (url, provider) => {
		expect(providerFromHost(url)).toBe(provider);
	});

	it.each([
		"http://localhost:10003/",
		"http://127.0.0.1:9999",
		"http://[::1]:8080/",
		"http://0.0.0.0:10002",
		"http://intranet/agent",
		"localhost:11000",
		"",
	])("derives nothing from %j", (url) => {
		expect(providerFromHost(url)).toBeUndefined();
	});
});

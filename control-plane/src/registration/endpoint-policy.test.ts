import { isAnsError } from "@ans/shared/errors";
import { describe, expect, it } from "vitest";
import { checkEndpointUrl } from "./endpoint-policy.ts";

const FIELD = "endpoints[0].url";
const PRODUCTION = { allowLoopback: false };
const DEVELOPMENT = { allowLoopback: true };

/** Calls `run` and returns the AnsError it throws, failing when it returns. */
function errorOf(run: () => unknown) {
	try {
		run();
	} catch (error) {
		if (isAnsError(error)) {
			return error;
		}
		throw error;
	}
	throw new Error("expected an AnsError, but the URL was accepted");
}

describe("checkEndpointUrl accepts public URLs", () => {
	const cases = [
		"https://example.com/a2a",
		"https://93.184.216.34/",
		"https://[2606:4700::1111]/",
		"https://agent.example.com:8443/mcp?x=1",
		"https://EXAMPLE.com./a2a",
		"https://8.8.8.8/",
		"https://[2001:4860:4860::8888]/",
		"https://100.63.255.255/",
		"https://100.128.0.1/",
		"https://172.32.0.1/",
		"https://169.253.255.255/",
		"https://sub.localhost.example.com/",
		"https://internal.example.com/",
	];

	for (const url of cases) {
		it(`accepts ${url}`, () => {
			const parsed = checkEndpointUrl(url, FIELD, PRODUCTION);
			expect(parsed).toBeInstanceOf(URL);
			expect(parsed.protocol).toBe("https:");
		});
	}

	it("returns the normalised URL", () => {
		const parsed = checkEndpointUrl(
			"https://Example.COM/a2a",
			FIELD,
			PRODUCTION,
		);
		expect(parsed.href).toBe("https://example.com/a2a");
	});
});

describe("checkEndpointUrl rejects forbidden hosts", () => {
	const cases: { url: string; reason: string }[] = [
		// Loopback in every spelling that WHATWG URL accepts.
		{ url: "https://127.0.0.1/", reason: "loopback address" },
		{ url: "https://127.255.255.254/", reason: "loopback address" },
		{ url: "https://2130706433/", reason: "loopback address" },
		{ url: "https://0x7f.1/", reason: "loopback address" },
		{ url: "https://0x7f000001/", reason: "loopback address" },
		{ url: "https://0177.0.0.1/", reason: "loopback address" },
		{ url: "https://017700000001/", reason: "loopback address" },
		{ url: "https://127.1/", reason: "loopback address" },
		{ url: "https://127.0.1/", reason: "loopback address" },
		{ url: "https://127.0.0.1./", reason: "loopback address" },
		{ url: "https://%31%32%37.0.0.1/", reason: "loopback address" },
		{ url: "https://１２７.０.０.１/", reason: "loopback address" },
		{ url: "https://[::1]/", reason: "loopback address" },
		{ url: "https://[0:0:0:0:0:0:0:1]/", reason: "loopback address" },
		{ url: "https://[::ffff:127.0.0.1]/", reason: "loopback address" },
		{ url: "https://[::ffff:7f00:1]/", reason: "loopback address" },
		{ url: "https://localhost/", reason: "loopback name" },
		{ url: "https://LOCALHOST./", reason: "loopback name" },
		{ url: "https://agent.localhost/", reason: "loopback name" },
		{ url: "https://%6c%6fcalhost/", reason: "loopback name" },
		// Loopback inside IPv6 transition forms: always rejected.
		{
			url: "https://[::127.0.0.1]/",
			reason: "loopback address 127.0.0.1 embedded in an IPv4-compatible",
		},
		{
			url: "https://[64:ff9b::7f00:1]/",
			reason: "loopback address 127.0.0.1 embedded in a NAT64",
		},
		{
			url: "https://[2002:7f00:1::]/",
			reason: "loopback address 127.0.0.1 embedded in a 6to4",
		},
		{
			url: "https://[::ffff:0:7f00:1]/",
			reason: "loopback address 127.0.0.1 embedded in an IPv4-translated",
		},
		// Private, shared and link-local IPv4.
		{ url: "https://10.0.0.1/", reason: "private address" },
		{ url: "https://10.255.255.255/", reason: "private address" },
		{ url: "https://172.16.0.1/", reason: "private address" },
		{ url: "https://172.31.255.254/", reason: "private address" },
		{ url: "https://192.168.1.1/", reason: "private address" },
		{ url: "https://167772161/", reason: "private address" },
		{ url: "https://0xc0.0xa8.1.1/", reason: "private address" },
		{ url: "https://[::ffff:10.0.0.1]/", reason: "private address" },
		{ url: "https://[::ffff:c0a8:101]/", reason: "private address" },
		{ url: "https://100.64.0.1/", reason: "carrier-grade NAT address" },
		{ url: "https://100.127.255.254/", reason: "carrier-grade NAT address" },
		{ url: "https://169.254.1.1/", reason: "link-local address" },
		{ url: "https://[fe80::1]/", reason: "link-local address" },
		{ url: "https://[febf::1]/", reason: "link-local address" },
		{ url: "https://[fc00::1]/", reason: "unique-local address" },
		{ url: "https://[fd12:3456::1]/", reason: "unique-local address" },
		{ url: "https://[fec0::1]/", reason: "site-local address" },
		// Unspecified, broadcast, multicast and reserved.
		{ url: "https://0.0.0.0/", reason: "unspecified address" },
		{ url: "https://0/", reason: "unspecified address" },
		{ url: "https://0.1.2.3/", reason: "unspecified address" },
		{ url: "https://[::]/", reason: "unspecified address" },
		{ url: "https://255.255.255.255/", reason: "broadcast address" },
		{ url: "https://4294967295/", reason: "broadcast address" },
		{ url: "https://224.0.0.1/", reason: "multicast address" },
		{ url: "https://239.255.255.250/", reason: "multicast address" },
		{ url: "https://[ff02::1]/", reason: "multicast address" },
		{ url: "https://240.0.0.1/", reason: "reserved address" },
		{ url: "https://192.0.2.1/", reason: "reserved address" },
		{ url: "https://198.18.0.1/", reason: "reserved address" },
		{ url: "https://[2001:db8::1]/", reason: "reserved address" },
		{ url: "https://[100::1]/", reason: "discard-only address" },
		{ url: "https://[4000::1]/", reason: "outside global unicast" },
		{
			url: "https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",
			reason: "Teredo address",
		},
		// Cloud metadata services.
		{
			url: "https://169.254.169.254/latest/meta-data/",
			reason: "cloud metadata address",
		},
		{ url: "https://2852039166/", reason: "cloud metadata address" },
		{ url: "https://0xa9fea9fe/", reason: "cloud metadata address" },
		{ url: "https://169.254.170.2/", reason: "cloud metadata address" },
		{ url: "https://100.100.100.200/", reason: "cloud metadata address" },
		{ url: "https://[fd00:ec2::254]/", reason: "cloud metadata address" },
		{ url: "https://[fd00:ec2:0::254]/", reason: "cloud metadata address" },
		{
			url: "https://[::ffff:169.254.169.254]/",
			reason: "cloud metadata address",
		},
		{ url: "https://[::ffff:a9fe:a9fe]/", reason: "cloud metadata address" },
		{
			url: "https://[64:ff9b::a9fe:a9fe]/",
			reason: "cloud metadata address 169.254.169.254 embedded in a NAT64",
		},
		{
			url: "https://[64:ff9b::169.254.169.254]/",
			reason: "cloud metadata address 169.254.169.254 embedded in a NAT64",
		},
		{
			url: "https://metadata.google.internal/computeMetadata/v1/",
			reason: "cloud metadata host name",
		},
		{ url: "https://metadata/", reason: "cloud metadata host name" },
		{
			url: "https://METADATA.GOOGLE.INTERNAL./",
			reason: "cloud metadata host name",
		},
		{ url: "https://instance-data/", reason: "cloud metadata host name" },
		// Names that resolve only inside a site.
		{
			url: "https://instance-data.ec2.internal/",
			reason: "site-internal name (.internal)",
		},
		{ url: "https://db.internal/", reason: "site-internal name (.internal)" },
		{ url: "https://printer.local/", reason: "site-internal name (.local)" },
		{
			url: "https://localhost.localdomain/",
			reason: "site-internal name (.localdomain)",
		},
		{
			url: "https://router.home.arpa/",
			reason: "site-internal name (.home.arpa)",
		},
		{ url: "https://intranet/", reason: "single-label name" },
		// Public IPv4 addresses hidden in IPv6 transition forms.
		{
			url: "https://[64:ff9b::5db8:d822]/",
			reason: "public IPv4 address 93.184.216.34 embedded in a NAT64",
		},
		{
			url: "https://[::5db8:d822]/",
			reason:
				"public IPv4 address 93.184.216.34 embedded in an IPv4-compatible",
		},
	];

	for (const testCase of cases) {
		it(`rejects ${testCase.url}`, () => {
			const error = errorOf(() =>
				checkEndpointUrl(testCase.url, FIELD, PRODUCTION),
			);
			expect(error.code).toBe("ENDPOINT_ADDRESS_FORBIDDEN");
			expect(error.status).toBe(400);
			expect(error.field).toBe(FIELD);
			expect(error.message).toContain(testCase.reason);
		});
	}

	it("points loopback users at the flag", () => {
		const error = errorOf(() =>
			checkEndpointUrl("https://127.0.0.1/", FIELD, PRODUCTION),
		);
		expect(error.message).toContain("ANS_ALLOW_LOOPBACK_ENDPOINTS=1");
	});

	it("names the field in the message", () => {
		const error = errorOf(() =>
			checkEndpointUrl("https://10.0.0.1/", "endpoints[3].url", PRODUCTION),
		);
		expect(error.field).toBe("endpoints[3].url");
		expect(error.message).toContain("endpoints[3].url");
	});
});

describe("checkEndpointUrl rejects schemes and syntax", () => {
	const schemeCases = [
		"http://example.com/a2a",
		"http://93.184.216.34/",
		"ftp://example.com/",
		"file:///etc/passwd",
		"ws://example.com/",
		"wss://example.com/",
		"javascript:alert(1)",
		"data:text/plain,hello",
		"gopher://example.com/",
	];
	for (const url of schemeCases) {
		it(`rejects scheme of ${url}`, () => {
			const error = errorOf(() => checkEndpointUrl(url, FIELD, PRODUCTION));
			expect(error.code).toBe("ENDPOINT_SCHEME_FORBIDDEN");
			expect(error.status).toBe(400);
			expect(error.field).toBe(FIELD);
		});
	}

	const invalidCases = [
		"",
		"not a url",
		"example.com/a2a",
		"//example.com/a2a",
		"https://",
		"https://[::1/",
		"https://1.2.3.4.5/",
		"https://4294967296/",
		"https://256.0.0.1/",
		"https://[fe80::1%25eth0]/",
		"https://exa mple.com/",
	];
	for (const url of invalidCases) {
		it(`rejects invalid ${JSON.stringify(url)}`, () => {
			const error = errorOf(() => checkEndpointUrl(url, FIELD, PRODUCTION));
			expect(error.code).toBe("ENDPOINT_URL_INVALID");
			expect(error.status).toBe(400);
			expect(error.field).toBe(FIELD);
		});
	}

	it("rejects a non-string URL", () => {
		const error = errorOf(() =>
			checkEndpointUrl(undefined as unknown as string, FIELD, PRODUCTION),
		);
		expect(error.code).toBe("ENDPOINT_URL_INVALID");
	});

	const credentialCases = [
		"https://user:secret-pw@example.com/",
		"https://user@example.com/",
		"https://:secret-pw@example.com/",
		"http://user:secret-pw@127.0.0.1/",
	];
	for (const url of credentialCases) {
		it(`rejects credentials in ${url}`, () => {
			const error = errorOf(() => checkEndpointUrl(url, FIELD, DEVELOPMENT));
			expect(error.code).toBe("ENDPOINT_CREDENTIALS_FORBIDDEN");
			expect(error.field).toBe(FIELD);
			expect(error.message).not.toContain("secret-pw");
		});
	}

	it("masks credentials of invalid URLs", () => {
		const error = errorOf(() =>
			checkEndpointUrl("https://user:secret-pw@[bad/", FIELD, PRODUCTION),
		);
		expect(error.code).toBe("ENDPOINT_URL_INVALID");
		expect(error.message).not.toContain("secret-pw");
	});
});

describe("checkEndpointUrl with allowLoopback", () => {
	const accepted = [
		"http://127.0.0.1:8080/a2a",
		"https://127.0.0.1/",
		"http://127.1/",
		"http://2130706433/",
		"http://[::1]:9000/",
		"http://[::ffff:127.0.0.1]/",
		"http://localhost:3000/",
		"https://localhost/",
		"http://agent.localhost/",
		"https://example.com/a2a",
	];
	for (const url of accepted) {
		it(`accepts ${url}`, () => {
			expect(checkEndpointUrl(url, FIELD, DEVELOPMENT)).toBeInstanceOf(URL);
		});
	}

	const stillForbidden: { url: string; code: string }[] = [
		{ url: "http://example.com/", code: "ENDPOINT_SCHEME_FORBIDDEN" },
		{ url: "http://10.0.0.1/", code: "ENDPOINT_ADDRESS_FORBIDDEN" },
		{ url: "https://192.168.0.10/", code: "ENDPOINT_ADDRESS_FORBIDDEN" },
		{ url: "http://169.254.169.254/", code: "ENDPOINT_ADDRESS_FORBIDDEN" },
		{
			url: "http://metadata.google.internal/",
			code: "ENDPOINT_ADDRESS_FORBIDDEN",
		},
		{ url: "http://0.0.0.0:8080/", code: "ENDPOINT_ADDRESS_FORBIDDEN" },
		{ url: "http://[::]/", code: "ENDPOINT_ADDRESS_FORBIDDEN" },
		{ url: "http://[::127.0.0.1]/", code: "ENDPOINT_ADDRESS_FORBIDDEN" },
		{ url: "http://[64:ff9b::7f00:1]/", code: "ENDPOINT_ADDRESS_FORBIDDEN" },
		{ url: "http://[fd00::1]/", code: "ENDPOINT_ADDRESS_FORBIDDEN" },
		{ url: "http://printer.local/", code: "ENDPOINT_ADDRESS_FORBIDDEN" },
		{ url: "ftp://127.0.0.1/", code: "ENDPOINT_SCHEME_FORBIDDEN" },
	];
	for (const testCase of stillForbidden) {
		it(`still rejects ${testCase.url}`, () => {
			const error = errorOf(() =>
				checkEndpointUrl(testCase.url, FIELD, DEVELOPMENT),
			);
			expect(error.code).toBe(testCase.code);
		});
	}
});

describe("checkEndpointUrl rejects port 0", () => {
	it("rejects https with port 0", () => {
		const error = errorOf(() =>
			checkEndpointUrl("https://ok.example.com:0/a", FIELD, PRODUCTION),
		);
		expect(error.code).toBe("ENDPOINT_URL_INVALID");
		expect(error.field).toBe(FIELD);
	});
});

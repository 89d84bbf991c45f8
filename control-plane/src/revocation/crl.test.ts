import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { x509 } from "@ans/shared/keys";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
	startTestControlPlane,
	type TestControlPlane,
} from "../testing/test-control-plane.ts";
import {
	opensslSerial,
	registerTestAgent,
	revokeTestAgent,
	runOpenssl,
	type TestAgent,
	writeTestFile,
} from "./test-agents.ts";

const HOUR_MS = 60 * 60 * 1000;

let cp: TestControlPlane;
let work: string;
let revoked: TestAgent;
let good: TestAgent;

beforeAll(async () => {
	cp = await startTestControlPlane();
	work = mkdtempSync(join(tmpdir(), "ans-crl-"));
	revoked = await registerTestAgent(cp);
	good = await registerTestAgent(cp);
	await revokeTestAgent(cp, revoked, "keyCompromise");
});

afterAll(async () => {
	await cp.stop();
	rmSync(work, { recursive: true, force: true });
});

async function fetchCrl(query = "", headers: Record<string, string> = {}) {
	const response = await fetch(`${cp.url}/v1/ca/crl${query}`, { headers });
	const body = new Uint8Array(await response.arrayBuffer());
	return { response, body };
}

/** Returns the output of `openssl crl -text` for a DER CRL. */
async function crlText(name: string, der: Uint8Array): Promise<string> {
	const path = writeTestFile(work, name, der);
	const result = await runOpenssl([
		"crl",
		"-inform",
		"DER",
		"-in",
		path,
		"-noout",
		"-text",
	]);
	return result.stdout;
}

/** CA bundle for `openssl crl -verify`: the intermediate and the root. */
function caFile(agent: TestAgent): string {
	return writeTestFile(work, "ca-bundle.pem", agent.chain.join(""));
}

describe("CRL endpoint", () => {
	it("serves DER that openssl verifies", async () => {
		const { response, body } = await fetchCrl();
		expect(response.status).toBe(200);
		expect(response.headers.get("content-type")).toBe("application/pkix-crl");
		const path = writeTestFile(work, "crl.der", body);

		const result = await runOpenssl([
			"crl",
			"-inform",
			"DER",
			"-in",
			path,
			"-CAfile",
			caFile(good),
			"-verify",
			"-noout",
			"-text",
		]);
		expect(result.stderr).toContain("verify OK");
		expect(result.status).toBe(0);
	});

	it("lists the revoked serial with its reason", async () => {
		const { body } = await fetchCrl();
		const text = await crlText("crl-list.der", body);

		const serial = await opensslSerial(work, revoked.certificatePem);
		expect(text).toMatch(
			new RegExp(
				`Serial Number: ${serial}\\n\\s+Revocation Date: [^\\n]+\\n\\s+CRL entry extensions:\\n\\s+X509v3 CRL Reason Code: \\n\\s+Key Compromise`,
			),
		);
	});

	it("leaves out certificates that are not revoked", async () => {
		const { body } = await fetchCrl();
		const text = await crlText("crl-good.der", body);
		expect(text).not.toContain(await opensslSerial(work, good.certificatePem));
	});

	it("is a version 2 CRL with AKI and CRL number", async () => {
		const { body } = await fetchCrl();
		const text = await crlText("crl-fields.der", body);
		expect(text).toContain("Version 2 (0x1)");
		expect(text).toContain("X509v3 Authority Key Identifier:");
		expect(text).toMatch(/X509v3 CRL Number: \n\s+\d+/);
		expect(text).toContain(
			"Issuer: CN = ANS Intermediate CA 1, O = Agent Name Service",
		);
	});

	it("sets nextUpdate 24 hours after thisUpdate", async () => {
		const { body } = await fetchCrl();
		const crl = new x509.X509Crl(body);
		const nextUpdate = crl.nextUpdate?.getTime() ?? 0;
		expect(nextUpdate - crl.thisUpdate.getTime()).toBe(24 * HOUR_MS);
	});

	it("caps Cache-Control at 15 minutes", async () => {
		const { response } = await fetchCrl();
		expect(response.headers.get("cache-control")).toBe("public, max-age=900");
	});

	it("serves PEM for format=pem", async () => {
		const { response, body } = await fetchCrl("?format=pem");
		expect(response.headers.get("content-type")).toBe("application/x-pem-file");
		const text = new TextDecoder().decode(body);
		expect(text.startsWith("-----BEGIN X509 CRL-----\n")).toBe(true);
		expect(text.trimEnd().endsWith("-----END X509 CRL-----")).toBe(true);

		const path = writeTestFile(work, "crl.pem", text);
		const result = await runOpenssl([
			"crl",
			"-in",
			path,
			"-CAfile",
			caFile(good),
			"-verify",
			"-noout",
		]);
		expect(result.stderr).toContain("verify OK");
	});

	it("serves PEM for the x-pem-file Accept header", async () => {
		const { response, body } = await fetchCrl("", {
			accept: "application/x-pem-file",
		});
		expect(response.headers.get("content-type")).toBe("application/x-pem-file");
		expect(new TextDecoder().decode(body)).toContain("BEGIN X509 CRL");
	});

	it("selects an intermediate with issuer", async () => {
		const { response } = await fetchCrl("?issuer=1");
		expect(response.status).toBe(200);
	});

	it("returns 404 for an unknown issuer", async () => {
		const { response, body } = await fetchCrl("?issuer=99");
		expect(response.status).toBe(404);
		const error = JSON.parse(new TextDecoder().decode(body));
		expect(error.error.code).toBe("CA_ISSUER_NOT_FOUND");
	});

	it("returns 400 for an invalid issuer", async () => {
		const { response } = await fetchCrl("?issuer=..%2F1");
		expect(response.status).toBe(400);
	});
});

describe("CRL regeneration", () => {
	it("adds a new revocation with a higher CRL number", async () => {
		const before = new x509.X509Crl((await fetchCrl()).body);
		const agent = await registerTestAgent(cp);
		await revokeTestAgent(cp, agent, "superseded");
		const after = new x509.X509Crl((await fetchCrl()).body);

		expect(crlNumber(after)).toBeGreaterThan(crlNumber(before));
		const entry = after.findRevoked(
			new x509.X509Certificate(agent.certificatePem).serialNumber,
		);
		expect(entry?.reason).toBe(x509.X509CrlReason.superseded);
		expect(before.entries.length + 1).toBe(after.entries.length);
	});

	it("keeps the revocation without a reason for unspecified", async () => {
		const agent = await registerTestAgent(cp);
		await revokeTestAgent(cp, agent, "unspecified");
		const crl = new x509.X509Crl((await fetchCrl()).body);
		const entry = crl.findRevoked(
			new x509.X509Certificate(agent.certificatePem).serialNumber,
		);
		expect(entry).not.toBeNull();
		expect(entry?.reason).toBeUndefined();
	});

	it("keeps CRL numbers increasing across restarts", async () => {
		const dataDir = mkdtempSync(join(tmpdir(), "ans-crl-restart-"));
		try {
			const first = await startTestControlPlane({}, { dataDir });
			const firstCrl = new x509.X509Crl(
				new Uint8Array(
					await (await fetch(`${first.url}/v1/ca/crl`)).arrayBuffer(),
				),
			);
			await first.stop();

			const second = await startTestControlPlane({}, { dataDir });
			const secondCrl = new x509.X509Crl(
				new Uint8Array(
					await (await fetch(`${second.url}/v1/ca/crl`)).arrayBuffer(),
				),
			);
			await second.stop();
			expect(crlNumber(secondCrl)).toBeGreaterThan(crlNumber(firstCrl));
		} finally {
			rmSync(dataDir, { recursive: true, force: true });
		}
	});
});

function crlNumber(crl: x509.X509Crl): number {
	const extension = crl.getExtension("2.5.29.20");
	if (extension === null) {
		throw new Error("the CRL has no CRL number");
	}
	// The value is a DER INTEGER; the test CRL numbers fit in one to three bytes.
	const bytes = new Uint8Array(extension.value);
	let value = 0;
	for (const byte of bytes.subarray(2)) {
		value = value * 256 + byte;
	}
	return value;
}

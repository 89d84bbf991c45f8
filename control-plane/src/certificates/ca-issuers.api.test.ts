import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runOpenssl, writeTestFile } from "../revocation/test-agents.ts";
import { registerTestAgent } from "../testing/test-agents.ts";
import {
	startTestControlPlane,
	type TestControlPlane,
} from "../testing/test-control-plane.ts";

let cp: TestControlPlane;
let dir: string;
let fileCount = 0;

beforeAll(async () => {
	cp = await startTestControlPlane();
	dir = mkdtempSync(join(tmpdir(), "ans-ca-issuers-"));
});

afterAll(async () => {
	await cp?.stop();
	rmSync(dir, { recursive: true, force: true });
});

function uniqueName(suffix: string): string {
	fileCount += 1;
	return `file${fileCount}.${suffix}`;
}

/** Returns the CA Issuers URI of a PEM certificate, as openssl prints it. */
async function caIssuersUri(certificatePem: string): Promise<string> {
	const path = writeTestFile(dir, uniqueName("pem"), certificatePem);
	const result = await runOpenssl([
		"x509",
		"-in",
		path,
		"-noout",
		"-ext",
		"authorityInfoAccess",
	]);
	expect(result.status).toBe(0);
	const uri = /CA Issuers - URI:(\S+)/.exec(result.stdout)?.[1];
	expect(uri, result.stdout).toBeDefined();
	return uri ?? "";
}

/** Fetches `uri`, checks the headers of a DER certificate and saves the body. */
async function fetchDer(uri: string): Promise<string> {
	const response = await fetch(uri);
	expect(response.status).toBe(200);
	expect(response.headers.get("content-type")).toBe("application/pkix-cert");
	const maxAge = /max-age=(\d+)/.exec(
		response.headers.get("cache-control") ?? "",
	)?.[1];
	expect(Number(maxAge)).toBeGreaterThan(0);
	expect(Number(maxAge)).toBeLessThanOrEqual(900);
	return writeTestFile(
		dir,
		uniqueName("cer"),
		new Uint8Array(await response.arrayBuffer()),
	);
}

/** Converts a DER certificate file to PEM with openssl x509 -inform DER. */
async function derToPem(derPath: string): Promise<string> {
	const pemPath = `${derPath}.pem`;
	const result = await runOpenssl([
		"x509",
		"-inform",
		"DER",
		"-in",
		derPath,
		"-out",
		pemPath,
	]);
	expect(result.status, result.stderr).toBe(0);
	return readFileSync(pemPath, "utf8");
}

describe("caIssuers URI", () => {
	it("fetches the issuer as DER", async () => {
		const agent = await registerTestAgent(cp, { capability: "caIssuers" });
		const uri = await caIssuersUri(agent.certificate);
		expect(uri).toBe(`${cp.url}/v1/ca/intermediates/1.cer`);

		const issuerPem = await derToPem(await fetchDer(uri));
		expect(issuerPem.trim()).toBe(agent.chain[0]?.trim());

		// The fetched issuer completes the chain from the leaf to the root.
		const verified = await runOpenssl([
			"verify",
			"-CAfile",
			writeTestFile(dir, uniqueName("pem"), agent.chain[1] ?? ""),
			"-untrusted",
			writeTestFile(dir, uniqueName("pem"), issuerPem),
			writeTestFile(dir, uniqueName("pem"), agent.certificate),
		]);
		expect(verified.stdout, verified.stderr).toContain(": OK");
	});

	it("keeps old issuers after rotation", async () => {
		const before = await registerTestAgent(cp, { capability: "caIssuers" });
		const rotated = await fetch(`${cp.url}/v1/admin/ca/rotate-intermediate`, {
			method: "POST",
			headers: { authorization: `Bearer ${cp.adminToken}` },
		});
		expect(rotated.status).toBe(201);
		const { id } = (await rotated.json()) as { id: string };
		const after = await registerTestAgent(cp, { capability: "caIssuers" });

		const newUri = await caIssuersUri(after.certificate);
		expect(newUri).toBe(`${cp.url}/v1/ca/intermediates/${id}.cer`);
		const newIssuer = await derToPem(await fetchDer(newUri));
		expect(newIssuer.trim()).toBe(after.chain[0]?.trim());

		const oldIssuer = await derToPem(
			await fetchDer(await caIssuersUri(before.certificate)),
		);
		expect(oldIssuer.trim()).toBe(before.chain[0]?.trim());
		expect(oldIssuer).not.toBe(newIssuer);
	});

	it("returns 404 for an unknown intermediate", async () => {
		const response = await fetch(`${cp.url}/v1/ca/intermediates/999.cer`);
		expect(response.status).toBe(404);
		const { error } = (await response.json()) as {
			error: { code: string };
		};
		expect(error.code).toBe("CA_ISSUER_NOT_FOUND");
	});

	it("rejects a file name without .cer", async () => {
		for (const file of ["1.pem", "1", "01.cer", "x.cer"]) {
			const response = await fetch(`${cp.url}/v1/ca/intermediates/${file}`);
			expect(response.status, file).toBe(400);
		}
	});
});

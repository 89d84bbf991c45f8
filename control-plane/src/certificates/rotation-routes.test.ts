import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { x509 } from "@ans/shared/keys";
import { verifyResolution } from "@ans/shared/verification";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createToken } from "../auth/tokens.ts";
import {
	registerTestAgent,
	revokeTestAgent,
	runOpenssl,
	type TestAgent,
	writeTestFile,
} from "../revocation/test-agents.ts";
import {
	startTestControlPlane,
	type TestControlPlane,
} from "../testing/test-control-plane.ts";

const ROTATE_URL = "/v1/admin/ca/rotate-intermediate";

let cp: TestControlPlane;
let work: string;
let oldAgent: TestAgent;
let rotation: Response;
let rotated: { id: string; previousId: string; chain: string[] };
let newAgent: TestAgent;

beforeAll(async () => {
	cp = await startTestControlPlane();
	work = mkdtempSync(join(tmpdir(), "ans-rotation-"));
	oldAgent = await registerTestAgent(cp);
	rotation = await fetch(`${cp.url}${ROTATE_URL}`, {
		method: "POST",
		headers: { authorization: `Bearer ${cp.adminToken}` },
	});
	rotated = await rotation.clone().json();
	newAgent = await registerTestAgent(cp);
});

afterAll(async () => {
	await cp?.stop();
	rmSync(work, { recursive: true, force: true });
});

async function trust() {
	const jwks = await (await fetch(`${cp.url}/.well-known/jwks.json`)).json();
	return { jwks, trustAnchors: [cp.controlPlane.services.ca.rootPem()] };
}

async function resolve(agent: TestAgent) {
	const response = await fetch(
		`${cp.url}/v1/resolve?name=${encodeURIComponent(agent.name)}`,
	);
	expect(response.status).toBe(200);
	return (await response.json()) as {
		record: string;
		certificate: string;
		chain: string[];
	};
}

async function opensslVerify(name: string, agent: TestAgent) {
	return runOpenssl([
		"verify",
		"-x509_strict",
		"-CAfile",
		writeTestFile(work, `${name}-root.pem`, agent.chain[1] ?? ""),
		"-untrusted",
		writeTestFile(work, `${name}-intermediate.pem`, agent.chain[0] ?? ""),
		writeTestFile(work, `${name}-agent.pem`, agent.certificatePem),
	]);
}

async function crlFor(issuer: string): Promise<Uint8Array<ArrayBuffer>> {
	const response = await fetch(`${cp.url}/v1/ca/crl?issuer=${issuer}`);
	expect(response.status).toBe(200);
	return new Uint8Array(await response.arrayBuffer());
}

describe("intermediate rotation API", () => {
	it("rotates to intermediate 2", () => {
		expect(rotation.status).toBe(201);
		expect(rotated.id).toBe("2");
		expect(rotated.previousId).toBe("1");
		expect(rotated.chain).toHaveLength(2);
	});

	it("issues new certificates from intermediate 2", () => {
		const certificate = new x509.X509Certificate(newAgent.certificatePem);
		expect(certificate.issuer).toBe(
			"CN=ANS Intermediate CA 2, O=Agent Name Service",
		);
		expect(newAgent.chain[0]).toBe(rotated.chain[0]);
	});

	it("keeps the old certificate verifying with openssl", async () => {
		const result = await opensslVerify("old", oldAgent);
		expect(result.stderr).toBe("");
		expect(result.status).toBe(0);
	});

	it("verifies the new certificate with openssl", async () => {
		const result = await opensslVerify("new", newAgent);
		expect(result.status).toBe(0);
	});

	it("keeps the old resolution verifying", async () => {
		const answer = await resolve(oldAgent);
		expect(answer.chain[0]).toBe(oldAgent.chain[0]);
		const verified = await verifyResolution(answer, await trust());
		expect(verified.chain[0]?.subject).toBe(
			"CN=ANS Intermediate CA 1, O=Agent Name Service",
		);
	});

	it("verifies the new resolution", async () => {
		const verified = await verifyResolution(
			await resolve(newAgent),
			await trust(),
		);
		expect(verified.chain[0]?.subject).toBe(
			"CN=ANS Intermediate CA 2, O=Agent Name Service",
		);
	});

	it("serves a CRL of each intermediate", async () => {
		for (const [issuer, agent] of [
			["1", oldAgent],
			["2", newAgent],
		] as const) {
			const path = writeTestFile(
				work,
				`crl-${issuer}.der`,
				await crlFor(issuer),
			);
			const result = await runOpenssl([
				"crl",
				"-inform",
				"DER",
				"-in",
				path,
				"-CAfile",
				writeTestFile(work, `bundle-${issuer}.pem`, agent.chain.join("")),
				"-verify",
				"-noout",
			]);
			expect(result.stderr).toContain("verify OK");
		}
	});

	it("serves the new intermediate's CRL by default", async () => {
		const response = await fetch(`${cp.url}/v1/ca/crl`);
		const crl = new x509.X509Crl(new Uint8Array(await response.arrayBuffer()));
		expect(crl.issuer).toBe("CN=ANS Intermediate CA 2, O=Agent Name Service");
	});

	it("lists an old certificate's revocation on the old CRL", async () => {
		const agent = await registerTestAgent(cp);
		const issuedBefore = new x509.X509Certificate(oldAgent.certificatePem);
		await revokeTestAgent(cp, oldAgent, "cessationOfOperation");

		const oldCrl = new x509.X509Crl(await crlFor("1"));
		expect(oldCrl.findRevoked(issuedBefore.serialNumber)?.reason).toBe(
			x509.X509CrlReason.cessationOfOperation,
		);
		const newCrl = new x509.X509Crl(await crlFor("2"));
		expect(newCrl.findRevoked(issuedBefore.serialNumber)).toBeNull();
		expect(agent.chain[0]).toBe(rotated.chain[0]);
	});

	it("reports the old certificate revoked by OCSP", async () => {
		const result = await runOpenssl([
			"ocsp",
			"-issuer",
			writeTestFile(work, "ocsp-intermediate.pem", oldAgent.chain[0] ?? ""),
			"-cert",
			writeTestFile(work, "ocsp-agent.pem", oldAgent.certificatePem),
			"-url",
			`${cp.url}/v1/ca/ocsp`,
			"-CAfile",
			writeTestFile(work, "ocsp-root.pem", oldAgent.chain[1] ?? ""),
		]);
		expect(result.stderr).toContain("Response verify OK");
		expect(result.stdout).toContain("revoked");
	});

	it("rejects a request without a token", async () => {
		const response = await fetch(`${cp.url}${ROTATE_URL}`, { method: "POST" });
		expect(response.status).toBe(401);
		expect(cp.controlPlane.services.ca.intermediate().id).toBe("2");
	});

	it("rejects a token without the admin scope", async () => {
		const { token } = await createToken(cp.controlPlane.services.store, {
			scopes: ["register"],
		});
		const response = await fetch(`${cp.url}${ROTATE_URL}`, {
			method: "POST",
			headers: { authorization: `Bearer ${token}` },
		});
		expect(response.status).toBe(403);
		const body = (await response.json()) as { error: { code: string } };
		expect(body.error.code).toBe("TOKEN_SCOPE_MISSING");
		expect(cp.controlPlane.services.ca.intermediate().id).toBe("2");
	});
});

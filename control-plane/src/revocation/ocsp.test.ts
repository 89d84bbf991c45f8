import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
	BasicOCSPResponse,
	id_pkix_ocsp_nonce,
	OCSPRequest,
	OCSPResponse,
	OCSPResponseStatus,
} from "@peculiar/asn1-ocsp";
import { AsnConvert } from "@peculiar/asn1-schema";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
	startTestControlPlane,
	type TestControlPlane,
} from "../testing/test-control-plane.ts";
import {
	type OpensslResult,
	opensslSerial,
	registerTestAgent,
	revokeTestAgent,
	runOpenssl,
	type TestAgent,
	writeTestFile,
} from "./test-agents.ts";

/**
 * Redis for the tests: `ANS_TEST_REDIS_URL`, by default the machine's own
 * Redis, or undefined when the variable is `skip`, which skips the Redis
 * backend's cases.
 */
const REDIS_URL = testRedisUrl(process.env.ANS_TEST_REDIS_URL);
const REDIS_KEY_PREFIX = `ans-test-ocsp-${process.pid}-${randomUUID()}:`;

interface AgentFiles {
	root: string;
	intermediate: string;
	certificate: string;
}

function agentFiles(dir: string, agent: TestAgent, name: string): AgentFiles {
	return {
		root: writeTestFile(dir, `${name}-root.pem`, agent.chain[1] ?? ""),
		intermediate: writeTestFile(
			dir,
			`${name}-intermediate.pem`,
			agent.chain[0] ?? "",
		),
		certificate: writeTestFile(dir, `${name}-agent.pem`, agent.certificatePem),
	};
}

/**
 * Queries the responder with the openssl ocsp client, as a relying party
 * would. `options` go before `-cert`, where openssl expects a CertID digest.
 */
function opensslOcsp(
	cp: TestControlPlane,
	files: AgentFiles,
	options: string[] = [],
): Promise<OpensslResult> {
	return runOpenssl([
		"ocsp",
		...options,
		"-issuer",
		files.intermediate,
		"-cert",
		files.certificate,
		"-url",
		`${cp.url}/v1/ca/ocsp`,
		"-CAfile",
		files.root,
	]);
}

/** Creates a DER request with openssl (with a nonce unless `-no_nonce`). */
async function opensslRequest(
	dir: string,
	files: AgentFiles,
	options: string[] = [],
): Promise<Uint8Array<ArrayBuffer>> {
	const path = join(dir, `request-${randomUUID()}.der`);
	const result = await runOpenssl([
		"ocsp",
		...options,
		"-issuer",
		files.intermediate,
		"-cert",
		files.certificate,
		"-reqout",
		path,
	]);
	expect(result.status).toBe(0);
	return new Uint8Array(readFileSync(path));
}

function testRedisUrl(configured: string | undefined): string | undefined {
	if (configured === "skip") {
		return undefined;
	}
	return configured === undefined || configured === ""
		? "redis://127.0.0.1:6379"
		: configured;
}

async function deleteRedisKeys(): Promise<void> {
	if (REDIS_URL === undefined) {
		return;
	}
	const client = createClient({ url: REDIS_URL });
	await client.connect();
	try {
		let cursor = "0";
		for (let round = 0; round < 1000; round++) {
			const reply = await client.scan(cursor, {
				MATCH: `${REDIS_KEY_PREFIX}*`,
				COUNT: 100,
			});
			if (reply.keys.length > 0) {
				await client.del(reply.keys);
			}
			cursor = reply.cursor;
			if (cursor === "0") {
				break;
			}
		}
	} finally {
		await client.close();
	}
}

afterAll(deleteRedisKeys);

if (REDIS_URL === undefined) {
	describe("OCSP with the redis validation cache", () => {
		it.skip("runs only without ANS_TEST_REDIS_URL=skip", () => {});
	});
}

describe.each<{ backend: string; env: Record<string, string> }>([
	{ backend: "memory", env: {} },
	...(REDIS_URL === undefined
		? []
		: [
				{
					backend: "redis",
					env: {
						ANS_REDIS_URL: REDIS_URL,
						ANS_REDIS_KEY_PREFIX: REDIS_KEY_PREFIX,
					},
				},
			]),
])("OCSP with the $backend validation cache", ({ backend, env }) => {
	let cp: TestControlPlane;
	let work: string;
	let agent: TestAgent;
	let files: AgentFiles;

	beforeAll(async () => {
		cp = await startTestControlPlane(env);
		work = mkdtempSync(join(tmpdir(), "ans-ocsp-"));
		agent = await registerTestAgent(cp);
		files = agentFiles(work, agent, "main");
	});

	afterAll(async () => {
		await cp?.stop();
		rmSync(work, { recursive: true, force: true });
	});

	it("uses the configured cache backend", () => {
		expect(cp.controlPlane.services.revocation.statuses.cacheBackend).toBe(
			backend,
		);
	});

	it("reports good, then revoked after revocation", async () => {
		const before = await opensslOcsp(cp, files);
		expect(before.stderr).toContain("Response verify OK");
		expect(before.stderr).not.toMatch(/nonce/i);
		expect(before.stdout).toContain(`${files.certificate}: good`);
		expect(before.stdout).toMatch(/This Update: .+\n\s+Next Update: .+/);
		expect(before.status).toBe(0);

		// The good status is in the validation cache now.
		const serial = (
			await opensslSerial(work, agent.certificatePem)
		).toLowerCase();
		const cached =
			await cp.controlPlane.services.revocation.statuses.lookup(serial);
		expect(cached.status).toBe("good");

		await revokeTestAgent(cp, agent, "keyCompromise");
		const after = await opensslOcsp(cp, files);
		expect(after.stderr).toContain("Response verify OK");
		expect(after.stdout).toContain(`${files.certificate}: revoked`);
		expect(after.stdout).toContain("Reason: keyCompromise");
		expect(after.stdout).toMatch(/Revocation Time: .+ GMT/);
	});

	it("reports unknown for a serial never issued", async () => {
		const result = await runOpenssl([
			"ocsp",
			"-issuer",
			files.intermediate,
			"-serial",
			"0x0123456789abcdef",
			"-url",
			`${cp.url}/v1/ca/ocsp`,
			"-CAfile",
			files.root,
		]);
		expect(result.stderr).toContain("Response verify OK");
		expect(result.stdout).toContain("0x0123456789abcdef: unknown");
	});

	it("matches SHA-256 CertIDs", async () => {
		const other = await registerTestAgent(cp);
		const otherFiles = agentFiles(work, other, "sha256");
		const result = await opensslOcsp(cp, otherFiles, ["-sha256"]);
		expect(result.stderr).toContain("Response verify OK");
		expect(result.stdout).toContain(`${otherFiles.certificate}: good`);
	});

	it("answers the GET form", async () => {
		const other = await registerTestAgent(cp);
		const otherFiles = agentFiles(work, other, "get");
		const request = await opensslRequest(work, otherFiles, ["-no_nonce"]);
		const encoded = encodeURIComponent(Buffer.from(request).toString("base64"));

		const response = await fetch(`${cp.url}/v1/ca/ocsp/${encoded}`);
		expect(response.status).toBe(200);
		expect(response.headers.get("content-type")).toBe(
			"application/ocsp-response",
		);
		expect(response.headers.get("cache-control")).toBe("public, max-age=60");
		const responsePath = writeTestFile(
			work,
			"get-response.der",
			new Uint8Array(await response.arrayBuffer()),
		);

		const result = await runOpenssl([
			"ocsp",
			"-respin",
			responsePath,
			"-issuer",
			otherFiles.intermediate,
			"-cert",
			otherFiles.certificate,
			"-CAfile",
			otherFiles.root,
		]);
		expect(result.stderr).toContain("Response verify OK");
		expect(result.stdout).toContain(`${otherFiles.certificate}: good`);
	});

	it("accepts unencoded base64url in the GET form", async () => {
		const request = await opensslRequest(work, files, ["-no_nonce"]);
		const encoded = Buffer.from(request).toString("base64url");
		const response = await fetch(`${cp.url}/v1/ca/ocsp/${encoded}`);
		const parsed = parseResponse(await response.arrayBuffer());
		expect(parsed.responseStatus).toBe(OCSPResponseStatus.successful);
	});

	it("echoes the request nonce", async () => {
		const request = await opensslRequest(work, files);
		const requestNonce = AsnConvert.parse(
			request,
			OCSPRequest,
		).tbsRequest.requestExtensions?.find(
			(extension) => extension.extnID === id_pkix_ocsp_nonce,
		);
		expect(requestNonce).toBeDefined();

		const response = await postRequest(cp, request);
		expect(response.headers.get("cache-control")).toBe("no-store");
		const basic = basicResponse(await response.arrayBuffer());
		const responseNonce = basic.tbsResponseData.responseExtensions?.find(
			(extension) => extension.extnID === id_pkix_ocsp_nonce,
		);
		expect(responseNonce).toBeDefined();
		const echoed = responseNonce?.extnValue.buffer ?? new ArrayBuffer(0);
		const sent = requestNonce?.extnValue.buffer ?? new ArrayBuffer(1);
		expect(Buffer.from(echoed)).toEqual(Buffer.from(sent));
	});

	it("sends the responder certificate and intermediate", async () => {
		const request = await opensslRequest(work, files);
		const basic = basicResponse(
			await (await postRequest(cp, request)).arrayBuffer(),
		);
		expect(basic.certs).toHaveLength(2);
		expect(basic.tbsResponseData.responderID.byKey).toBeDefined();
	});

	it("answers malformedRequest for garbage", async () => {
		const response = await postRequest(
			cp,
			new TextEncoder().encode("not an OCSP request"),
		);
		expect(response.status).toBe(200);
		expect(response.headers.get("content-type")).toBe(
			"application/ocsp-response",
		);
		const body = new Uint8Array(await response.arrayBuffer());
		expect(parseResponse(body).responseStatus).toBe(
			OCSPResponseStatus.malformedRequest,
		);

		const path = writeTestFile(work, "malformed.der", body);
		const result = await runOpenssl(["ocsp", "-respin", path, "-resp_text"]);
		expect(result.stdout).toContain("malformedrequest");
	});

	it("answers malformedRequest for an empty body", async () => {
		const response = await postRequest(cp, new Uint8Array(0));
		expect(parseResponse(await response.arrayBuffer()).responseStatus).toBe(
			OCSPResponseStatus.malformedRequest,
		);
	});

	it("answers malformedRequest for a bad GET path", async () => {
		const response = await fetch(`${cp.url}/v1/ca/ocsp/not*base64`);
		expect(response.status).toBe(200);
		expect(parseResponse(await response.arrayBuffer()).responseStatus).toBe(
			OCSPResponseStatus.malformedRequest,
		);
	});

	it("answers unauthorized for a foreign issuer", async () => {
		const result = await runOpenssl([
			"ocsp",
			"-issuer",
			files.root,
			"-serial",
			"0x01",
			"-url",
			`${cp.url}/v1/ca/ocsp`,
			"-CAfile",
			files.root,
		]);
		expect(result.stdout).toContain("unauthorized");
	});
});

describe("certificate status endpoint", () => {
	let cp: TestControlPlane;
	let work: string;

	beforeAll(async () => {
		cp = await startTestControlPlane();
		work = mkdtempSync(join(tmpdir(), "ans-status-"));
	});

	afterAll(async () => {
		await cp?.stop();
		rmSync(work, { recursive: true, force: true });
	});

	async function status(serial: string) {
		const response = await fetch(`${cp.url}/v1/certificates/${serial}/status`);
		return { response, body: await response.json() };
	}

	it("reports good, then revoked with reason", async () => {
		const agent = await registerTestAgent(cp);
		const serial = await opensslSerial(work, agent.certificatePem);

		const before = await status(serial);
		expect(before.response.status).toBe(200);
		expect(before.body.status).toBe("good");
		expect(before.body.serial).toBe(serial.toLowerCase());
		expect(before.body.issuerId).toBe("1");
		expect(before.body.revokedAt).toBeUndefined();

		await revokeTestAgent(cp, agent, "affiliationChanged");
		const after = await status(serial);
		expect(after.body.status).toBe("revoked");
		expect(after.body.reason).toBe("affiliationChanged");
		expect(Date.parse(after.body.revokedAt)).not.toBeNaN();
	});

	it("accepts leading zeros and lowercase", async () => {
		const agent = await registerTestAgent(cp);
		const serial = await opensslSerial(work, agent.certificatePem);
		const result = await status(`00${serial.toLowerCase()}`);
		expect(result.response.status).toBe(200);
		expect(result.body.serial).toBe(serial.toLowerCase());
	});

	it("returns 404 for an unknown serial", async () => {
		const result = await status("0123456789abcdef");
		expect(result.response.status).toBe(404);
		expect(result.body.error.code).toBe("CERTIFICATE_NOT_FOUND");
	});

	it("returns 400 for a serial that is not hex", async () => {
		const result = await status("xyz");
		expect(result.response.status).toBe(400);
		expect(result.body.error.code).toBe("CERT_SERIAL_INVALID");
		expect(result.body.error.field).toBe("serial");
	});
});

function postRequest(
	cp: TestControlPlane,
	body: Uint8Array<ArrayBuffer>,
): Promise<Response> {
	return fetch(`${cp.url}/v1/ca/ocsp`, {
		method: "POST",
		headers: { "content-type": "application/ocsp-request" },
		body,
	});
}

function parseResponse(body: ArrayBuffer | Uint8Array): OCSPResponse {
	return AsnConvert.parse(body, OCSPResponse);
}

function basicResponse(body: ArrayBuffer): BasicOCSPResponse {
	const response = parseResponse(body);
	const bytes = response.responseBytes?.response.buffer;
	if (bytes === undefined) {
		throw new Error(
			`OCSP response status ${response.responseStatus} has no response bytes`,
		);
	}
	return AsnConvert.parse(bytes, BasicOCSPResponse);
}

import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { minimalAgentCard } from "../testing/test-agents.ts";
import {
	startTestControlPlane,
	type TestControlPlane,
} from "../testing/test-control-plane.ts";

const run = promisify(execFile);

let cp: TestControlPlane;
let dir: string;
let keyCount = 0;

beforeAll(async () => {
	cp = await startTestControlPlane();
	dir = mkdtempSync(join(tmpdir(), "ans-compromised-key-"));
});

afterAll(async () => {
	await cp?.stop();
	rmSync(dir, { recursive: true, force: true });
});

/** Generates a P-256 key file with the openssl binary and returns its path. */
async function generateKey(): Promise<string> {
	keyCount += 1;
	const path = join(dir, `key${keyCount}.pem`);
	await run("openssl", [
		"genpkey",
		"-algorithm",
		"EC",
		"-pkeyopt",
		"ec_paramgen_curve:P-256",
		"-out",
		path,
	]);
	return path;
}

/** Creates a CSR for an existing key, as `openssl req -new -key` does for an operator. */
async function csrFor(keyPath: string): Promise<string> {
	const { stdout } = await run("openssl", [
		"req",
		"-new",
		"-key",
		keyPath,
		"-subj",
		"/CN=agent",
	]);
	return stdout;
}

/** Writes the key with a compressed EC point, a second encoding of the same key. */
async function compressedCopy(keyPath: string): Promise<string> {
	const path = `${keyPath}.compressed.pem`;
	await run("openssl", [
		"ec",
		"-in",
		keyPath,
		"-conv_form",
		"compressed",
		"-out",
		path,
	]);
	return path;
}

function call(method: string, path: string, body?: unknown): Promise<Response> {
	return fetch(`${cp.url}${path}`, {
		method,
		headers: {
			authorization: `Bearer ${cp.adminToken}`,
			...(body === undefined ? {} : { "content-type": "application/json" }),
		},
		...(body === undefined ? {} : { body: JSON.stringify(body) }),
	});
}

function register(name: string, csr: string): Promise<Response> {
	const label = name.slice("a2a://".length).split(".")[0] ?? "agent";
	return call("POST", "/v1/agents", {
		name,
		endpoints: [
			{ protocol: "a2a", url: `https://agents.example.com/${label}` },
		],
		metadata: minimalAgentCard(label, "1.0.0"),
		csr,
	});
}

async function registerOk(name: string, csr: string): Promise<string> {
	const response = await register(name, csr);
	expect(response.status, await response.clone().text()).toBe(201);
	return ((await response.json()) as { id: string }).id;
}

async function revoke(id: string, reason: string): Promise<void> {
	const response = await call("POST", `/v1/agents/${id}/revoke`, { reason });
	expect(response.status).toBe(200);
}

function renew(id: string, csr: string): Promise<Response> {
	return call("POST", `/v1/agents/${id}/renew`, { csr });
}

async function expectCompromised(response: Response): Promise<void> {
	expect(response.status).toBe(400);
	const { error } = (await response.json()) as {
		error: { code: string; field: string; message: string };
	};
	expect(error.code).toBe("CSR_KEY_COMPROMISED");
	expect(error.field).toBe("csr");
	expect(error.message).toContain("compromised");
	expect(error.message).toContain("new key pair");
}

describe("compromised key check", () => {
	it("rejects a key revoked for keyCompromise", async () => {
		const compromisedKey = await generateKey();
		const revokedId = await registerOk(
			"a2a://textProcessor.DocumentTranslation.AcmeCorp.v2.1",
			await csrFor(compromisedKey),
		);
		const otherId = await registerOk(
			"a2a://otherProcessor.DocumentTranslation.AcmeCorp.v1.0",
			await csrFor(await generateKey()),
		);
		await revoke(revokedId, "keyCompromise");

		await expectCompromised(
			await register(
				"a2a://textProcessor.DocumentTranslation.AcmeCorp.v2.2",
				await csrFor(compromisedKey),
			),
		);
		await expectCompromised(await renew(otherId, await csrFor(compromisedKey)));

		// The same key with a compressed point is the same key.
		const compressed = await compressedCopy(compromisedKey);
		await expectCompromised(
			await register(
				"a2a://textProcessor.DocumentTranslation.AcmeCorp.v2.3",
				await csrFor(compressed),
			),
		);

		// A new key pair is accepted for the same name.
		await registerOk(
			"a2a://textProcessor.DocumentTranslation.AcmeCorp.v2.2",
			await csrFor(await generateKey()),
		);
		const renewed = await renew(otherId, await csrFor(await generateKey()));
		expect(renewed.status).toBe(200);
	});

	it("allows a key superseded by renewal", async () => {
		const firstKey = await generateKey();
		const id = await registerOk(
			"a2a://renewer.keyReuse.Example.v1.0",
			await csrFor(firstKey),
		);
		// Renewal revokes the first certificate with reason superseded.
		const renewed = await renew(id, await csrFor(await generateKey()));
		expect(renewed.status).toBe(200);

		const again = await renew(id, await csrFor(firstKey));
		expect(again.status).toBe(200);
		await registerOk(
			"a2a://renewer.keyReuse.Example.v1.1",
			await csrFor(firstKey),
		);
	});

	it("allows a key after deregistration", async () => {
		const key = await generateKey();
		const id = await registerOk(
			"a2a://retired.keyReuse.Example.v1.0",
			await csrFor(key),
		);
		const deregistered = await call("DELETE", `/v1/agents/${id}`);
		expect(deregistered.status).toBe(200);
		const certificates =
			await cp.controlPlane.services.store.listCertificatesForAgent(id);
		expect(certificates[0]?.revocationReason).toBe("cessationOfOperation");

		await registerOk("a2a://retired.keyReuse.Example.v2.0", await csrFor(key));
	});

	it("stores the key hash with each certificate", async () => {
		const key = await generateKey();
		const id = await registerOk(
			"a2a://hashed.keyReuse.Example.v1.0",
			await csrFor(key),
		);
		const { stdout } = await run(
			"openssl",
			["pkey", "-in", key, "-pubout", "-outform", "DER"],
			{ encoding: "buffer" },
		);
		const expected = createHash("sha256").update(stdout).digest("hex");
		const certificates =
			await cp.controlPlane.services.store.listCertificatesForAgent(id);
		expect(certificates[0]?.publicKeySha256).toBe(expected);
	});
});

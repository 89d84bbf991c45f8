import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { base64url, CompactSign } from "jose";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "../records/digest.ts";
import {
	SAMPLE_RECORD_NAME,
	sampleRecordPayload,
} from "../records/test-payload.ts";
import { createTestPki, type TestPki } from "./test-ca.ts";

// Runs verifyResolution inside a real workerd (through Miniflare) to show that
// the shared verification code needs no Node.js APIs.

const NOW = new Date("2026-03-01T12:00:00Z");
const KID = "edge-test";

const WORKER_SOURCE = `
import { verifyResolution } from "./index.ts";

export default {
	async fetch(request) {
		const { answer, options } = await request.json();
		try {
			const result = await verifyResolution(answer, { ...options, now: new Date(options.now) });
			return Response.json({ ok: true, name: result.payload.name, checks: result.checks.map((check) => check.name) });
		} catch (error) {
			return Response.json({ ok: false, code: error.code, message: error.message });
		}
	},
};
`;

interface WorkerResult {
	ok: boolean;
	name?: string;
	checks?: string[];
	code?: string;
	message?: string;
}

let miniflare: Miniflare | undefined;
let pki: TestPki;
let answer: { record: string; certificate: string; chain: string[] };
let options: {
	jwks: { keys: JsonWebKey[] };
	trustAnchors: string[];
	now: string;
};

async function bundleWorker(): Promise<string> {
	const result = await build({
		stdin: {
			contents: WORKER_SOURCE,
			resolveDir: fileURLToPath(new URL(".", import.meta.url)),
			sourcefile: "worker.ts",
			loader: "ts",
		},
		bundle: true,
		format: "esm",
		platform: "browser",
		conditions: ["workerd", "worker", "browser"],
		target: "es2022",
		write: false,
		logLevel: "silent",
	});
	const [output] = result.outputFiles;
	if (output === undefined) {
		throw new Error("esbuild produced no output for the verification worker");
	}
	return output.text;
}

async function verifyInWorker(body: unknown): Promise<WorkerResult> {
	if (miniflare === undefined) {
		throw new Error("Miniflare did not start");
	}
	const response = await miniflare.dispatchFetch("http://localhost/", {
		method: "POST",
		body: JSON.stringify(body),
	});
	return (await response.json()) as WorkerResult;
}

beforeAll(async () => {
	pki = await createTestPki(SAMPLE_RECORD_NAME, NOW);
	const keys = (await crypto.subtle.generateKey(
		{ name: "ECDSA", namedCurve: "P-256" },
		true,
		["sign", "verify"],
	)) as CryptoKeyPair;
	const jwk = {
		...(await crypto.subtle.exportKey("jwk", keys.publicKey)),
		kid: KID,
		alg: "ES256",
		use: "sig",
	};
	delete jwk.key_ops;
	delete jwk.ext;

	const iat = NOW.getTime() / 1000 - 60;
	const payload = sampleRecordPayload({
		certificate: {
			serial: pki.leaf.certificate.serialNumber,
			sha256: await sha256Hex(pki.leaf.certificate.rawData),
			notAfter: Math.floor(pki.leaf.certificate.notAfter.getTime() / 1000),
		},
	});
	const record = await new CompactSign(
		new TextEncoder().encode(
			JSON.stringify({ ...payload, iat, exp: iat + 3600 }),
		),
	)
		.setProtectedHeader({ alg: "ES256", kid: KID, typ: "ans-record+jws" })
		.sign(keys.privateKey);

	answer = { record, certificate: pki.leaf.pem, chain: [pki.intermediate.pem] };
	options = {
		jwks: { keys: [jwk] },
		trustAnchors: [pki.root.pem],
		now: NOW.toISOString(),
	};

	miniflare = new Miniflare({
		modules: true,
		script: await bundleWorker(),
		compatibilityDate: "2026-01-01",
	});
	await miniflare.ready;
});

afterAll(async () => {
	await miniflare?.dispose();
});

describe("verifyResolution in workerd", () => {
	it("accepts a good answer", async () => {
		const result = await verifyInWorker({ answer, options });
		expect(result.message).toBeUndefined();
		expect(result.ok).toBe(true);
		expect(result.name).toBe(SAMPLE_RECORD_NAME);
		expect(result.checks).toContain("certificate-chain");
	});

	it("rejects a tampered record", async () => {
		const [header, payload, signature] = answer.record.split(".") as [
			string,
			string,
			string,
		];
		const bytes = base64url.decode(payload);
		bytes[10] = (bytes[10] ?? 0) ^ 0x01;
		const record = `${header}.${base64url.encode(bytes)}.${signature}`;
		const result = await verifyInWorker({
			answer: { ...answer, record },
			options,
		});
		expect(result.ok).toBe(false);
		expect(result.code).toBe("RECORD_SIGNATURE_INVALID");
	});

	it("rejects an untrusted root", async () => {
		const foreign = await createTestPki(SAMPLE_RECORD_NAME, NOW);
		const result = await verifyInWorker({
			answer,
			options: { ...options, trustAnchors: [foreign.root.pem] },
		});
		expect(result.ok).toBe(false);
		expect(result.code).toBe("CERT_UNTRUSTED_ROOT");
	});
});

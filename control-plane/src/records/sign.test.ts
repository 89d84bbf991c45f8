import { isAnsError } from "@ans/shared/errors";
import {
	canonicalJson,
	decodeRecord,
	type RecordAlgorithm,
	sha256Hex,
} from "@ans/shared/records";
import { sampleRecordPayload } from "@ans/shared/records/testing";
import {
	verifyRecordSignature,
	verifyResolution,
} from "@ans/shared/verification";
import { createTestPki } from "@ans/shared/verification/testing";
import { base64url } from "jose";
import { describe, expect, it } from "vitest";
import { buildJwks } from "./jwks.ts";
import { signRecord } from "./sign.ts";

const NOW = new Date("2026-03-01T12:00:00.750Z");
const NOW_SECONDS = Math.floor(NOW.getTime() / 1000);

const KEY_PARAMS: Record<RecordAlgorithm, EcKeyGenParams | Algorithm> = {
	ES256: { name: "ECDSA", namedCurve: "P-256" } as EcKeyGenParams,
	ES384: { name: "ECDSA", namedCurve: "P-384" } as EcKeyGenParams,
	EdDSA: { name: "Ed25519" },
};

async function generateKeys(alg: RecordAlgorithm): Promise<CryptoKeyPair> {
	return (await crypto.subtle.generateKey(KEY_PARAMS[alg], false, [
		"sign",
		"verify",
	])) as CryptoKeyPair;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
	try {
		await promise;
	} catch (error) {
		if (isAnsError(error)) {
			return error.code;
		}
		throw error;
	}
	throw new Error("the call succeeded, but an AnsError was expected");
}

describe("signRecord", () => {
	it.each(["ES256", "ES384", "EdDSA"] as const)(
		"signs verifiable %s records",
		async (alg) => {
			const keys = await generateKeys(alg);
			const jws = await signRecord(sampleRecordPayload(), {
				key: keys.privateKey,
				kid: `key-${alg}`,
				alg,
				now: NOW,
				validitySeconds: 3600,
			});
			const jwks = await buildJwks([
				{ publicKey: keys.publicKey, kid: `key-${alg}`, alg },
			]);
			const verified = await verifyRecordSignature(jws, jwks, NOW);
			expect(verified.header).toEqual({ alg, kid: `key-${alg}` });
			expect(verified.payload.name).toBe(sampleRecordPayload().name);
		},
	);

	it("signs answers verifyResolution accepts", async () => {
		const name = sampleRecordPayload().name;
		const pki = await createTestPki(name, NOW);
		const keys = await generateKeys("ES256");
		const certificate = {
			serial: pki.leaf.certificate.serialNumber,
			sha256: await sha256Hex(pki.leaf.certificate.rawData),
			notAfter: Math.floor(pki.leaf.certificate.notAfter.getTime() / 1000),
		};
		const record = await signRecord(sampleRecordPayload({ certificate }), {
			key: keys.privateKey,
			kid: "k1",
			now: NOW,
			validitySeconds: 3600,
		});
		const jwks = await buildJwks([
			{ publicKey: keys.publicKey, kid: "k1", alg: "ES256" },
		]);
		const answer = {
			record,
			certificate: pki.leaf.pem,
			chain: [pki.intermediate.pem, pki.root.pem],
		};
		const result = await verifyResolution(answer, {
			jwks,
			trustAnchors: [pki.root.pem],
			now: NOW,
			expectedName: name,
		});
		expect(result.payload.certificate).toEqual(certificate);
		expect(result.checks.map((check) => check.name)).toContain(
			"certificate-chain",
		);
	});

	it("writes the protected header", async () => {
		const keys = await generateKeys("ES256");
		const jws = await signRecord(sampleRecordPayload(), {
			key: keys.privateKey,
			kid: "k1",
			now: NOW,
			validitySeconds: 60,
		});
		const header = JSON.parse(
			new TextDecoder().decode(base64url.decode(jws.split(".")[0] ?? "")),
		);
		expect(header).toEqual({ alg: "ES256", kid: "k1", typ: "ans-record+jws" });
	});

	it("sets iat and exp in seconds", async () => {
		const keys = await generateKeys("ES256");
		const jws = await signRecord(sampleRecordPayload(), {
			key: keys.privateKey,
			kid: "k1",
			now: NOW,
			validitySeconds: 900,
		});
		const { payload } = decodeRecord(jws);
		expect(payload.iat).toBe(NOW_SECONDS);
		expect(payload.exp).toBe(NOW_SECONDS + 900);
	});

	it("serializes the payload canonically", async () => {
		const keys = await generateKeys("ES256");
		const jws = await signRecord(sampleRecordPayload(), {
			key: keys.privateKey,
			kid: "k1",
			now: NOW,
			validitySeconds: 60,
		});
		const payloadText = new TextDecoder().decode(
			base64url.decode(jws.split(".")[1] ?? ""),
		);
		expect(payloadText).toBe(
			canonicalJson({
				...sampleRecordPayload(),
				iat: NOW_SECONDS,
				exp: NOW_SECONDS + 60,
			}),
		);
	});

	it("keeps extra endpoint members", async () => {
		const keys = await generateKeys("ES256");
		const endpoints = [
			{
				protocol: "mcp",
				url: "https://a.example.test/mcp",
				package: { npm: "@acme/agent" },
			},
		];
		const jws = await signRecord(sampleRecordPayload({ endpoints }), {
			key: keys.privateKey,
			kid: "k1",
			now: NOW,
			validitySeconds: 60,
		});
		expect(decodeRecord(jws).payload.endpoints[0]?.package).toEqual({
			npm: "@acme/agent",
		});
	});

	it("rejects a malformed payload", async () => {
		const keys = await generateKeys("ES256");
		const payload = sampleRecordPayload({ version: "2.1" });
		const options = {
			key: keys.privateKey,
			kid: "k1",
			now: NOW,
			validitySeconds: 60,
		};
		expect(await codeOf(signRecord(payload, options))).toBe("RECORD_MALFORMED");
	});

	it.each([
		["zero validity", { validitySeconds: 0 }, "RECORD_VALIDITY_INVALID"],
		[
			"fractional validity",
			{ validitySeconds: 1.5 },
			"RECORD_VALIDITY_INVALID",
		],
		["invalid now", { now: new Date("not a date") }, "RECORD_VALIDITY_INVALID"],
		["empty kid", { kid: "" }, "RECORD_SIGNING_KEY_INVALID"],
		["HS256", { alg: "HS256" as RecordAlgorithm }, "RECORD_ALG_FORBIDDEN"],
		["none", { alg: "none" as RecordAlgorithm }, "RECORD_ALG_FORBIDDEN"],
	])("rejects %s", async (_label, override, code) => {
		const keys = await generateKeys("ES256");
		const options = {
			key: keys.privateKey,
			kid: "k1",
			now: NOW,
			validitySeconds: 60,
			...override,
		};
		expect(await codeOf(signRecord(sampleRecordPayload(), options))).toBe(code);
	});

	it("rejects a key for another algorithm", async () => {
		const keys = await generateKeys("ES384");
		const options = {
			key: keys.privateKey,
			kid: "k1",
			alg: "ES256" as const,
			now: NOW,
			validitySeconds: 60,
		};
		expect(await codeOf(signRecord(sampleRecordPayload(), options))).toBe(
			"RECORD_SIGNING_KEY_INVALID",
		);
	});

	it("rejects a public key", async () => {
		const keys = await generateKeys("ES256");
		const options = {
			key: keys.publicKey,
			kid: "k1",
			now: NOW,
			validitySeconds: 60,
		};
		expect(await codeOf(signRecord(sampleRecordPayload(), options))).toBe(
			"RECORD_SIGNING_KEY_INVALID",
		);
	});
});

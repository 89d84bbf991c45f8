import { base64url, CompactSign, type JWK } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { isAnsError } from "../errors.ts";
import { sha256Hex } from "../records/digest.ts";
import {
	SAMPLE_RECORD_NAME,
	sampleRecordPayload,
} from "../records/test-payload.ts";
import type {
	EndpointRecordPayload,
	UnsignedRecordPayload,
} from "../records/types.ts";
import {
	createTestIntermediate,
	createTestPki,
	createTestRoot,
	issueTestLeaf,
	type TestCertificate,
	type TestPki,
} from "./test-ca.ts";
import {
	type ResolutionAnswer,
	type RevocationResult,
	type VerifyOptions,
	verifyResolution,
} from "./verify.ts";
import type { x509 } from "./x509-provider.ts";

const NOW = new Date("2026-03-01T12:00:00Z");
const NOW_SECONDS = NOW.getTime() / 1000;
const HOUR_MS = 3_600_000;
const KID = "registry-2026-03";

interface SigningKey {
	keys: CryptoKeyPair;
	jwk: JWK;
}

async function createSigningKey(kid: string): Promise<SigningKey> {
	const keys = (await crypto.subtle.generateKey(
		{ name: "ECDSA", namedCurve: "P-256" },
		true,
		["sign", "verify"],
	)) as CryptoKeyPair;
	const exported = await crypto.subtle.exportKey("jwk", keys.publicKey);
	const jwk: JWK = {
		kty: "EC",
		crv: exported.crv,
		x: exported.x,
		y: exported.y,
		kid,
		alg: "ES256",
		use: "sig",
	};
	return { keys, jwk };
}

async function certificateBinding(
	leaf: TestCertificate,
): Promise<EndpointRecordPayload["certificate"]> {
	return {
		serial: leaf.certificate.serialNumber,
		sha256: await sha256Hex(leaf.certificate.rawData),
		notAfter: Math.floor(leaf.certificate.notAfter.getTime() / 1000),
	};
}

interface SignOptions {
	key: CryptoKey;
	kid?: string;
	alg?: string;
	typ?: string;
	iat?: number;
	exp?: number;
}

/** Signs like the registry does, but lets a test set any header value. */
async function signTestRecord(
	payload: UnsignedRecordPayload,
	options: SignOptions,
): Promise<string> {
	const iat = options.iat ?? NOW_SECONDS - 60;
	const full = { ...payload, iat, exp: options.exp ?? iat + 3600 };
	return new CompactSign(new TextEncoder().encode(JSON.stringify(full)))
		.setProtectedHeader({
			alg: options.alg ?? "ES256",
			kid: options.kid ?? KID,
			typ: options.typ ?? "ans-record+jws",
		})
		.sign(options.key);
}

async function failureOf(
	promise: Promise<unknown>,
): Promise<{ code: string; field?: string; message: string }> {
	try {
		await promise;
	} catch (error) {
		if (isAnsError(error)) {
			return { code: error.code, field: error.field, message: error.message };
		}
		throw error;
	}
	throw new Error("verification passed, but a failure was expected");
}

let pki: TestPki;
let signingKey: SigningKey;
let options: VerifyOptions;

async function answerFor(
	overrides: Partial<UnsignedRecordPayload> = {},
	signOptions: Partial<SignOptions> = {},
	leaf: TestCertificate = pki.leaf,
	chain: string[] = [pki.intermediate.pem],
): Promise<ResolutionAnswer> {
	const payload = sampleRecordPayload({
		certificate: await certificateBinding(leaf),
		...overrides,
	});
	const record = await signTestRecord(payload, {
		key: signingKey.keys.privateKey,
		...signOptions,
	});
	return { record, certificate: leaf.pem, chain };
}

beforeAll(async () => {
	pki = await createTestPki(SAMPLE_RECORD_NAME, NOW);
	signingKey = await createSigningKey(KID);
	options = {
		jwks: { keys: [signingKey.jwk] },
		trustAnchors: [pki.root.pem],
		now: NOW,
	};
});

describe("verifyResolution", () => {
	it("accepts a good answer", async () => {
		const result = await verifyResolution(await answerFor(), options);
		expect(result.payload.name).toBe(SAMPLE_RECORD_NAME);
		expect(result.header).toEqual({ alg: "ES256", kid: KID });
		expect(result.certificate.serialNumber).toBe(
			pki.leaf.certificate.serialNumber,
		);
		expect(result.chain.map((certificate) => certificate.subject)).toEqual([
			pki.intermediate.certificate.subject,
			pki.root.certificate.subject,
		]);
		expect(result.revocation).toEqual({ status: "unknown", source: "none" });
		expect(result.checks.map((check) => check.name)).toEqual([
			"record-signature",
			"record-validity",
			"certificate-binding",
			"certificate-chain",
			"certificate-name",
		]);
	});

	it("accepts a chain that includes the root", async () => {
		const answer = await answerFor({}, {}, pki.leaf, [
			pki.intermediate.pem,
			pki.root.pem,
		]);
		const result = await verifyResolution(answer, options);
		expect(result.chain).toHaveLength(2);
	});

	it("rejects one changed payload byte", async () => {
		const answer = await answerFor();
		const [header, payload, signature] = answer.record.split(".") as [
			string,
			string,
			string,
		];
		const bytes = base64url.decode(payload);
		const text = new TextDecoder().decode(bytes);
		// Changes one letter inside the name, so the payload stays valid JSON and only the signature can catch it.
		const index = text.indexOf("textprocessor") + 1;
		expect(bytes[index]).toBe("e".charCodeAt(0));
		bytes[index] = "a".charCodeAt(0);
		const tampered = `${header}.${base64url.encode(bytes)}.${signature}`;
		const failure = await failureOf(
			verifyResolution({ ...answer, record: tampered }, options),
		);
		expect(failure.code).toBe("RECORD_SIGNATURE_INVALID");
	});

	it("rejects a changed signature byte", async () => {
		const answer = await answerFor();
		const [header, payload, signature] = answer.record.split(".") as [
			string,
			string,
			string,
		];
		const bytes = base64url.decode(signature);
		bytes[5] = (bytes[5] ?? 0) ^ 0x01;
		const tampered = `${header}.${payload}.${base64url.encode(bytes)}`;
		expect(
			(
				await failureOf(
					verifyResolution({ ...answer, record: tampered }, options),
				)
			).code,
		).toBe("RECORD_SIGNATURE_INVALID");
	});

	it("rejects a key missing from the JWKS", async () => {
		const other = await createSigningKey("unpublished");
		const answer = await answerFor(
			{},
			{ key: other.keys.privateKey, kid: "unpublished" },
		);
		const failure = await failureOf(verifyResolution(answer, options));
		expect(failure.code).toBe("RECORD_KEY_UNKNOWN");
		expect(failure.message).toContain("unpublished");
		expect(failure.message).toContain(`kids: "${KID}"`);
	});

	it("rejects wrong key material under the kid", async () => {
		const impostor = await createSigningKey(KID);
		const answer = await answerFor({}, { key: impostor.keys.privateKey });
		expect((await failureOf(verifyResolution(answer, options))).code).toBe(
			"RECORD_SIGNATURE_INVALID",
		);
	});

	it("rejects a JWKS key unusable for the alg", async () => {
		const jwk = { ...signingKey.jwk, alg: "ES384" };
		const failure = await failureOf(
			verifyResolution(await answerFor(), {
				...options,
				jwks: { keys: [jwk] },
			}),
		);
		expect(failure.code).toBe("RECORD_KEY_UNKNOWN");
	});

	it("rejects alg none", async () => {
		const answer = await answerFor();
		const payload = answer.record.split(".")[1];
		const header = base64url.encode(
			JSON.stringify({ alg: "none", kid: KID, typ: "ans-record+jws" }),
		);
		const failure = await failureOf(
			verifyResolution({ ...answer, record: `${header}.${payload}.` }, options),
		);
		expect(failure.code).toBe("RECORD_ALG_FORBIDDEN");
	});

	it("rejects HS256 even with a secret in the JWKS", async () => {
		const secret = crypto.getRandomValues(new Uint8Array(32));
		const hmacKey = await crypto.subtle.importKey(
			"raw",
			secret,
			{ name: "HMAC", hash: "SHA-256" },
			false,
			["sign"],
		);
		const answer = await answerFor(
			{},
			{ key: hmacKey, alg: "HS256", kid: "shared-secret" },
		);
		const octJwk: JWK = {
			kty: "oct",
			k: base64url.encode(secret),
			kid: "shared-secret",
			alg: "HS256",
		};
		const jwks = { keys: [signingKey.jwk, octJwk] };
		expect(
			(await failureOf(verifyResolution(answer, { ...options, jwks }))).code,
		).toBe("RECORD_ALG_FORBIDDEN");
	});

	it("rejects another typ", async () => {
		const answer = await answerFor({}, { typ: "JWT" });
		expect((await failureOf(verifyResolution(answer, options))).code).toBe(
			"RECORD_TYPE_INVALID",
		);
	});

	it("rejects an expired record", async () => {
		const answer = await answerFor(
			{},
			{ iat: NOW_SECONDS - 7200, exp: NOW_SECONDS - 3600 },
		);
		expect((await failureOf(verifyResolution(answer, options))).code).toBe(
			"RECORD_EXPIRED",
		);
	});

	it("accepts expiry within the tolerance", async () => {
		const answer = await answerFor(
			{},
			{ iat: NOW_SECONDS - 3600, exp: NOW_SECONDS - 30 },
		);
		await expect(verifyResolution(answer, options)).resolves.toBeDefined();
		const strict = { ...options, clockToleranceSeconds: 0 };
		expect((await failureOf(verifyResolution(answer, strict))).code).toBe(
			"RECORD_EXPIRED",
		);
	});

	it("rejects a not-yet-valid record", async () => {
		const answer = await answerFor({}, { iat: NOW_SECONDS + 600 });
		expect((await failureOf(verifyResolution(answer, options))).code).toBe(
			"RECORD_NOT_YET_VALID",
		);
	});

	it("accepts issue time within the tolerance", async () => {
		const answer = await answerFor({}, { iat: NOW_SECONDS + 30 });
		await expect(verifyResolution(answer, options)).resolves.toBeDefined();
		const strict = { ...options, clockToleranceSeconds: 0 };
		expect((await failureOf(verifyResolution(answer, strict))).code).toBe(
			"RECORD_NOT_YET_VALID",
		);
	});

	it("rejects a negative clock tolerance", async () => {
		const failure = await failureOf(
			verifyResolution(await answerFor(), {
				...options,
				clockToleranceSeconds: -1,
			}),
		);
		expect(failure.code).toBe("VERIFY_OPTIONS_INVALID");
	});

	it("rejects a certificate for another name", async () => {
		const leaf = await issueTestLeaf(pki.intermediate, {
			uris: ["a2a://other.agent.acmecorp.v1.0.0"],
			now: NOW,
		});
		const failure = await failureOf(
			verifyResolution(await answerFor({}, {}, leaf), options),
		);
		expect(failure.code).toBe("CERT_NAME_MISMATCH");
		expect(failure.message).toContain("a2a://other.agent.acmecorp.v1.0.0");
	});

	it("rejects a certificate without URI SAN", async () => {
		const leaf = await issueTestLeaf(pki.intermediate, { uris: [], now: NOW });
		expect(
			(
				await failureOf(
					verifyResolution(await answerFor({}, {}, leaf), options),
				)
			).code,
		).toBe("CERT_NAME_MISMATCH");
	});

	it("rejects a CA certificate as leaf", async () => {
		const leaf = await issueTestLeaf(pki.intermediate, {
			uris: [SAMPLE_RECORD_NAME],
			now: NOW,
			ca: true,
		});
		expect(
			(
				await failureOf(
					verifyResolution(await answerFor({}, {}, leaf), options),
				)
			).code,
		).toBe("CERT_CHAIN_INVALID");
	});

	it("rejects a chain ending at another root", async () => {
		// Same subject names as the trusted PKI, so only the keys tell the roots apart.
		const foreign = await createTestPki(SAMPLE_RECORD_NAME, NOW);
		const withRoot = await answerFor({}, {}, foreign.leaf, [
			foreign.intermediate.pem,
			foreign.root.pem,
		]);
		expect((await failureOf(verifyResolution(withRoot, options))).code).toBe(
			"CERT_UNTRUSTED_ROOT",
		);
		const withoutRoot = await answerFor({}, {}, foreign.leaf, [
			foreign.intermediate.pem,
		]);
		expect((await failureOf(verifyResolution(withoutRoot, options))).code).toBe(
			"CERT_UNTRUSTED_ROOT",
		);
	});

	it("rejects an expired intermediate", async () => {
		const intermediate = await createTestIntermediate(pki.root, {
			notBefore: new Date(NOW.getTime() - 48 * HOUR_MS),
			notAfter: new Date(NOW.getTime() - HOUR_MS),
		});
		const leaf = await issueTestLeaf(intermediate, {
			uris: [SAMPLE_RECORD_NAME],
			now: NOW,
		});
		const failure = await failureOf(
			verifyResolution(
				await answerFor({}, {}, leaf, [intermediate.pem]),
				options,
			),
		);
		expect(failure.code).toBe("CERT_EXPIRED");
		expect(failure.field).toBe("chain");
		expect(failure.message).toContain("intermediate certificate");
	});

	it("rejects an expired agent certificate", async () => {
		const leaf = await issueTestLeaf(pki.intermediate, {
			uris: [SAMPLE_RECORD_NAME],
			notBefore: new Date(NOW.getTime() - 48 * HOUR_MS),
			notAfter: new Date(NOW.getTime() - HOUR_MS),
		});
		const failure = await failureOf(
			verifyResolution(await answerFor({}, {}, leaf), options),
		);
		expect(failure.code).toBe("CERT_EXPIRED");
		expect(failure.field).toBe("certificate");
	});

	it("rejects a certificate not matching the fingerprint", async () => {
		const other = await issueTestLeaf(pki.intermediate, {
			uris: [SAMPLE_RECORD_NAME],
			now: NOW,
		});
		const answer = await answerFor();
		const failure = await failureOf(
			verifyResolution({ ...answer, certificate: other.pem }, options),
		);
		expect(failure.code).toBe("RECORD_CERTIFICATE_MISMATCH");
		expect(failure.field).toBe("certificate");
	});

	it("rejects another certificate with the same serial", async () => {
		const twin = await issueTestLeaf(pki.intermediate, {
			uris: [SAMPLE_RECORD_NAME],
			now: NOW,
			serialNumber: pki.leaf.certificate.serialNumber,
		});
		expect(twin.certificate.serialNumber).toBe(
			pki.leaf.certificate.serialNumber,
		);
		const answer = await answerFor();
		const failure = await failureOf(
			verifyResolution({ ...answer, certificate: twin.pem }, options),
		);
		expect(failure.code).toBe("RECORD_CERTIFICATE_MISMATCH");
		expect(failure.message).toContain("SHA-256");
	});

	it("rejects a serial not matching the record", async () => {
		const binding = await certificateBinding(pki.leaf);
		const answer = await answerFor({
			certificate: { ...binding, serial: "01" },
		});
		expect((await failureOf(verifyResolution(answer, options))).code).toBe(
			"RECORD_CERTIFICATE_MISMATCH",
		);
	});

	it("matches a serial written with the sign byte", async () => {
		const leaf = await issueTestLeaf(pki.intermediate, {
			uris: [SAMPLE_RECORD_NAME],
			now: NOW,
			serialNumber: "ff01",
		});
		expect(leaf.certificate.serialNumber).toBe("ff01");
		const binding = await certificateBinding(leaf);
		const answer = await answerFor(
			{ certificate: { ...binding, serial: "00ff01" } },
			{},
			leaf,
		);
		await expect(verifyResolution(answer, options)).resolves.toBeDefined();
	});

	it("rejects a revoked certificate", async () => {
		const calls: [x509.X509Certificate, x509.X509Certificate][] = [];
		const revokedAt = new Date("2026-02-27T08:30:00Z");
		const checkRevocation = async (
			leaf: x509.X509Certificate,
			issuer: x509.X509Certificate,
		) => {
			calls.push([leaf, issuer]);
			return {
				status: "revoked",
				source: "ocsp",
				reason: "keyCompromise",
				revokedAt,
			} satisfies RevocationResult;
		};
		const failure = await failureOf(
			verifyResolution(await answerFor(), { ...options, checkRevocation }),
		);
		expect(failure.code).toBe("CERT_REVOKED");
		expect(failure.message).toContain("keyCompromise");
		expect(failure.message).toContain("2026-02-27T08:30:00.000Z");
		expect(calls).toHaveLength(1);
		expect(calls[0]?.[0].serialNumber).toBe(pki.leaf.certificate.serialNumber);
		expect(calls[0]?.[1].subject).toBe(pki.intermediate.certificate.subject);
	});

	it("returns a good revocation result", async () => {
		const good: RevocationResult = { status: "good", source: "crl" };
		const result = await verifyResolution(await answerFor(), {
			...options,
			checkRevocation: async () => good,
		});
		expect(result.revocation).toEqual(good);
		expect(result.checks.at(-1)?.name).toBe("certificate-revocation");
	});

	it("wraps a failing revocation callback", async () => {
		const checkRevocation = async (): Promise<RevocationResult> => {
			throw new Error("OCSP responder timed out");
		};
		const failure = await failureOf(
			verifyResolution(await answerFor(), { ...options, checkRevocation }),
		);
		expect(failure.code).toBe("REVOCATION_CHECK_FAILED");
		expect(failure.message).toContain("OCSP responder timed out");
	});

	it("checks expectedName ignoring case", async () => {
		const answer = await answerFor();
		const exact = {
			...options,
			expectedName: SAMPLE_RECORD_NAME.toUpperCase(),
		};
		const result = await verifyResolution(answer, exact);
		expect(result.checks.map((check) => check.name)).toContain("expected-name");
		const other = {
			...options,
			expectedName:
				"a2a://textprocessor.documenttranslation.acmecorp.v2.2.0.hipaa",
		};
		expect((await failureOf(verifyResolution(answer, other))).code).toBe(
			"NAME_MISMATCH",
		);
	});

	it("checks an expected base name", async () => {
		const answer = await answerFor();
		const base = {
			...options,
			expectedName: {
				base: "A2A://TextProcessor.DocumentTranslation.AcmeCorp",
			},
		};
		await expect(verifyResolution(answer, base)).resolves.toBeDefined();
		const other = {
			...options,
			expectedName: {
				base: "a2a://textprocessor.documenttranslation.othercorp",
			},
		};
		const failure = await failureOf(verifyResolution(answer, other));
		expect(failure.code).toBe("NAME_MISMATCH");
		expect(failure.field).toBe("name");
	});

	it("verifies with several JWKS keys", async () => {
		const retired = await createSigningKey("registry-2026-01");
		const jwks = { keys: [signingKey.jwk, retired.jwk] };
		const fromCurrent = await answerFor();
		const fromRetired = await answerFor(
			{},
			{ key: retired.keys.privateKey, kid: "registry-2026-01" },
		);
		expect(
			(await verifyResolution(fromCurrent, { ...options, jwks })).header.kid,
		).toBe(KID);
		expect(
			(await verifyResolution(fromRetired, { ...options, jwks })).header.kid,
		).toBe("registry-2026-01");
	});

	it("rejects duplicate kids in the JWKS", async () => {
		const twin = await createSigningKey(KID);
		const jwks = { keys: [signingKey.jwk, twin.jwk] };
		expect(
			(
				await failureOf(
					verifyResolution(await answerFor(), { ...options, jwks }),
				)
			).code,
		).toBe("JWKS_INVALID");
	});

	it("rejects a JWKS without keys", async () => {
		const jwks = {} as VerifyOptions["jwks"];
		expect(
			(
				await failureOf(
					verifyResolution(await answerFor(), { ...options, jwks }),
				)
			).code,
		).toBe("JWKS_INVALID");
	});

	it("rejects a garbage record", async () => {
		const answer = await answerFor();
		const failure = await failureOf(
			verifyResolution({ ...answer, record: "not a jws" }, options),
		);
		expect(failure.code).toBe("RECORD_MALFORMED");
	});

	it("rejects a garbage certificate", async () => {
		const answer = await answerFor();
		const failure = await failureOf(
			verifyResolution({ ...answer, certificate: "not a pem" }, options),
		);
		expect(failure.code).toBe("CERT_MALFORMED");
		expect(failure.field).toBe("certificate");
	});

	it("rejects a signed malformed payload", async () => {
		const answer = await answerFor({ version: "2.1" });
		expect((await failureOf(verifyResolution(answer, options))).code).toBe(
			"RECORD_MALFORMED",
		);
	});
});

describe("verifyResolution on tombstones", () => {
	const revocation = { reason: "keyCompromise", revokedAt: NOW_SECONDS - 600 };

	it("skips certificate validity and revocation", async () => {
		// An expired agent certificate under an expired intermediate, checked against unrelated trust anchors.
		const oldIntermediate = await createTestIntermediate(pki.root, {
			notBefore: new Date(NOW.getTime() - 96 * HOUR_MS),
			notAfter: new Date(NOW.getTime() - 2 * HOUR_MS),
		});
		const oldLeaf = await issueTestLeaf(oldIntermediate, {
			uris: [SAMPLE_RECORD_NAME],
			notBefore: new Date(NOW.getTime() - 96 * HOUR_MS),
			notAfter: new Date(NOW.getTime() - 3 * HOUR_MS),
		});
		const unrelatedRoot = await createTestRoot({ now: NOW });
		let revocationCalls = 0;
		const tombstoneOptions: VerifyOptions = {
			...options,
			trustAnchors: [unrelatedRoot.pem],
			checkRevocation: async () => {
				revocationCalls++;
				return { status: "revoked", source: "crl" };
			},
		};
		const answer = await answerFor(
			{ status: "revoked", revocation, endpoints: [] },
			{},
			oldLeaf,
			[oldIntermediate.pem],
		);

		const result = await verifyResolution(answer, tombstoneOptions);
		expect(result.payload.status).toBe("revoked");
		expect(result.payload.revocation).toEqual(revocation);
		expect(result.chain).toEqual([]);
		expect(result.revocation).toEqual({ status: "unknown", source: "none" });
		expect(revocationCalls).toBe(0);
		expect(result.checks.map((check) => check.name)).toEqual([
			"record-signature",
			"record-validity",
			"certificate-binding",
			"certificate-name",
		]);
	});

	it("still checks the signature", async () => {
		const answer = await answerFor({ status: "deregistered" }, {});
		const other = await createSigningKey(KID);
		const forged = await answerFor(
			{ status: "deregistered" },
			{ key: other.keys.privateKey },
		);
		await expect(verifyResolution(answer, options)).resolves.toBeDefined();
		expect((await failureOf(verifyResolution(forged, options))).code).toBe(
			"RECORD_SIGNATURE_INVALID",
		);
	});

	it("still checks record expiry", async () => {
		const answer = await answerFor(
			{ status: "expired" },
			{ iat: NOW_SECONDS - 7200, exp: NOW_SECONDS - 3600 },
		);
		expect((await failureOf(verifyResolution(answer, options))).code).toBe(
			"RECORD_EXPIRED",
		);
	});

	it("still checks the certificate name", async () => {
		const leaf = await issueTestLeaf(pki.intermediate, {
			uris: ["a2a://other.agent.acmecorp.v1.0.0"],
			now: NOW,
		});
		const answer = await answerFor({ status: "revoked", revocation }, {}, leaf);
		expect((await failureOf(verifyResolution(answer, options))).code).toBe(
			"CERT_NAME_MISMATCH",
		);
	});

	it("still checks the expected name", async () => {
		const answer = await answerFor({ status: "revoked", revocation });
		const other = {
			...options,
			expectedName: "a2a://other.agent.acmecorp.v1.0.0",
		};
		expect((await failureOf(verifyResolution(answer, other))).code).toBe(
			"NAME_MISMATCH",
		);
	});
});

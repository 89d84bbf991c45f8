import { isAnsError } from "@ans/shared/errors";
import type { RecordAlgorithm } from "@ans/shared/records";
import { describe, expect, it } from "vitest";
import { buildJwks, publicJwk } from "./jwks.ts";

const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "k", "oth"];

async function generateKeys(
	params: EcKeyGenParams | Algorithm,
): Promise<CryptoKeyPair> {
	// Extractable, so that a leak of private members would show up in the export.
	return (await crypto.subtle.generateKey(params, true, [
		"sign",
		"verify",
	])) as CryptoKeyPair;
}

const P256 = { name: "ECDSA", namedCurve: "P-256" } as EcKeyGenParams;
const P384 = { name: "ECDSA", namedCurve: "P-384" } as EcKeyGenParams;
const ED25519 = { name: "Ed25519" };

async function codeOf(promise: Promise<unknown>): Promise<string> {
	try {
		await promise;
	} catch (error) {
		if (isAnsError(error)) {
			return error.code;
		}
		throw error;
	}
	throw new Error("expected an AnsError");
}

describe("publicJwk", () => {
	it.each([
		["ES256", P256, "EC", "P-256"],
		["ES384", P384, "EC", "P-384"],
		["EdDSA", ED25519, "OKP", "Ed25519"],
	] as const)("exports a %s key", async (alg, params, kty, crv) => {
		const keys = await generateKeys(params);
		const jwk = await publicJwk(keys.publicKey, "k1", alg);
		expect(jwk.kty).toBe(kty);
		expect(jwk.crv).toBe(crv);
		expect(jwk.kid).toBe("k1");
		expect(jwk.alg).toBe(alg);
		expect(jwk.use).toBe("sig");
		expect(typeof jwk.x).toBe("string");
		for (const member of PRIVATE_MEMBERS) {
			expect(jwk).not.toHaveProperty(member);
		}
		expect(JSON.stringify(jwk)).not.toContain('"d"');
	});

	it("rejects a private key", async () => {
		const keys = await generateKeys(P256);
		expect(await codeOf(publicJwk(keys.privateKey, "k1", "ES256"))).toBe(
			"JWK_KEY_NOT_PUBLIC",
		);
	});

	it("rejects a curve mismatch", async () => {
		const keys = await generateKeys(P384);
		expect(await codeOf(publicJwk(keys.publicKey, "k1", "ES256"))).toBe(
			"JWK_ALGORITHM_MISMATCH",
		);
	});

	it("rejects an Ed25519 key for ES256", async () => {
		const keys = await generateKeys(ED25519);
		expect(await codeOf(publicJwk(keys.publicKey, "k1", "ES256"))).toBe(
			"JWK_ALGORITHM_MISMATCH",
		);
	});

	it("rejects HS256", async () => {
		const keys = await generateKeys(P256);
		expect(
			await codeOf(publicJwk(keys.publicKey, "k1", "HS256" as RecordAlgorithm)),
		).toBe("RECORD_ALG_FORBIDDEN");
	});

	it("rejects an empty kid", async () => {
		const keys = await generateKeys(P256);
		expect(await codeOf(publicJwk(keys.publicKey, "", "ES256"))).toBe(
			"JWK_KID_INVALID",
		);
	});
});

describe("buildJwks", () => {
	it("lists every key in order", async () => {
		const current = await generateKeys(P256);
		const retired = await generateKeys(ED25519);
		const jwks = await buildJwks([
			{ publicKey: current.publicKey, kid: "2026-03", alg: "ES256" },
			{ publicKey: retired.publicKey, kid: "2026-01", alg: "EdDSA" },
		]);
		expect(jwks.keys.map((key) => key.kid)).toEqual(["2026-03", "2026-01"]);
		expect(JSON.stringify(jwks)).not.toContain('"d"');
	});

	it("accepts an empty key list", async () => {
		expect(await buildJwks([])).toEqual({ keys: [] });
	});

	it("rejects duplicate kids", async () => {
		const first = await generateKeys(P256);
		const second = await generateKeys(P256);
		const keys = [
			{ publicKey: first.publicKey, kid: "same", alg: "ES256" as const },
			{ publicKey: second.publicKey, kid: "same", alg: "ES256" as const },
		];
		expect(await codeOf(buildJwks(keys))).toBe("JWKS_DUPLICATE_KID");
	});
});

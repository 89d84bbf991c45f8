import { execFileSync } from "node:child_process";
import {
	mkdtempSync,
	readFileSync,
	rmSync,
	statSync,
	writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { KeyPairAlgorithm } from "./key-algorithm.ts";
import { loadKeyPair, saveKeyPair } from "./key-file.ts";

const workDir = mkdtempSync(join(tmpdir(), "ans-key-file-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const PASSPHRASE = "correct horse battery staple";
const P384: KeyPairAlgorithm = { name: "ECDSA", namedCurve: "P-384" };

async function generate(
	params: AlgorithmIdentifier | EcKeyGenParams | RsaHashedKeyGenParams,
): Promise<CryptoKeyPair> {
	return (await crypto.subtle.generateKey(params, true, [
		"sign",
		"verify",
	])) as CryptoKeyPair;
}

/** Signs with the loaded private key and verifies with the original public key. */
async function expectSameKey(
	loaded: CryptoKeyPair,
	original: CryptoKeyPair,
	signParams: AlgorithmIdentifier | EcdsaParams | RsaPssParams,
): Promise<void> {
	const data = new TextEncoder().encode("key store");
	const signature = await crypto.subtle.sign(
		signParams,
		loaded.privateKey,
		data,
	);
	expect(
		await crypto.subtle.verify(signParams, original.publicKey, signature, data),
	).toBe(true);
	const loadedSpki = await crypto.subtle.exportKey("spki", loaded.publicKey);
	const originalSpki = await crypto.subtle.exportKey(
		"spki",
		original.publicKey,
	);
	expect(new Uint8Array(loadedSpki)).toEqual(new Uint8Array(originalSpki));
}

const CASES: {
	label: string;
	generateParams: AlgorithmIdentifier | EcKeyGenParams | RsaHashedKeyGenParams;
	algorithm: KeyPairAlgorithm;
	signParams: AlgorithmIdentifier | EcdsaParams | RsaPssParams;
}[] = [
	{
		label: "ECDSA P-256",
		generateParams: { name: "ECDSA", namedCurve: "P-256" },
		algorithm: { name: "ECDSA", namedCurve: "P-256" },
		signParams: { name: "ECDSA", hash: "SHA-256" },
	},
	{
		label: "ECDSA P-384",
		generateParams: { name: "ECDSA", namedCurve: "P-384" },
		algorithm: P384,
		signParams: { name: "ECDSA", hash: "SHA-384" },
	},
	{
		label: "Ed25519",
		generateParams: { name: "Ed25519" },
		algorithm: { name: "Ed25519" },
		signParams: { name: "Ed25519" },
	},
	{
		label: "RSA-PSS",
		generateParams: {
			name: "RSA-PSS",
			modulusLength: 2048,
			publicExponent: new Uint8Array([1, 0, 1]),
			hash: "SHA-256",
		},
		algorithm: { name: "RSA-PSS", hash: "SHA-256" },
		signParams: { name: "RSA-PSS", saltLength: 32 },
	},
];

describe("saveKeyPair and loadKeyPair", () => {
	for (const { label, generateParams, algorithm, signParams } of CASES) {
		it(`${label} survives save and load`, async () => {
			const keys = await generate(generateParams);
			const path = join(workDir, `${label.replaceAll(" ", "-")}.key`);
			await saveKeyPair(path, keys);
			await expectSameKey(await loadKeyPair(path, algorithm), keys, signParams);
		});
	}

	it("writes 0600 file in new 0700 directory", async () => {
		const dir = join(workDir, "fresh-dir");
		const path = join(dir, "signing.key");
		await saveKeyPair(path, await generate({ name: "Ed25519" }));
		expect(statSync(path).mode & 0o777).toBe(0o600);
		expect(statSync(dir).mode & 0o777).toBe(0o700);
		expect(readFileSync(path, "utf8")).toMatch(
			/^-----BEGIN PRIVATE KEY-----\n/,
		);
	});

	it("loads private key non-extractable by default", async () => {
		const path = join(workDir, "non-extractable.key");
		await saveKeyPair(path, await generate({ name: "Ed25519" }));
		const loaded = await loadKeyPair(path, { name: "Ed25519" });
		expect(loaded.privateKey.extractable).toBe(false);
		expect(loaded.publicKey.extractable).toBe(true);
	});

	it("rejects existing file without overwrite", async () => {
		const path = join(workDir, "existing.key");
		const first = await generate({ name: "Ed25519" });
		await saveKeyPair(path, first);
		await expect(
			saveKeyPair(path, await generate({ name: "Ed25519" })),
		).rejects.toMatchObject({ code: "KEY_FILE_EXISTS", status: 500 });
		await expectSameKey(await loadKeyPair(path, { name: "Ed25519" }), first, {
			name: "Ed25519",
		});
	});

	it("rejects non-extractable key on save", async () => {
		const keys = (await crypto.subtle.generateKey({ name: "Ed25519" }, false, [
			"sign",
			"verify",
		])) as CryptoKeyPair;
		await expect(
			saveKeyPair(join(workDir, "locked.key"), keys),
		).rejects.toMatchObject({ code: "KEY_NOT_EXTRACTABLE" });
	});

	it("rejects P-521 key on save", async () => {
		const keys = await generate({ name: "ECDSA", namedCurve: "P-521" });
		await expect(
			saveKeyPair(join(workDir, "p521.key"), keys),
		).rejects.toMatchObject({ code: "KEY_ALGORITHM_UNSUPPORTED" });
	});
});

describe("encrypted key files", () => {
	it("writes ENCRYPTED PRIVATE KEY that openssl reads", async () => {
		const keys = await generate({ name: "ECDSA", namedCurve: "P-384" });
		const path = join(workDir, "encrypted.key");
		await saveKeyPair(path, keys, { passphrase: PASSPHRASE });

		const pem = readFileSync(path, "utf8");
		expect(pem).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
		const opensslPublic = execFileSync(
			"openssl",
			["pkey", "-in", path, "-passin", `pass:${PASSPHRASE}`, "-pubout"],
			{ encoding: "utf8" },
		);
		const spki = Buffer.from(
			await crypto.subtle.exportKey("spki", keys.publicKey),
		);
		expect(opensslPublic).toContain(spki.toString("base64").slice(0, 64));

		await expectSameKey(
			await loadKeyPair(path, P384, { passphrase: PASSPHRASE }),
			keys,
			{ name: "ECDSA", hash: "SHA-384" },
		);
	});

	it("rejects wrong passphrase without key material", async () => {
		const path = join(workDir, "wrong-passphrase.key");
		await saveKeyPair(
			path,
			await generate({ name: "ECDSA", namedCurve: "P-384" }),
			{
				passphrase: PASSPHRASE,
			},
		);
		const error = await loadKeyPair(path, P384, { passphrase: "wrong" }).catch(
			(caught: unknown) => caught,
		);
		expect(error).toMatchObject({
			code: "KEY_PASSPHRASE_INVALID",
			status: 500,
			field: "passphrase",
		});
		const body = readFileSync(path, "utf8").split("\n")[1] ?? "";
		expect((error as Error).message).toContain(path);
		expect((error as Error).message).not.toContain(body.slice(0, 16));
	});

	it("rejects missing passphrase", async () => {
		const path = join(workDir, "needs-passphrase.key");
		await saveKeyPair(
			path,
			await generate({ name: "ECDSA", namedCurve: "P-384" }),
			{
				passphrase: PASSPHRASE,
			},
		);
		await expect(loadKeyPair(path, P384)).rejects.toMatchObject({
			code: "KEY_PASSPHRASE_REQUIRED",
			status: 500,
		});
	});

	it("rejects passphrase for plain file", async () => {
		const path = join(workDir, "plain-with-passphrase.key");
		await saveKeyPair(
			path,
			await generate({ name: "ECDSA", namedCurve: "P-384" }),
		);
		await expect(
			loadKeyPair(path, P384, { passphrase: PASSPHRASE }),
		).rejects.toMatchObject({ code: "KEY_NOT_ENCRYPTED" });
	});

	it("rejects empty passphrase", async () => {
		await expect(
			saveKeyPair(
				join(workDir, "empty.key"),
				await generate({ name: "Ed25519" }),
				{
					passphrase: "",
				},
			),
		).rejects.toMatchObject({ code: "KEY_PASSPHRASE_EMPTY" });
	});

	it("loads key encrypted by openssl", async () => {
		const plain = join(workDir, "openssl-plain.key");
		const encrypted = join(workDir, "openssl-encrypted.key");
		execFileSync("openssl", [
			"genpkey",
			"-algorithm",
			"ED25519",
			"-out",
			plain,
		]);
		execFileSync("openssl", [
			"pkcs8",
			"-topk8",
			"-v2",
			"aes-256-cbc",
			"-in",
			plain,
			"-out",
			encrypted,
			"-passout",
			`pass:${PASSPHRASE}`,
		]);
		const keys = await loadKeyPair(
			encrypted,
			{ name: "Ed25519" },
			{
				passphrase: PASSPHRASE,
			},
		);
		expect(keys.publicKey.algorithm.name).toBe("Ed25519");
	});
});

describe("loadKeyPair file checks", () => {
	it("rejects missing file", async () => {
		await expect(
			loadKeyPair(join(workDir, "absent.key"), P384),
		).rejects.toMatchObject({ code: "KEY_FILE_NOT_FOUND", status: 500 });
	});

	it("rejects key of other algorithm", async () => {
		const path = join(workDir, "p256-for-p384.key");
		await saveKeyPair(
			path,
			await generate({ name: "ECDSA", namedCurve: "P-256" }),
		);
		const error = await loadKeyPair(path, P384).catch(
			(caught: unknown) => caught,
		);
		expect(error).toMatchObject({ code: "KEY_ALGORITHM_MISMATCH" });
		expect((error as Error).message).toContain("EC P-256");
		expect((error as Error).message).toContain("ECDSA P-384");
	});

	it("rejects certificate PEM", async () => {
		const path = join(workDir, "not-a-key.pem");
		writeFileSync(
			path,
			"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
		);
		await expect(loadKeyPair(path, P384)).rejects.toMatchObject({
			code: "KEY_FILE_INVALID",
		});
	});

	it("rejects damaged PKCS#8 body", async () => {
		const path = join(workDir, "damaged.key");
		writeFileSync(
			path,
			"-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEH\n-----END PRIVATE KEY-----\n",
		);
		await expect(loadKeyPair(path, P384)).rejects.toMatchObject({
			code: "KEY_FILE_INVALID",
		});
	});
});

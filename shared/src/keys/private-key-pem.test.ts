import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AGENT_KEY_TYPES, signingParams } from "./agent-key-type.ts";
import { createCsr } from "./create-csr.ts";
import { generateAgentKeyPair } from "./generate-agent-key-pair.ts";
import {
	exportPrivateKeyPem,
	importKeyPairPem,
	importPrivateKeyPem,
} from "./private-key-pem.ts";

const workDir = mkdtempSync(join(tmpdir(), "ans-private-key-pem-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** Writes a private key made by the openssl binary and returns its PEM. */
function opensslKey(name: string, genpkeyArgs: string[]): string {
	const file = join(workDir, `${name}.key`);
	execFileSync("openssl", ["genpkey", ...genpkeyArgs, "-out", file], {
		stdio: "pipe",
	});
	return readFileSync(file, "utf8");
}

const OPENSSL_ACCEPTED: Record<string, string[]> = {
	"P-256": ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
	"P-384": ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"],
	Ed25519: ["-algorithm", "ED25519"],
	"RSA-2048": ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
};

const OPENSSL_REJECTED: Record<string, { args: string[]; found: string }> = {
	"P-521": {
		args: ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-521"],
		found: "EC P-521",
	},
	secp256k1: {
		args: ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:secp256k1"],
		found: "EC secp256k1",
	},
	Ed448: { args: ["-algorithm", "ED448"], found: "Ed448" },
};

describe("exportPrivateKeyPem and importPrivateKeyPem", () => {
	for (const keyType of AGENT_KEY_TYPES) {
		it(`${keyType} key survives round trip`, async () => {
			const keys = await generateAgentKeyPair(keyType);
			const pem = await exportPrivateKeyPem(keys.privateKey);
			expect(pem.startsWith("-----BEGIN PRIVATE KEY-----\n")).toBe(true);

			const imported = await importPrivateKeyPem(pem);
			const data = new TextEncoder().encode("round trip");
			const signature = await crypto.subtle.sign(
				signingParams(imported),
				imported,
				data,
			);
			const valid = await crypto.subtle.verify(
				signingParams(keys.publicKey),
				keys.publicKey,
				signature,
				data,
			);
			expect(valid).toBe(true);
		});
	}

	it("exported key is readable by openssl", async () => {
		const keys = await generateAgentKeyPair("P-384");
		const file = join(workDir, "exported.key");
		writeFileSync(file, await exportPrivateKeyPem(keys.privateKey));
		const text = execFileSync(
			"openssl",
			["pkey", "-in", file, "-noout", "-text"],
			{
				encoding: "utf8",
			},
		);
		expect(text).toContain("NIST CURVE: P-384");
	});

	it("rejects non-extractable key on export", async () => {
		const keys = (await crypto.subtle.generateKey(
			{ name: "ECDSA", namedCurve: "P-256" },
			false,
			["sign", "verify"],
		)) as CryptoKeyPair;
		await expect(exportPrivateKeyPem(keys.privateKey)).rejects.toMatchObject({
			code: "KEY_NOT_EXTRACTABLE",
		});
	});
});

describe("importKeyPairPem with openssl keys", () => {
	for (const [keyType, args] of Object.entries(OPENSSL_ACCEPTED)) {
		it(`${keyType} key from openssl signs a valid CSR`, async () => {
			const keys = await importKeyPairPem(opensslKey(keyType, args));
			const csrFile = join(workDir, `${keyType}-openssl-key.csr`);
			writeFileSync(
				csrFile,
				await createCsr({
					keys,
					canonicalName: "a2a://agent.capability.provider.v1.0.0",
					agentId: "agent",
				}),
			);
			const result = spawnSync(
				"openssl",
				["req", "-verify", "-noout", "-in", csrFile],
				{ encoding: "utf8" },
			);
			expect(`${result.stdout}${result.stderr}`).toContain("verify OK");
		});
	}

	for (const [name, { args, found }] of Object.entries(OPENSSL_REJECTED)) {
		it(`rejects ${name} key from openssl`, async () => {
			const error = await importPrivateKeyPem(opensslKey(name, args)).catch(
				(caught: unknown) => caught,
			);
			expect(error).toMatchObject({
				code: "PRIVATE_KEY_ALGORITHM_UNSUPPORTED",
				status: 400,
				field: "privateKey",
			});
			expect((error as Error).message).toContain(found);
		});
	}
});

describe("importPrivateKeyPem input checks", () => {
	it("rejects encrypted PKCS#8", async () => {
		const plain = join(workDir, "plain.key");
		const encrypted = join(workDir, "encrypted.key");
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
			"-in",
			plain,
			"-out",
			encrypted,
			"-passout",
			"pass:secret",
		]);
		await expect(
			importPrivateKeyPem(readFileSync(encrypted, "utf8")),
		).rejects.toMatchObject({ code: "PRIVATE_KEY_ENCRYPTED" });
	});

	it("rejects garbage", async () => {
		await expect(importPrivateKeyPem("not a key")).rejects.toMatchObject({
			code: "PRIVATE_KEY_INVALID",
		});
	});

	it("rejects public key PEM", async () => {
		const keys = await generateAgentKeyPair();
		const spki = await crypto.subtle.exportKey("spki", keys.publicKey);
		const pem = `-----BEGIN PUBLIC KEY-----\n${Buffer.from(spki).toString("base64")}\n-----END PUBLIC KEY-----\n`;
		const error = await importPrivateKeyPem(pem).catch(
			(caught: unknown) => caught,
		);
		expect(error).toMatchObject({ code: "PRIVATE_KEY_INVALID" });
		expect((error as Error).message).toContain("PUBLIC KEY");
	});

	it("rejects truncated PKCS#8 body", async () => {
		const keys = await generateAgentKeyPair();
		const pkcs8 = new Uint8Array(
			await crypto.subtle.exportKey("pkcs8", keys.privateKey),
		);
		const truncated = Buffer.from(pkcs8.subarray(0, 30)).toString("base64");
		const pem = `-----BEGIN PRIVATE KEY-----\n${truncated}\n-----END PRIVATE KEY-----\n`;
		await expect(importPrivateKeyPem(pem)).rejects.toMatchObject({
			code: "PRIVATE_KEY_INVALID",
		});
	});
});

import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
	certificatePublicKeySha256,
	publicKeySha256,
} from "./public-key-hash.ts";

const run = promisify(execFile);

let dir: string;

beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), "ans-key-hash-"));
});

afterAll(() => {
	rmSync(dir, { recursive: true, force: true });
});

async function openssl(args: string[]): Promise<void> {
	await run("openssl", args, { cwd: dir });
}

/** Returns the DER SubjectPublicKeyInfo of a PEM public key file, as openssl writes it. */
async function spkiDer(
	publicKeyFile: string,
): Promise<Uint8Array<ArrayBuffer>> {
	await openssl([
		"pkey",
		"-pubin",
		"-in",
		publicKeyFile,
		"-outform",
		"DER",
		"-out",
		`${publicKeyFile}.der`,
	]);
	return new Uint8Array(readFileSync(join(dir, `${publicKeyFile}.der`)));
}

function sha256Hex(bytes: Uint8Array): string {
	return createHash("sha256").update(bytes).digest("hex");
}

describe("publicKeySha256", () => {
	it("hashes both EC point encodings alike", async () => {
		await openssl([
			"genpkey",
			"-algorithm",
			"EC",
			"-pkeyopt",
			"ec_paramgen_curve:P-256",
			"-out",
			"ec.key",
		]);
		await openssl(["pkey", "-in", "ec.key", "-pubout", "-out", "ec.pub"]);
		await openssl([
			"ec",
			"-in",
			"ec.key",
			"-pubout",
			"-conv_form",
			"compressed",
			"-out",
			"ec-compressed.pub",
		]);
		const uncompressed = await spkiDer("ec.pub");
		const compressed = await spkiDer("ec-compressed.pub");
		// The two encodings differ byte for byte, so a plain hash would differ too.
		expect(compressed.byteLength).toBeLessThan(uncompressed.byteLength);

		expect(publicKeySha256(compressed)).toBe(publicKeySha256(uncompressed));
		expect(publicKeySha256(uncompressed)).toBe(sha256Hex(uncompressed));
	});

	it("matches the certificate's key hash", async () => {
		for (const algorithm of [["ED25519"], ["RSA", "rsa_keygen_bits:2048"]]) {
			const [name, option] = algorithm;
			const base = (name ?? "").toLowerCase();
			await openssl([
				"req",
				"-x509",
				"-newkey",
				name ?? "",
				...(option === undefined ? [] : ["-pkeyopt", option]),
				"-nodes",
				"-keyout",
				`${base}.key`,
				"-out",
				`${base}.pem`,
				"-subj",
				"/CN=key hash",
				"-days",
				"1",
			]);
			await openssl([
				"pkey",
				"-in",
				`${base}.key`,
				"-pubout",
				"-out",
				`${base}.pub`,
			]);
			const spki = await spkiDer(`${base}.pub`);
			const pem = readFileSync(join(dir, `${base}.pem`), "utf8");

			expect(certificatePublicKeySha256(pem), base).toBe(publicKeySha256(spki));
			expect(publicKeySha256(spki), base).toBe(sha256Hex(spki));
		}
	});

	it("distinguishes different keys", async () => {
		for (const name of ["one", "two"]) {
			await openssl([
				"genpkey",
				"-algorithm",
				"ED25519",
				"-out",
				`${name}.key`,
			]);
			await openssl([
				"pkey",
				"-in",
				`${name}.key`,
				"-pubout",
				"-out",
				`${name}.pub`,
			]);
		}
		expect(publicKeySha256(await spkiDer("one.pub"))).not.toBe(
			publicKeySha256(await spkiDer("two.pub")),
		);
	});

	it("throws for bytes that are not a key", () => {
		expect(() =>
			publicKeySha256(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00])),
		).toThrow();
		expect(() => certificatePublicKeySha256("not a certificate")).toThrow();
	});
});

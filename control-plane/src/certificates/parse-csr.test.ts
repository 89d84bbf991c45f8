import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
	AGENT_KEY_TYPES,
	createCsr,
	decodePem,
	encodePem,
	generateAgentKeyPair,
	x509,
} from "@ans/shared/keys";
import {
	CertificationRequest,
	CertificationRequestInfo,
} from "@peculiar/asn1-csr";
import { AsnConvert } from "@peculiar/asn1-schema";
import { SubjectPublicKeyInfo } from "@peculiar/asn1-x509";
import { afterAll, describe, expect, it } from "vitest";
import { CertificateAuthority } from "./certificate-authority.ts";
import { MAX_CSR_PEM_BYTES, parseCsr } from "./parse-csr.ts";

const CANONICAL_NAME =
	"a2a://textprocessor.documenttranslation.acmecorp.v2.1.0.hipaa";

const workDir = mkdtempSync(join(tmpdir(), "ans-parse-csr-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/**
 * Makes a key and a CSR with the openssl binary and returns the CSR PEM.
 * `keyArgs` are `openssl genpkey` arguments, `reqArgs` extra `openssl req`
 * arguments.
 */
function opensslCsr(
	name: string,
	keyArgs: string[],
	reqArgs: string[] = [],
): string {
	const key = join(workDir, `${name}.key`);
	const csr = join(workDir, `${name}.csr`);
	execFileSync("openssl", ["genpkey", ...keyArgs, "-out", key], {
		stdio: "pipe",
	});
	execFileSync(
		"openssl",
		[
			"req",
			"-new",
			"-key",
			key,
			"-subj",
			`/CN=${name}`,
			"-out",
			csr,
			...reqArgs,
		],
		{ stdio: "pipe" },
	);
	return readFileSync(csr, "utf8");
}

function ecKeyArgs(curve: string): string[] {
	return ["-algorithm", "EC", "-pkeyopt", `ec_paramgen_curve:${curve}`];
}

function dsaKeyArgs(): string[] {
	const params = join(workDir, "dsa-params.pem");
	execFileSync(
		"openssl",
		[
			"genpkey",
			"-genparam",
			"-algorithm",
			"DSA",
			"-pkeyopt",
			"dsa_paramgen_bits:2048",
			"-out",
			params,
		],
		{ stdio: "pipe" },
	);
	return ["-paramfile", params];
}

/** Returns `pem` with one byte of the CSR's signature value flipped. */
function flipSignatureByte(pem: string): string {
	const der = decodePem(pem)?.der;
	if (der === undefined) {
		throw new Error("test CSR is not PEM");
	}
	const request = AsnConvert.parse(der, CertificationRequest);
	const signature = new Uint8Array(request.signature);
	const flipped = new Uint8Array(der);
	// The BIT STRING containing the signature ends the DER, so its last byte is
	// the last byte of the signature value.
	expect(flipped[flipped.length - 1]).toBe(signature[signature.length - 1]);
	flipped[flipped.length - 1] = (flipped[flipped.length - 1] ?? 0) ^ 0x01;
	return encodePem(flipped, "CERTIFICATE REQUEST");
}

async function rejection(pem: unknown, field?: string): Promise<unknown> {
	return parseCsr(pem, field).then(
		() => undefined,
		(error: unknown) => error,
	);
}

describe("parseCsr with openssl CSRs", () => {
	const accepted: [string, string[], string, number | undefined][] = [
		["P-256", ecKeyArgs("P-256"), "P-256", undefined],
		["P-384", ecKeyArgs("P-384"), "P-384", undefined],
		["Ed25519", ["-algorithm", "ED25519"], "Ed25519", undefined],
		[
			"RSA-2048",
			["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
			"RSA",
			2048,
		],
	];
	for (const [name, keyArgs, keyType, rsaBits] of accepted) {
		it(`accepts ${name}`, async () => {
			const parsed = await parseCsr(opensslCsr(name, keyArgs));
			expect(parsed.keyType).toBe(keyType);
			expect(parsed.rsaBits).toBe(rsaBits);
			expect(parsed.publicKey).toBeInstanceOf(x509.PublicKey);
			expect(parsed.request.subject).toBe(`CN=${name}`);
		});
	}

	const rejected: [string, () => string[], string][] = [
		[
			"RSA-1024",
			() => ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024"],
			"RSA 1024-bit",
		],
		["secp256k1", () => ecKeyArgs("secp256k1"), "EC secp256k1"],
		["P-521", () => ecKeyArgs("P-521"), "EC P-521"],
		["Ed448", () => ["-algorithm", "ED448"], "Ed448"],
		["DSA", dsaKeyArgs, "DSA"],
	];
	for (const [name, keyArgs, found] of rejected) {
		it(`rejects ${name}`, async () => {
			const error = await rejection(opensslCsr(name, keyArgs()));
			expect(error).toMatchObject({
				code: "CSR_KEY_TYPE_FORBIDDEN",
				status: 400,
				field: "csr",
			});
			const message = (error as Error).message;
			expect(message).toContain(`is ${found},`);
			expect(message).toContain(
				"EC P-256, EC P-384, Ed25519, or RSA with 2048 to 8192 bits",
			);
		});
	}
});

describe("parseCsr proof of possession", () => {
	it("rejects flipped signature byte", async () => {
		const pem = opensslCsr("flipped", ecKeyArgs("P-256"));
		await parseCsr(pem);
		const error = await rejection(flipSignatureByte(pem));
		expect(error).toMatchObject({
			code: "CSR_SIGNATURE_INVALID",
			field: "csr",
		});
	});

	it("rejects flipped Ed25519 signature byte", async () => {
		const pem = opensslCsr("flipped-ed25519", ["-algorithm", "ED25519"]);
		const error = await rejection(flipSignatureByte(pem));
		expect(error).toMatchObject({ code: "CSR_SIGNATURE_INVALID" });
	});

	it("rejects swapped public key", async () => {
		const pem = opensslCsr("swapped", ecKeyArgs("P-256"));
		const original = AsnConvert.parse(
			decodePem(pem)?.der ?? new Uint8Array(),
			CertificationRequest,
		);
		const otherKeys = await generateAgentKeyPair("P-256");
		const otherSpki = await crypto.subtle.exportKey(
			"spki",
			otherKeys.publicKey,
		);
		const info = original.certificationRequestInfo;
		const forged = new CertificationRequest({
			certificationRequestInfo: new CertificationRequestInfo({
				version: info.version,
				subject: info.subject,
				subjectPKInfo: AsnConvert.parse(otherSpki, SubjectPublicKeyInfo),
				attributes: info.attributes,
			}),
			signatureAlgorithm: original.signatureAlgorithm,
			signature: original.signature,
		});
		const forgedPem = encodePem(
			new Uint8Array(AsnConvert.serialize(forged)),
			"CERTIFICATE REQUEST",
		);

		const forgedRequest = new x509.Pkcs10CertificateRequest(forgedPem);
		expect(new Uint8Array(forgedRequest.publicKey.rawData)).toEqual(
			new Uint8Array(otherSpki),
		);
		expect(new Uint8Array(forgedRequest.signature)).toEqual(
			new Uint8Array(original.signature),
		);
		const error = await rejection(forgedPem);
		expect(error).toMatchObject({
			code: "CSR_SIGNATURE_INVALID",
			field: "csr",
		});
	});
});

describe("parseCsr input checks", () => {
	it("rejects garbage", async () => {
		expect(await rejection("hello")).toMatchObject({
			code: "CSR_INVALID",
			status: 400,
		});
	});

	it("rejects PEM with garbage body", async () => {
		const pem = encodePem(
			new Uint8Array([0x30, 0x03, 1, 2, 3]),
			"CERTIFICATE REQUEST",
		);
		expect(await rejection(pem)).toMatchObject({ code: "CSR_INVALID" });
	});

	it("rejects certificate PEM", async () => {
		const ca = await CertificateAuthority.open({
			dir: join(workDir, "ca-for-label"),
		});
		const error = await rejection(ca.rootPem());
		expect(error).toMatchObject({ code: "CSR_INVALID", field: "csr" });
		expect((error as Error).message).toContain('"CERTIFICATE" PEM block');
	});

	it("rejects bytes after the CSR", async () => {
		const der = decodePem(opensslCsr("trailing", ecKeyArgs("P-256")))?.der;
		const longer = new Uint8Array((der?.length ?? 0) + 2);
		longer.set(der ?? new Uint8Array());
		const error = await rejection(encodePem(longer, "CERTIFICATE REQUEST"));
		expect(error).toMatchObject({ code: "CSR_INVALID" });
	});

	it("rejects non-string input", async () => {
		expect(await rejection(undefined)).toMatchObject({ code: "CSR_INVALID" });
		expect(await rejection({ pem: "x" })).toMatchObject({
			code: "CSR_INVALID",
		});
	});

	it("rejects PEM over 16 KiB", async () => {
		const pem = opensslCsr("large", ecKeyArgs("P-256"));
		const padded = pem + " ".repeat(MAX_CSR_PEM_BYTES - pem.length + 1);
		expect(MAX_CSR_PEM_BYTES).toBe(16384);
		expect(await rejection(padded)).toMatchObject({
			code: "CSR_TOO_LARGE",
			status: 400,
		});
		await expect(
			parseCsr(padded.slice(0, MAX_CSR_PEM_BYTES)),
		).resolves.toMatchObject({
			keyType: "P-256",
		});
	});

	it("names the given field", async () => {
		expect(await rejection("hello", "request.csr")).toMatchObject({
			field: "request.csr",
		});
	});
});

describe("parseCsr with createCsr", () => {
	for (const keyType of AGENT_KEY_TYPES) {
		it(`accepts ${keyType} CSR`, async () => {
			const keys = await generateAgentKeyPair(keyType);
			const pem = await createCsr({
				keys,
				canonicalName: CANONICAL_NAME,
				agentId: "textprocessor",
			});
			const parsed = await parseCsr(pem);
			expect(parsed.keyType).toBe(keyType.startsWith("RSA") ? "RSA" : keyType);
			const spki = await crypto.subtle.exportKey("spki", keys.publicKey);
			expect(new Uint8Array(parsed.publicKey.rawData)).toEqual(
				new Uint8Array(spki),
			);
		});
	}
});

describe("CSR subject and extensions", () => {
	it("are ignored when issuing", async () => {
		const pem = opensslCsr("requests-ca", ecKeyArgs("P-256"), [
			"-addext",
			"basicConstraints=critical,CA:TRUE",
			"-addext",
			"subjectAltName=DNS:other.example.test",
		]);
		const parsed = await parseCsr(pem);
		expect(parsed.request.extensions.length).toBeGreaterThan(0);

		const ca = await CertificateAuthority.open({
			dir: join(workDir, "ca-ignore"),
		});
		const issued = await ca.issueAgentCertificate({
			publicKey: parsed.publicKey,
			canonicalName: CANONICAL_NAME,
			agentId: "textprocessor",
			provider: "acmecorp",
		});
		const certificate = new x509.X509Certificate(issued.der);
		expect(certificate.subject).toBe("CN=textprocessor, O=acmecorp");
		expect(certificate.getExtension(x509.BasicConstraintsExtension)?.ca).toBe(
			false,
		);
		const san = certificate.getExtension(x509.SubjectAlternativeNameExtension);
		expect(san?.names.toJSON()).toEqual([
			{ type: "url", value: CANONICAL_NAME },
		]);
	});
});

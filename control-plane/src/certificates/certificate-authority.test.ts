import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
	copyFileSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	statSync,
	unlinkSync,
	writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { x509 } from "@ans/shared/keys";
import { afterAll, describe, expect, it } from "vitest";
import { CertificateAuthority } from "./certificate-authority.ts";

const CANONICAL_NAME =
	"a2a://textprocessor.documenttranslation.acmecorp.v2.1.0.hipaa";
const PASSPHRASE = "ca test passphrase";
const DAY_MS = 24 * 60 * 60 * 1000;

const workDir = mkdtempSync(join(tmpdir(), "ans-ca-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

let dirCount = 0;
function newDir(): string {
	dirCount++;
	return join(workDir, `ca-${dirCount}`);
}

/** Runs openssl, failing the test with its stderr when it exits non-zero. */
function openssl(args: string[]): string {
	const result = spawnSync("openssl", args, { encoding: "utf8" });
	if (result.error) {
		throw result.error;
	}
	if (result.status !== 0) {
		throw new Error(`openssl ${args.join(" ")} failed: ${result.stderr}`);
	}
	return result.stdout;
}

async function agentPublicKey(
	params: EcKeyGenParams | AlgorithmIdentifier = {
		name: "ECDSA",
		namedCurve: "P-256",
	},
): Promise<CryptoKey> {
	const keys = (await crypto.subtle.generateKey(params, true, [
		"sign",
		"verify",
	])) as CryptoKeyPair;
	return keys.publicKey;
}

/** Writes the chain and an issued certificate as files for openssl. */
function writeChain(
	dir: string,
	ca: CertificateAuthority,
	agentPem: string,
): { root: string; intermediate: string; agent: string } {
	const [intermediatePem] = ca.chainPem();
	const files = {
		root: join(dir, "test-root.pem"),
		intermediate: join(dir, "test-intermediate.pem"),
		agent: join(dir, "test-agent.pem"),
	};
	writeFileSync(files.root, ca.rootPem());
	writeFileSync(files.intermediate, intermediatePem ?? "");
	writeFileSync(files.agent, agentPem);
	return files;
}

function fingerprint(pem: string): string {
	return createHash("sha256").update(pem).digest("hex");
}

describe("issued agent certificate", async () => {
	const dir = newDir();
	const ca = await CertificateAuthority.open({
		dir,
		publicBaseUrl: "https://ans.example.test/",
	});
	const before = Date.now();
	const issued = await ca.issueAgentCertificate({
		publicKey: await agentPublicKey(),
		canonicalName: CANONICAL_NAME,
		agentId: "textprocessor",
		provider: "acmecorp",
	});
	const files = writeChain(workDir, ca, issued.pem);
	const text = openssl(["x509", "-noout", "-text", "-in", files.agent]);

	it("passes openssl verify with the chain", () => {
		const output = openssl([
			"verify",
			"-x509_strict",
			"-CAfile",
			files.root,
			"-untrusted",
			files.intermediate,
			files.agent,
		]);
		expect(output.trim()).toBe(`${files.agent}: OK`);
	});

	it("passes openssl verify for TLS server and client", () => {
		for (const purpose of ["sslserver", "sslclient"]) {
			const output = openssl([
				"verify",
				"-purpose",
				purpose,
				"-CAfile",
				files.root,
				"-untrusted",
				files.intermediate,
				files.agent,
			]);
			expect(output.trim()).toBe(`${files.agent}: OK`);
		}
	});

	it("has canonical name as SAN URI", () => {
		const san = openssl([
			"x509",
			"-noout",
			"-ext",
			"subjectAltName",
			"-in",
			files.agent,
		]);
		expect(san).toContain(`URI:${CANONICAL_NAME}`);
	});

	it("has subject CN and O", () => {
		const subject = openssl([
			"x509",
			"-noout",
			"-subject",
			"-nameopt",
			"RFC2253",
			"-in",
			files.agent,
		]);
		expect(subject.trim()).toBe("subject=O=acmecorp,CN=textprocessor");
	});

	it("has critical CA:false and digitalSignature", () => {
		expect(text).toMatch(/X509v3 Basic Constraints: critical\n\s+CA:FALSE/);
		expect(text).toMatch(/X509v3 Key Usage: critical\n\s+Digital Signature\n/);
	});

	it("has serverAuth and clientAuth EKU", () => {
		expect(text).toMatch(
			/X509v3 Extended Key Usage: \n\s+TLS Web Server Authentication, TLS Web Client Authentication\n/,
		);
	});

	it("has SKI and AKI of intermediate", () => {
		const certificate = new x509.X509Certificate(issued.der);
		const intermediate = new x509.X509Certificate(ca.chainPem()[0] ?? "");
		const ski = certificate.getExtension(x509.SubjectKeyIdentifierExtension);
		const aki = certificate.getExtension(x509.AuthorityKeyIdentifierExtension);
		const issuerSki = intermediate.getExtension(
			x509.SubjectKeyIdentifierExtension,
		);
		expect(ski?.keyId).toMatch(/^[0-9a-f]{40}$/);
		expect(aki?.keyId).toBe(issuerSki?.keyId);
	});

	it("has AIA and CRL distribution point", () => {
		expect(text).toContain("OCSP - URI:https://ans.example.test/v1/ca/ocsp");
		expect(text).toContain(
			"CA Issuers - URI:https://ans.example.test/v1/ca/intermediates/1.cer",
		);
		expect(text).toMatch(
			/X509v3 CRL Distribution Points: \n\s+Full Name:\n\s+URI:https:\/\/ans\.example\.test\/v1\/ca\/crl/,
		);
	});

	it("is signed with ecdsa-with-SHA384", () => {
		expect(text).toContain("Signature Algorithm: ecdsa-with-SHA384");
	});

	it("starts 5 minutes back and lasts 90 days", () => {
		const skewMs = 5 * 60 * 1000;
		expect(issued.notBefore.getTime()).toBeGreaterThanOrEqual(
			before - skewMs - 1000,
		);
		expect(issued.notBefore.getTime()).toBeLessThanOrEqual(Date.now() - skewMs);
		expect(issued.notAfter.getTime() - issued.notBefore.getTime()).toBe(
			90 * DAY_MS + skewMs,
		);
	});

	it("reports serial, fingerprint and issuer", () => {
		const serial = openssl(["x509", "-noout", "-serial", "-in", files.agent]);
		expect(serial.trim().toLowerCase()).toBe(`serial=${issued.serialHex}`);
		const opensslFingerprint = openssl([
			"x509",
			"-noout",
			"-fingerprint",
			"-sha256",
			"-in",
			files.agent,
		]);
		expect(opensslFingerprint.trim().replaceAll(":", "").toLowerCase()).toBe(
			`sha256 fingerprint=${issued.sha256Hex}`,
		);
		expect(issued.issuerId).toBe("1");
		expect(issued.pem.startsWith("-----BEGIN CERTIFICATE-----\n")).toBe(true);
	});
});

describe("CA certificates", async () => {
	const dir = newDir();
	const ca = await CertificateAuthority.open({ dir });
	const [intermediatePem, rootPem] = ca.chainPem();
	const rootText = openssl([
		"x509",
		"-noout",
		"-text",
		"-in",
		join(dir, "root.pem"),
	]);
	const intermediateText = openssl([
		"x509",
		"-noout",
		"-text",
		"-in",
		join(dir, "intermediates", "1.pem"),
	]);

	it("chain is intermediate then root", () => {
		expect(rootPem).toBe(ca.rootPem());
		expect(rootPem).toBe(readFileSync(join(dir, "root.pem"), "utf8"));
		expect(intermediatePem).toBe(
			readFileSync(join(dir, "intermediates", "1.pem"), "utf8"),
		);
		expect(ca.chainPem("1")).toEqual(ca.chainPem());
	});

	it("root has the CA profile", () => {
		expect(rootText).toContain(
			"Subject: CN = ANS Root CA, O = Agent Name Service",
		);
		expect(rootText).toContain("NIST CURVE: P-384");
		expect(rootText).toContain("Signature Algorithm: ecdsa-with-SHA384");
		expect(rootText).toMatch(
			/X509v3 Basic Constraints: critical\n\s+CA:TRUE, pathlen:1/,
		);
		expect(rootText).toMatch(
			/X509v3 Key Usage: critical\n\s+Certificate Sign, CRL Sign\n/,
		);
		expect(rootText).toContain("X509v3 Subject Key Identifier");
	});

	it("intermediate has the CA profile", () => {
		expect(intermediateText).toContain(
			"Subject: CN = ANS Intermediate CA 1, O = Agent Name Service",
		);
		expect(intermediateText).toContain(
			"Issuer: CN = ANS Root CA, O = Agent Name Service",
		);
		expect(intermediateText).toMatch(
			/X509v3 Basic Constraints: critical\n\s+CA:TRUE, pathlen:0/,
		);
		expect(intermediateText).toMatch(
			/X509v3 Key Usage: critical\n\s+Certificate Sign, CRL Sign\n/,
		);
		const root = new x509.X509Certificate(rootPem ?? "");
		const intermediate = new x509.X509Certificate(intermediatePem ?? "");
		expect(
			intermediate.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId,
		).toBe(root.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId);
	});

	it("root lasts 20 years, intermediate 5", () => {
		const root = new x509.X509Certificate(rootPem ?? "");
		const intermediate = new x509.X509Certificate(intermediatePem ?? "");
		const rootYears =
			root.notAfter.getUTCFullYear() - root.notBefore.getUTCFullYear();
		const intermediateYears =
			intermediate.notAfter.getUTCFullYear() -
			intermediate.notBefore.getUTCFullYear();
		expect([19, 20]).toContain(rootYears);
		expect(root.notAfter.getTime() - Date.now()).toBeGreaterThan(
			19.9 * 365 * DAY_MS,
		);
		expect([4, 5]).toContain(intermediateYears);
		expect(intermediate.notAfter.getTime() - Date.now()).toBeGreaterThan(
			4.9 * 365 * DAY_MS,
		);
	});

	it("intermediate verifies against root", () => {
		const output = openssl([
			"verify",
			"-x509_strict",
			"-CAfile",
			join(dir, "root.pem"),
			join(dir, "intermediates", "1.pem"),
		]);
		expect(output.trim()).toMatch(/: OK$/);
	});

	it("rejects unknown issuer id", () => {
		expect(() => ca.chainPem("7")).toThrow(
			expect.objectContaining({ code: "CA_ISSUER_NOT_FOUND" }),
		);
	});
});

describe("CA directory", () => {
	it("has 0600 keys in 0700 directories", async () => {
		const dir = newDir();
		await CertificateAuthority.open({ dir });
		expect(statSync(dir).mode & 0o777).toBe(0o700);
		expect(statSync(join(dir, "intermediates")).mode & 0o777).toBe(0o700);
		expect(statSync(join(dir, "root.key")).mode & 0o777).toBe(0o600);
		expect(statSync(join(dir, "intermediates", "1.key")).mode & 0o777).toBe(
			0o600,
		);
		const state = JSON.parse(readFileSync(join(dir, "ca.json"), "utf8"));
		expect(state).toEqual({ currentIntermediate: "1" });
	});

	it("reopens with the same root", async () => {
		const dir = newDir();
		const first = await CertificateAuthority.open({ dir });
		const second = await CertificateAuthority.open({ dir });
		expect(fingerprint(second.rootPem())).toBe(fingerprint(first.rootPem()));
		expect(second.chainPem()).toEqual(first.chainPem());
	});

	it("encrypts keys with passphrase", async () => {
		const dir = newDir();
		await CertificateAuthority.open({ dir, passphrase: PASSPHRASE });
		for (const key of [
			join(dir, "root.key"),
			join(dir, "intermediates", "1.key"),
		]) {
			expect(readFileSync(key, "utf8")).toMatch(
				/^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/,
			);
			const text = openssl([
				"pkey",
				"-in",
				key,
				"-passin",
				`pass:${PASSPHRASE}`,
				"-noout",
				"-text",
			]);
			expect(text).toContain("NIST CURVE: P-384");
		}
		const reopened = await CertificateAuthority.open({
			dir,
			passphrase: PASSPHRASE,
		});
		expect(reopened.health().ok).toBe(true);
	});

	it("rejects wrong passphrase", async () => {
		const dir = newDir();
		await CertificateAuthority.open({ dir, passphrase: PASSPHRASE });
		await expect(
			CertificateAuthority.open({ dir, passphrase: "wrong" }),
		).rejects.toMatchObject({ code: "KEY_PASSPHRASE_INVALID", status: 500 });
		await expect(CertificateAuthority.open({ dir })).rejects.toMatchObject({
			code: "KEY_PASSPHRASE_REQUIRED",
		});
	});

	for (const missing of [
		join("intermediates", "1.key"),
		join("intermediates", "1.pem"),
		"root.key",
		"root.pem",
		"ca.json",
	]) {
		it(`rejects missing ${missing}`, async () => {
			const dir = newDir();
			await CertificateAuthority.open({ dir });
			const rootBefore = readFileSync(join(dir, "root.pem"), "utf8");
			unlinkSync(join(dir, missing));
			const error = await CertificateAuthority.open({ dir }).catch(
				(caught: unknown) => caught,
			);
			expect(error).toMatchObject({
				code: "CA_DIRECTORY_INCOMPLETE",
				status: 500,
			});
			expect((error as Error).message).toContain(join(dir, missing));
			if (missing !== "root.pem") {
				expect(readFileSync(join(dir, "root.pem"), "utf8")).toBe(rootBefore);
			}
		});
	}

	it("rejects key of another CA", async () => {
		const dir = newDir();
		const other = newDir();
		await CertificateAuthority.open({ dir });
		await CertificateAuthority.open({ dir: other });
		rmSync(join(dir, "intermediates", "1.key"));
		copyFileSync(
			join(other, "intermediates", "1.key"),
			join(dir, "intermediates", "1.key"),
		);
		await expect(CertificateAuthority.open({ dir })).rejects.toMatchObject({
			code: "CA_KEY_MISMATCH",
		});
	});

	it("rejects intermediate of another root", async () => {
		const dir = newDir();
		const other = newDir();
		await CertificateAuthority.open({ dir });
		await CertificateAuthority.open({ dir: other });
		for (const file of ["1.key", "1.pem"]) {
			rmSync(join(dir, "intermediates", file));
			copyFileSync(
				join(other, "intermediates", file),
				join(dir, "intermediates", file),
			);
		}
		await expect(CertificateAuthority.open({ dir })).rejects.toMatchObject({
			code: "CA_CERTIFICATE_INVALID",
		});
	});

	it("rejects malformed ca.json", async () => {
		const dir = newDir();
		await CertificateAuthority.open({ dir });
		writeFileSync(join(dir, "ca.json"), '{"currentIntermediate":"../root"}');
		await expect(CertificateAuthority.open({ dir })).rejects.toMatchObject({
			code: "CA_DIRECTORY_INVALID",
		});
	});

	it("rejects invalid configuration", async () => {
		await expect(
			CertificateAuthority.open({ dir: newDir(), agentValidityDays: 0 }),
		).rejects.toMatchObject({
			code: "CA_CONFIG_INVALID",
			field: "agentValidityDays",
		});
		await expect(
			CertificateAuthority.open({
				dir: newDir(),
				publicBaseUrl: "ftp://ans.example.test",
			}),
		).rejects.toMatchObject({
			code: "CA_CONFIG_INVALID",
			field: "publicBaseUrl",
		});
	});
});

describe("issueAgentCertificate checks", async () => {
	const ca = await CertificateAuthority.open({ dir: newDir() });
	const publicKey = await agentPublicKey();

	it("gives 100 certificates distinct positive serials", async () => {
		const serials = new Set<string>();
		for (let i = 0; i < 100; i++) {
			const issued = await ca.issueAgentCertificate({
				publicKey,
				canonicalName: CANONICAL_NAME,
				agentId: `agent${i}`,
				provider: "acmecorp",
			});
			const certificate = new x509.X509Certificate(issued.der);
			expect(certificate.serialNumber.toLowerCase()).toBe(issued.serialHex);
			expect(issued.serialHex).toMatch(/^[0-9a-f]{1,32}$/);
			expect(BigInt(`0x${issued.serialHex}`)).toBeGreaterThan(0n);
			expect(BigInt(`0x${issued.serialHex}`)).toBeLessThan(2n ** 127n);
			serials.add(issued.serialHex);
		}
		expect(serials.size).toBe(100);
	});

	it("keeps DN characters inside CN", async () => {
		const issued = await ca.issueAgentCertificate({
			publicKey,
			canonicalName: CANONICAL_NAME,
			agentId: "evil,O=Other",
			provider: "acmecorp",
		});
		const certificate = new x509.X509Certificate(issued.der);
		expect(certificate.subjectName.getField("CN")).toEqual(["evil,O=Other"]);
		expect(certificate.subjectName.getField("O")).toEqual(["acmecorp"]);
	});

	it("accepts notAfter within intermediate", async () => {
		const notAfter = new Date(Date.now() + 10 * DAY_MS);
		notAfter.setUTCMilliseconds(0);
		const issued = await ca.issueAgentCertificate({
			publicKey,
			canonicalName: CANONICAL_NAME,
			agentId: "agent",
			provider: "acmecorp",
			notAfter,
		});
		expect(issued.notAfter.getTime()).toBe(notAfter.getTime());
	});

	it("rejects notAfter beyond intermediate", async () => {
		await expect(
			ca.issueAgentCertificate({
				publicKey,
				canonicalName: CANONICAL_NAME,
				agentId: "agent",
				provider: "acmecorp",
				notAfter: new Date(Date.now() + 10 * 365 * DAY_MS),
			}),
		).rejects.toMatchObject({
			code: "CERT_NOT_AFTER_INVALID",
			field: "notAfter",
		});
	});

	it("rejects notAfter in the past", async () => {
		await expect(
			ca.issueAgentCertificate({
				publicKey,
				canonicalName: CANONICAL_NAME,
				agentId: "agent",
				provider: "acmecorp",
				notAfter: new Date(Date.now() - DAY_MS),
			}),
		).rejects.toMatchObject({ code: "CERT_NOT_AFTER_INVALID" });
	});

	it("rejects P-521 public key", async () => {
		await expect(
			ca.issueAgentCertificate({
				publicKey: await agentPublicKey({ name: "ECDSA", namedCurve: "P-521" }),
				canonicalName: CANONICAL_NAME,
				agentId: "agent",
				provider: "acmecorp",
			}),
		).rejects.toMatchObject({
			code: "CSR_KEY_TYPE_FORBIDDEN",
			field: "publicKey",
		});
	});

	it("rejects private key as public key", async () => {
		const keys = (await crypto.subtle.generateKey(
			{ name: "ECDSA", namedCurve: "P-256" },
			true,
			["sign", "verify"],
		)) as CryptoKeyPair;
		await expect(
			ca.issueAgentCertificate({
				publicKey: keys.privateKey,
				canonicalName: CANONICAL_NAME,
				agentId: "agent",
				provider: "acmecorp",
			}),
		).rejects.toMatchObject({
			code: "CERT_PUBLIC_KEY_INVALID",
			field: "publicKey",
		});
	});

	it("rejects invalid names", async () => {
		const base = {
			publicKey,
			canonicalName: CANONICAL_NAME,
			agentId: "a",
			provider: "p",
		};
		await expect(
			ca.issueAgentCertificate({ ...base, agentId: "" }),
		).rejects.toMatchObject({ code: "CERT_SUBJECT_INVALID", field: "agentId" });
		await expect(
			ca.issueAgentCertificate({ ...base, provider: "x".repeat(65) }),
		).rejects.toMatchObject({
			code: "CERT_SUBJECT_INVALID",
			field: "provider",
		});
		await expect(
			ca.issueAgentCertificate({ ...base, canonicalName: "textprocessor" }),
		).rejects.toMatchObject({
			code: "CERT_SAN_URI_INVALID",
			field: "canonicalName",
		});
	});

	it("omits AIA and CRL without base URL", async () => {
		const issued = await ca.issueAgentCertificate({
			publicKey,
			canonicalName: CANONICAL_NAME,
			agentId: "agent",
			provider: "acmecorp",
		});
		const certificate = new x509.X509Certificate(issued.der);
		expect(
			certificate.getExtension(x509.AuthorityInfoAccessExtension),
		).toBeNull();
		expect(
			certificate.getExtension(x509.CRLDistributionPointsExtension),
		).toBeNull();
	});
});

describe("CA health", () => {
	it("is ok for a new CA", async () => {
		const ca = await CertificateAuthority.open({ dir: newDir() });
		const health = ca.health(new Date());
		expect(health.ok).toBe(true);
		expect(health.keysLoaded).toBe(true);
		expect(health.problems).toEqual([]);
		expect(Date.parse(health.root.notAfter)).toBeGreaterThan(Date.now());
	});

	it("reports root expiring within 30 days", async () => {
		// Created 20 years minus 10 days ago, so the root expires in 10 days
		// and the 5-year intermediate expired long ago.
		const createdAt = new Date();
		createdAt.setUTCFullYear(createdAt.getUTCFullYear() - 20);
		createdAt.setTime(createdAt.getTime() + 10 * DAY_MS);
		const ca = await CertificateAuthority.open({
			dir: newDir(),
			now: () => createdAt,
		});
		const health = ca.health(new Date());
		expect(health.ok).toBe(false);
		expect(health.problems).toHaveLength(2);
		expect(health.problems[0]).toMatch(
			/^root CA certificate expires on .*, in (9|10) days$/,
		);
		expect(health.problems[1]).toMatch(
			/^intermediate CA certificate 1 expired on /,
		);
	});

	it("reports intermediate expiring within 30 days", async () => {
		const ca = await CertificateAuthority.open({ dir: newDir() });
		const intermediate = new x509.X509Certificate(ca.chainPem()[0] ?? "");
		const health = ca.health(
			new Date(intermediate.notAfter.getTime() - 29 * DAY_MS),
		);
		expect(health.ok).toBe(false);
		expect(health.problems).toEqual([
			`intermediate CA certificate 1 expires on ${intermediate.notAfter.toISOString()}, in 29 days`,
		]);
	});

	it("is ok 31 days before intermediate expiry", async () => {
		const ca = await CertificateAuthority.open({ dir: newDir() });
		const intermediate = new x509.X509Certificate(ca.chainPem()[0] ?? "");
		const health = ca.health(
			new Date(intermediate.notAfter.getTime() - 31 * DAY_MS),
		);
		expect(health.ok).toBe(true);
	});

	it("reports CA not yet valid", async () => {
		const ca = await CertificateAuthority.open({ dir: newDir() });
		const health = ca.health(new Date(Date.now() - DAY_MS));
		expect(health.ok).toBe(false);
		expect(health.problems[0]).toMatch(
			/^root CA certificate is not valid until /,
		);
	});

	it("rejects issuing with expired intermediate", async () => {
		let clock = new Date();
		const ca = await CertificateAuthority.open({
			dir: newDir(),
			now: () => clock,
		});
		clock = new Date(clock.getTime() + 6 * 365 * DAY_MS);
		await expect(
			ca.issueAgentCertificate({
				publicKey: await agentPublicKey(),
				canonicalName: CANONICAL_NAME,
				agentId: "agent",
				provider: "acmecorp",
			}),
		).rejects.toMatchObject({ code: "CA_UNAVAILABLE", status: 503 });
	});
});

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { x509 } from "@ans/shared/keys";
import { id_kp_OCSPSigning, id_pkix_ocsp_nocheck } from "@peculiar/asn1-ocsp";
import { afterAll, describe, expect, it } from "vitest";
import { CertificateAuthority } from "./certificate-authority.ts";
import {
	OCSP_RESPONDER_RENEW_DAYS,
	OCSP_RESPONDER_VALIDITY_DAYS,
} from "./ocsp-responder-certificate.ts";

const DAY_MS = 24 * 60 * 60 * 1000;
const PASSPHRASE = "responder test passphrase";

const workDir = mkdtempSync(join(tmpdir(), "ans-ocsp-responder-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

let dirCount = 0;
function newDir(): string {
	dirCount++;
	return join(workDir, `ca-${dirCount}`);
}

describe("OCSP responder certificate", async () => {
	const dir = newDir();
	const ca = await CertificateAuthority.open({ dir, passphrase: PASSPHRASE });
	const responder = await ca.ocspResponder("1");
	const certificate = responder.certificate;
	const intermediate = ca.intermediate("1").certificate;

	it("is issued and signed by the intermediate", async () => {
		expect(certificate.issuer).toBe(intermediate.subject);
		expect(
			await certificate.verify({
				publicKey: intermediate.publicKey,
				signatureOnly: true,
			}),
		).toBe(true);
	});

	it("has the OCSPSigning extended key usage", () => {
		const usage = certificate.getExtension(x509.ExtendedKeyUsageExtension);
		expect(usage?.usages).toEqual([id_kp_OCSPSigning]);
	});

	it("has id-pkix-ocsp-nocheck", () => {
		const nocheck = certificate.getExtension(id_pkix_ocsp_nocheck);
		expect(nocheck?.critical).toBe(false);
		expect(Buffer.from(nocheck?.value ?? new ArrayBuffer(0))).toEqual(
			Buffer.from([0x05, 0x00]),
		);
	});

	it("is not a CA", () => {
		const constraints = certificate.getExtension(
			x509.BasicConstraintsExtension,
		);
		expect(constraints?.ca).toBe(false);
		expect(constraints?.critical).toBe(true);
	});

	it("is valid for 30 days", () => {
		const days = (certificate.notAfter.getTime() - Date.now()) / DAY_MS;
		expect(days).toBeGreaterThan(OCSP_RESPONDER_VALIDITY_DAYS - 1);
		expect(days).toBeLessThanOrEqual(OCSP_RESPONDER_VALIDITY_DAYS);
	});

	it("shows OCSP Signing in openssl", () => {
		const path = join(workDir, "responder.pem");
		writeFileSync(path, readFileSync(join(dir, "ocsp", "1.pem")));
		const result = spawnSync(
			"openssl",
			["x509", "-noout", "-text", "-in", path],
			{ encoding: "utf8" },
		);
		expect(result.status).toBe(0);
		expect(result.stdout).toMatch(
			/X509v3 Extended Key Usage: \n\s+OCSP Signing\n/,
		);
		expect(result.stdout).toContain("OCSP No Check");
	});

	it("encrypts the stored key with the CA passphrase", () => {
		const key = readFileSync(join(dir, "ocsp", "1.key"), "utf8");
		expect(key).toContain("-----BEGIN ENCRYPTED PRIVATE KEY-----");
	});

	it("is reused by the same CA", async () => {
		const again = await ca.ocspResponder("1");
		expect(again.certificate.serialNumber).toBe(certificate.serialNumber);
	});

	it("is loaded from the files after a restart", async () => {
		const reopened = await CertificateAuthority.open({
			dir,
			passphrase: PASSPHRASE,
		});
		const loaded = await reopened.ocspResponder("1");
		expect(loaded.certificate.serialNumber).toBe(certificate.serialNumber);
	});

	it("signs with a key that matches the certificate", async () => {
		const data = new TextEncoder().encode("tbs");
		const signature = await responder.signer.sign(data);
		const formatter = new x509.AsnEcSignatureFormatter();
		const algorithm = { name: "ECDSA", hash: "SHA-256", namedCurve: "P-256" };
		const raw = formatter.toWebSignature(algorithm, signature);
		const publicKey = await certificate.publicKey.export(
			{ name: "ECDSA", namedCurve: "P-256" },
			["verify"],
		);
		expect(raw).not.toBeNull();
		expect(
			await crypto.subtle.verify(
				algorithm,
				publicKey,
				raw ?? new ArrayBuffer(0),
				data,
			),
		).toBe(true);
	});
});

describe("OCSP responder renewal", () => {
	it("replaces a certificate close to expiry", async () => {
		const dir = newDir();
		const ca = await CertificateAuthority.open({ dir });
		const first = await ca.ocspResponder("1");

		const daysLater =
			OCSP_RESPONDER_VALIDITY_DAYS - OCSP_RESPONDER_RENEW_DAYS + 1;
		const later = new Date(Date.now() + daysLater * DAY_MS);
		const laterCa = await CertificateAuthority.open({ dir, now: () => later });
		const renewed = await laterCa.ocspResponder("1");

		expect(renewed.certificate.serialNumber).not.toBe(
			first.certificate.serialNumber,
		);
		expect(renewed.certificate.notAfter.getTime()).toBeGreaterThan(
			first.certificate.notAfter.getTime(),
		);
		const stored = new x509.X509Certificate(
			readFileSync(join(dir, "ocsp", "1.pem"), "utf8"),
		);
		expect(stored.serialNumber).toBe(renewed.certificate.serialNumber);
	});

	it("replaces a damaged certificate file", async () => {
		const dir = newDir();
		const ca = await CertificateAuthority.open({ dir });
		const first = await ca.ocspResponder("1");
		writeFileSync(join(dir, "ocsp", "1.pem"), "not a certificate");

		const reopened = await CertificateAuthority.open({ dir });
		const replaced = await reopened.ocspResponder("1");
		expect(replaced.certificate.serialNumber).not.toBe(
			first.certificate.serialNumber,
		);
	});

	it("replaces a key that does not match the certificate", async () => {
		const dir = newDir();
		const ca = await CertificateAuthority.open({ dir });
		const first = await ca.ocspResponder("1");
		const other = newDir();
		await (await CertificateAuthority.open({ dir: other })).ocspResponder("1");
		writeFileSync(
			join(dir, "ocsp", "1.key"),
			readFileSync(join(other, "ocsp", "1.key")),
		);

		const reopened = await CertificateAuthority.open({ dir });
		const replaced = await reopened.ocspResponder("1");
		expect(replaced.certificate.serialNumber).not.toBe(
			first.certificate.serialNumber,
		);
	});

	it("issues one certificate for concurrent first requests", async () => {
		const dir = newDir();
		const ca = await CertificateAuthority.open({ dir });
		const results = await Promise.all([
			ca.ocspResponder("1"),
			ca.ocspResponder("1"),
			ca.ocspResponder("1"),
		]);
		const serials = new Set(
			results.map((item) => item.certificate.serialNumber),
		);
		expect(serials.size).toBe(1);
	});

	it("has one responder per intermediate after rotation", async () => {
		const dir = newDir();
		const ca = await CertificateAuthority.open({ dir });
		await ca.rotateIntermediate();
		const old = await ca.ocspResponder("1");
		const current = await ca.ocspResponder("2");
		expect(old.certificate.issuer).toBe(
			ca.intermediate("1").certificate.subject,
		);
		expect(current.certificate.issuer).toBe(
			ca.intermediate("2").certificate.subject,
		);
	});
});

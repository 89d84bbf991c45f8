import { spawnSync } from "node:child_process";
import {
	mkdtempSync,
	readFileSync,
	rmSync,
	unlinkSync,
	writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { x509 } from "@ans/shared/keys";
import { afterAll, describe, expect, it } from "vitest";
import { CertificateAuthority } from "./certificate-authority.ts";

const workDir = mkdtempSync(join(tmpdir(), "ans-ca-rotation-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

let dirCount = 0;
function newDir(): string {
	dirCount++;
	return join(workDir, `ca-${dirCount}`);
}

/** Runs openssl and returns its exit status with stdout and stderr. */
function openssl(args: string[]): {
	status: number | null;
	stdout: string;
	stderr: string;
} {
	const result = spawnSync("openssl", args, { encoding: "utf8" });
	if (result.error) {
		throw result.error;
	}
	return {
		status: result.status,
		stdout: result.stdout,
		stderr: result.stderr,
	};
}

async function issue(ca: CertificateAuthority, agentId: string) {
	const keys = (await crypto.subtle.generateKey(
		{ name: "ECDSA", namedCurve: "P-256" },
		true,
		["sign", "verify"],
	)) as CryptoKeyPair;
	return ca.issueAgentCertificate({
		publicKey: keys.publicKey,
		canonicalName: `a2a://${agentId}.translation.acmecorp.v1.0.0`,
		agentId,
		provider: "acmecorp",
	});
}

/** Runs `openssl verify` on a certificate with the given chain and root. */
function verifyWithOpenssl(
	name: string,
	certificatePem: string,
	chain: string[],
): { status: number | null; stdout: string; stderr: string } {
	const [intermediatePem, rootPem] = chain;
	const files = {
		root: join(workDir, `${name}-root.pem`),
		intermediate: join(workDir, `${name}-intermediate.pem`),
		leaf: join(workDir, `${name}-leaf.pem`),
	};
	writeFileSync(files.root, rootPem ?? "");
	writeFileSync(files.intermediate, intermediatePem ?? "");
	writeFileSync(files.leaf, certificatePem);
	return openssl([
		"verify",
		"-x509_strict",
		"-CAfile",
		files.root,
		"-untrusted",
		files.intermediate,
		files.leaf,
	]);
}

describe("intermediate rotation", async () => {
	const dir = newDir();
	const ca = await CertificateAuthority.open({
		dir,
		publicBaseUrl: "https://ans.example.test",
	});
	const before = await issue(ca, "before");
	const rotated = await ca.rotateIntermediate();
	const after = await issue(ca, "after");

	it("returns intermediate 2 as current", () => {
		expect(rotated.id).toBe("2");
		expect(rotated.current).toBe(true);
		expect(rotated.certificate.subject).toBe(
			"CN=ANS Intermediate CA 2, O=Agent Name Service",
		);
	});

	it("signs the new intermediate with the same root", async () => {
		const root = new x509.X509Certificate(ca.rootPem());
		expect(
			await rotated.certificate.verify({
				publicKey: root.publicKey,
				signatureOnly: true,
			}),
		).toBe(true);
	});

	it("issues new certificates from intermediate 2", () => {
		expect(before.issuerId).toBe("1");
		expect(after.issuerId).toBe("2");
		const leaf = new x509.X509Certificate(after.pem);
		expect(leaf.issuer).toBe(rotated.certificate.subject);
	});

	it("keeps the old certificate verifying with openssl", () => {
		const result = verifyWithOpenssl("old", before.pem, ca.chainPem("1"));
		expect(result.stderr).toBe("");
		expect(result.status).toBe(0);
	});

	it("verifies the new certificate with openssl", () => {
		const result = verifyWithOpenssl("new", after.pem, ca.chainPem("2"));
		expect(result.stderr).toBe("");
		expect(result.status).toBe(0);
	});

	it("rejects the old certificate with the new chain", () => {
		const result = verifyWithOpenssl("mixed", before.pem, ca.chainPem("2"));
		expect(result.status).not.toBe(0);
	});

	it("lists both intermediates, oldest first", () => {
		const listed = ca.listIntermediates();
		expect(listed.map((item) => item.id)).toEqual(["1", "2"]);
		expect(listed.map((item) => item.current)).toEqual([false, true]);
		expect(ca.intermediate().id).toBe("2");
		expect(ca.health().intermediate.id).toBe("2");
	});

	it("names the issuing intermediate in the CRL distribution point", () => {
		const leaf = new x509.X509Certificate(after.pem);
		const points = leaf.getExtension(x509.CRLDistributionPointsExtension);
		const uris = points?.distributionPoints.flatMap(
			(point) =>
				point.distributionPoint?.fullName?.map(
					(name) => name.uniformResourceIdentifier,
				) ?? [],
		);
		expect(uris).toEqual(["https://ans.example.test/v1/ca/crl?issuer=2"]);
	});

	it("records intermediate 2 in ca.json", () => {
		const state = JSON.parse(readFileSync(join(dir, "ca.json"), "utf8"));
		expect(state).toEqual({ currentIntermediate: "2" });
	});

	it("reopens with intermediate 2 current", async () => {
		const reopened = await CertificateAuthority.open({ dir });
		expect(reopened.intermediate().id).toBe("2");
		expect(reopened.chainPem("1")).toEqual(ca.chainPem("1"));
		expect(reopened.crlSigner("1").algorithm.algorithm).toBe(
			"1.2.840.10045.4.3.3",
		);
		const issued = await issue(reopened, "reopened");
		expect(issued.issuerId).toBe("2");
	});
});

describe("rotation after an interrupted rotation", () => {
	it("skips the id of a leftover key file", async () => {
		const dir = newDir();
		const ca = await CertificateAuthority.open({ dir });
		writeFileSync(join(dir, "intermediates", "2.key"), "left over");
		const rotated = await ca.rotateIntermediate();
		expect(rotated.id).toBe("3");
		expect(readFileSync(join(dir, "intermediates", "2.key"), "utf8")).toBe(
			"left over",
		);
	});

	it("serializes concurrent rotations", async () => {
		const dir = newDir();
		const ca = await CertificateAuthority.open({ dir });
		const results = await Promise.all([
			ca.rotateIntermediate(),
			ca.rotateIntermediate(),
		]);
		expect(results.map((item) => item.id).sort()).toEqual(["2", "3"]);
		expect(ca.intermediate().id).toBe("3");
	});
});

describe("old intermediate without its key file", () => {
	it("opens but cannot sign that intermediate's CRL", async () => {
		const dir = newDir();
		const ca = await CertificateAuthority.open({ dir });
		await ca.rotateIntermediate();
		unlinkSync(join(dir, "intermediates", "1.key"));

		const reopened = await CertificateAuthority.open({ dir });
		expect(reopened.chainPem("1")).toHaveLength(2);
		expect(() => reopened.crlSigner("1")).toThrowError(
			expect.objectContaining({ code: "CA_ISSUER_KEY_MISSING", status: 503 }),
		);
		expect(reopened.crlSigner("2")).toBeDefined();
	});

	it("rejects a missing key of the current intermediate", async () => {
		const dir = newDir();
		const ca = await CertificateAuthority.open({ dir });
		await ca.rotateIntermediate();
		unlinkSync(join(dir, "intermediates", "2.key"));

		await expect(CertificateAuthority.open({ dir })).rejects.toMatchObject({
			code: "CA_DIRECTORY_INCOMPLETE",
		});
	});
});

describe("intermediate lookup", () => {
	it("raises CA_ISSUER_NOT_FOUND for an unknown id", async () => {
		const ca = await CertificateAuthority.open({ dir: newDir() });
		expect(() => ca.intermediate("7")).toThrowError(
			expect.objectContaining({ code: "CA_ISSUER_NOT_FOUND", status: 404 }),
		);
		expect(() => ca.crlSigner("7")).toThrowError(
			expect.objectContaining({ code: "CA_ISSUER_NOT_FOUND" }),
		);
	});
});

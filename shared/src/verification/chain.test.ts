import { beforeAll, describe, expect, it } from "vitest";
import { isAnsError } from "../errors.ts";
import { validateCertificatePath } from "./chain.ts";
import {
	createTestIntermediate,
	createTestPki,
	createTestRoot,
	issueTestLeaf,
	type TestCertificate,
	type TestPki,
} from "./test-ca.ts";
import { x509 } from "./x509-provider.ts";

const NOW = new Date("2026-03-01T12:00:00Z");
const HOUR_MS = 3_600_000;
const NAME = "mcp://sentimentanalyzer.textanalysis.examplecorp.v1.0.0";

let pki: TestPki;

beforeAll(async () => {
	pki = await createTestPki(NAME, NOW);
});

function certificates(...items: TestCertificate[]): x509.X509Certificate[] {
	return items.map((item) => item.certificate);
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
	throw new Error("path validation passed, but a failure was expected");
}

describe("validateCertificatePath", () => {
	it("returns leaf, intermediate and anchor", async () => {
		const path = await validateCertificatePath(
			pki.leaf.certificate,
			certificates(pki.intermediate),
			certificates(pki.root),
			NOW,
		);
		expect(path.map((certificate) => certificate.subject)).toEqual([
			pki.leaf.certificate.subject,
			pki.intermediate.certificate.subject,
			pki.root.certificate.subject,
		]);
	});

	it("prefers the anchor over a chain root", async () => {
		const path = await validateCertificatePath(
			pki.leaf.certificate,
			certificates(pki.root, pki.intermediate),
			certificates(pki.root),
			NOW,
		);
		expect(path).toHaveLength(3);
		expect(path[2]).toBe(pki.root.certificate);
	});

	it("accepts P-384 and Ed25519 keys", async () => {
		const root = await createTestRoot({ now: NOW, keyAlgorithm: "P-384" });
		const intermediate = await createTestIntermediate(root, {
			now: NOW,
			keyAlgorithm: "Ed25519",
		});
		const leaf = await issueTestLeaf(intermediate, {
			uris: [NAME],
			now: NOW,
			keyAlgorithm: "P-384",
		});
		const path = await validateCertificatePath(
			leaf.certificate,
			certificates(intermediate),
			certificates(root),
			NOW,
		);
		expect(path).toHaveLength(3);
	});

	it("accepts two intermediates within pathLength", async () => {
		const root = await createTestRoot({ now: NOW, pathLength: 2 });
		const upper = await createTestIntermediate(root, {
			now: NOW,
			subject: "CN=Upper CA",
			pathLength: 1,
		});
		const lower = await createTestIntermediate(upper, {
			now: NOW,
			subject: "CN=Lower CA",
			pathLength: 0,
		});
		const leaf = await issueTestLeaf(lower, { uris: [NAME], now: NOW });
		const path = await validateCertificatePath(
			leaf.certificate,
			certificates(upper, lower),
			certificates(root),
			NOW,
		);
		expect(path.map((certificate) => certificate.subject)).toEqual([
			leaf.certificate.subject,
			"CN=Lower CA",
			"CN=Upper CA",
			root.certificate.subject,
		]);
	});

	it("rejects a missing intermediate", async () => {
		const failure = await failureOf(
			validateCertificatePath(
				pki.leaf.certificate,
				[],
				certificates(pki.root),
				NOW,
			),
		);
		expect(failure.code).toBe("CERT_CHAIN_INVALID");
		expect(failure.message).toContain(pki.intermediate.certificate.subject);
	});

	it("rejects an intermediate with another key", async () => {
		// Same subject name as the real intermediate, signed by the trusted root, but not the key that signed the leaf.
		const impostor = await createTestIntermediate(pki.root, { now: NOW });
		const failure = await failureOf(
			validateCertificatePath(
				pki.leaf.certificate,
				certificates(impostor),
				certificates(pki.root),
				NOW,
			),
		);
		expect(failure.code).toBe("CERT_CHAIN_INVALID");
		expect(failure.message).toContain("does not verify");
	});

	it("rejects a self-signed leaf", async () => {
		const selfSigned = await createTestRoot({
			now: NOW,
			subject: "CN=agt_self",
		});
		const failure = await failureOf(
			validateCertificatePath(
				selfSigned.certificate,
				[],
				certificates(pki.root),
				NOW,
			),
		);
		expect(failure.code).toBe("CERT_UNTRUSTED_ROOT");
	});

	it("rejects an empty trust anchor list", async () => {
		const failure = await failureOf(
			validateCertificatePath(
				pki.leaf.certificate,
				certificates(pki.intermediate),
				[],
				NOW,
			),
		);
		expect(failure.code).toBe("CERT_UNTRUSTED_ROOT");
		expect(failure.field).toBe("trustAnchors");
	});

	it("rejects an intermediate that is not a CA", async () => {
		const notCa = await createTestIntermediate(pki.root, {
			now: NOW,
			ca: false,
		});
		const leaf = await issueTestLeaf(notCa, { uris: [NAME], now: NOW });
		const failure = await failureOf(
			validateCertificatePath(
				leaf.certificate,
				certificates(notCa),
				certificates(pki.root),
				NOW,
			),
		);
		expect(failure.code).toBe("CERT_CHAIN_INVALID");
		expect(failure.message).toContain("not a CA");
	});

	it("rejects an intermediate without keyCertSign", async () => {
		const crlOnly = await createTestIntermediate(pki.root, {
			now: NOW,
			keyUsages: x509.KeyUsageFlags.cRLSign,
		});
		const leaf = await issueTestLeaf(crlOnly, { uris: [NAME], now: NOW });
		const failure = await failureOf(
			validateCertificatePath(
				leaf.certificate,
				certificates(crlOnly),
				certificates(pki.root),
				NOW,
			),
		);
		expect(failure.code).toBe("CERT_CHAIN_INVALID");
		expect(failure.message).toContain("keyCertSign");
	});

	it("rejects a violated intermediate pathLength", async () => {
		// The intermediate allows no CA below it, but issues a second intermediate.
		const lower = await createTestIntermediate(pki.intermediate, {
			now: NOW,
			subject: "CN=Lower CA",
		});
		const leaf = await issueTestLeaf(lower, { uris: [NAME], now: NOW });
		const failure = await failureOf(
			validateCertificatePath(
				leaf.certificate,
				certificates(lower, pki.intermediate),
				certificates(pki.root),
				NOW,
			),
		);
		expect(failure.code).toBe("CERT_CHAIN_INVALID");
		expect(failure.message).toContain("pathLenConstraint");
		expect(failure.message).toContain(pki.intermediate.certificate.subject);
	});

	it("rejects a violated root pathLength", async () => {
		const root = await createTestRoot({ now: NOW, pathLength: 0 });
		const intermediate = await createTestIntermediate(root, { now: NOW });
		const leaf = await issueTestLeaf(intermediate, { uris: [NAME], now: NOW });
		const failure = await failureOf(
			validateCertificatePath(
				leaf.certificate,
				certificates(intermediate),
				certificates(root),
				NOW,
			),
		);
		expect(failure.code).toBe("CERT_CHAIN_INVALID");
		expect(failure.message).toContain("trust anchor");
	});

	it("rejects an unknown critical extension", async () => {
		const nullValue = new Uint8Array([0x05, 0x00]);
		const extension = new x509.Extension(
			"1.3.6.1.4.1.55555.1",
			true,
			nullValue,
		);
		const intermediate = await createTestIntermediate(pki.root, {
			now: NOW,
			extensions: [extension],
		});
		const leaf = await issueTestLeaf(intermediate, { uris: [NAME], now: NOW });
		const failure = await failureOf(
			validateCertificatePath(
				leaf.certificate,
				certificates(intermediate),
				certificates(pki.root),
				NOW,
			),
		);
		expect(failure.code).toBe("CERT_CHAIN_INVALID");
		expect(failure.message).toContain("1.3.6.1.4.1.55555.1");
	});

	it("accepts an unknown non-critical extension", async () => {
		const extension = new x509.Extension(
			"1.3.6.1.4.1.55555.1",
			false,
			new Uint8Array([0x05, 0x00]),
		);
		const leaf = await issueTestLeaf(pki.intermediate, {
			uris: [NAME],
			now: NOW,
			extensions: [extension],
		});
		const path = await validateCertificatePath(
			leaf.certificate,
			certificates(pki.intermediate),
			certificates(pki.root),
			NOW,
		);
		expect(path).toHaveLength(3);
	});

	it("rejects a not-yet-valid leaf", async () => {
		const leaf = await issueTestLeaf(pki.intermediate, {
			uris: [NAME],
			notBefore: new Date(NOW.getTime() + HOUR_MS),
			notAfter: new Date(NOW.getTime() + 48 * HOUR_MS),
		});
		const failure = await failureOf(
			validateCertificatePath(
				leaf.certificate,
				certificates(pki.intermediate),
				certificates(pki.root),
				NOW,
			),
		);
		expect(failure.code).toBe("CERT_NOT_YET_VALID");
		expect(failure.field).toBe("certificate");
	});

	it("rejects an expired trust anchor", async () => {
		const root = await createTestRoot({
			notBefore: new Date(NOW.getTime() - 96 * HOUR_MS),
			notAfter: new Date(NOW.getTime() - HOUR_MS),
		});
		const intermediate = await createTestIntermediate(root, { now: NOW });
		const leaf = await issueTestLeaf(intermediate, { uris: [NAME], now: NOW });
		const failure = await failureOf(
			validateCertificatePath(
				leaf.certificate,
				certificates(intermediate),
				certificates(root),
				NOW,
			),
		);
		expect(failure.code).toBe("CERT_EXPIRED");
		expect(failure.message).toContain("trust anchor");
	});

	it("rejects the chain a year later", async () => {
		// The test PKI is valid for 30 to 365 days, so it has expired 400 days after NOW.
		const later = new Date(NOW.getTime() + 400 * 24 * HOUR_MS);
		const failure = await failureOf(
			validateCertificatePath(
				pki.leaf.certificate,
				certificates(pki.intermediate),
				certificates(pki.root),
				later,
			),
		);
		expect(failure.code).toBe("CERT_EXPIRED");
	});
});

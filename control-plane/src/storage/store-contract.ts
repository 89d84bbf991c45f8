/**
 * Behaviour every {@link Store} implementation must have. Each dialect's
 * test file calls {@link describeStoreContract} with its own factory, so
 * the same cases run against libSQL and PostgreSQL.
 *
 * @module
 */
import { x509 } from "@ans/shared/keys";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { publicKeySha256 } from "../certificates/public-key-hash.ts";
import {
	type AgentRow,
	type CertificateRow,
	type Store,
	type TokenRow,
	UniqueViolationError,
} from "./types.ts";

/** Registers the shared store cases under `describe(name)`. */
export function describeStoreContract(
	name: string,
	openStore: () => Promise<{ store: Store; cleanup: () => Promise<void> }>,
): void {
	describe(name, () => {
		let store: Store;
		let cleanup: () => Promise<void>;

		beforeEach(async () => {
			({ store, cleanup } = await openStore());
			await store.migrate();
		});

		afterEach(async () => {
			await cleanup();
		});

		it("migrates twice without error", async () => {
			await store.migrate();
			await store.ping();
			expect(await store.headSeq()).toBe(0);
		});

		it("assigns gap-free increasing sequences", async () => {
			const seqs: number[] = [];
			await Promise.all(
				[1, 2, 3, 4, 5].map(() =>
					store.transaction(async (tx) => {
						const seq = await tx.nextSeq();
						await tx.appendChange(change(seq));
						seqs.push(seq);
					}),
				),
			);
			expect([...seqs].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
			expect(await store.headSeq()).toBe(5);
			const listed = await store.listChanges(2, 10);
			expect(listed.map((row) => row.seq)).toEqual([3, 4, 5]);
		});

		it("rolls back every write of a failed transaction", async () => {
			const failing = store.transaction(async (tx) => {
				await tx.insertAgent(agent("agt_1", "1.0.0"));
				await tx.appendChange(change(await tx.nextSeq()));
				throw new Error("boom");
			});
			await expect(failing).rejects.toThrow("boom");
			expect(await store.findAgentById("agt_1")).toBeUndefined();
			expect(await store.headSeq()).toBe(0);
			await store.transaction(async (tx) => {
				expect(await tx.nextSeq()).toBe(1);
			});
		});

		it("rejects a second agent with the same base key and version", async () => {
			await store.transaction((tx) => tx.insertAgent(agent("agt_1", "1.0.0")));
			const duplicate = store.transaction((tx) =>
				tx.insertAgent(agent("agt_2", "1.0.0")),
			);
			await expect(duplicate).rejects.toBeInstanceOf(UniqueViolationError);
			await store.transaction((tx) => tx.insertAgent(agent("agt_3", "1.1.0")));
			const versions = (await store.findAgentsByBaseKey("a2a://x.y.z")).map(
				(row) => row.version,
			);
			expect(versions.sort()).toEqual(["1.0.0", "1.1.0"]);
		});

		it("rejects a replayed proof nonce", async () => {
			await store.recordProofNonce("jti-1", "agt_1", 1_000);
			await expect(
				store.recordProofNonce("jti-1", "agt_1", 1_000),
			).rejects.toBeInstanceOf(UniqueViolationError);
			await store.recordProofNonce("jti-2", "agt_1", 5_000);
			expect(await store.purgeProofNonces(2_000)).toBe(1);
			await store.recordProofNonce("jti-1", "agt_1", 1_000);
		});

		it("finds active agents with expiring certificates", async () => {
			await store.transaction(async (tx) => {
				await tx.insertAgent(agent("agt_1", "1.0.0"));
				await tx.insertAgent({ ...agent("agt_2", "2.0.0"), status: "revoked" });
				await tx.insertAgent(agent("agt_3", "3.0.0"));
				await tx.insertCertificate(certificate("agt_1", 100));
				await tx.insertCertificate(certificate("agt_2", 100));
				await tx.insertCertificate(certificate("agt_3", 900));
			});
			const due = await store.findActiveAgentsWithCertificatesExpiringBefore(
				500,
				10,
			);
			expect(due.map((row) => row.id)).toEqual(["agt_1"]);
		});

		it("lists certificates by public key", async () => {
			await store.transaction(async (tx) => {
				await tx.insertAgent(agent("agt_1", "1.0.0"));
				await tx.insertAgent(agent("agt_2", "2.0.0"));
				await tx.insertCertificate({
					...certificate("agt_2", 100),
					publicKeySha256: "shared-key",
					createdAt: 5,
				});
				await tx.insertCertificate({
					...certificate("agt_1", 100),
					publicKeySha256: "shared-key",
					createdAt: 3,
				});
				await tx.insertCertificate({
					...certificate("agt_1", 100),
					serial: "serial-other",
					publicKeySha256: "other-key",
				});
			});
			const listed = await store.listCertificatesByPublicKey("shared-key");
			expect(listed.map((row) => row.serial)).toEqual([
				"serial-agt_1",
				"serial-agt_2",
			]);
			expect(await store.listCertificatesByPublicKey("unknown")).toEqual([]);
		});

		it("fills missing key hashes on migrate", async () => {
			const issued = await selfSignedCertificate();
			await store.transaction(async (tx) => {
				await tx.insertAgent(agent("agt_1", "1.0.0"));
				await tx.insertCertificate({
					...certificate("agt_1", 100),
					pem: issued.pem,
					publicKeySha256: null,
				});
				await tx.insertCertificate({
					...certificate("agt_1", 100),
					serial: "serial-unparsable",
					pem: "not a certificate",
					publicKeySha256: null,
				});
			});
			await store.migrate();
			const filled = await store.findCertificate("serial-agt_1");
			expect(filled?.publicKeySha256).toBe(issued.publicKeySha256);
			const unparsable = await store.findCertificate("serial-unparsable");
			expect(unparsable?.publicKeySha256).toBeNull();
		});

		it("lists tokens oldest first", async () => {
			await store.insertToken(token("tok_b", 20));
			await store.insertToken(token("tok_a", 10));
			await store.insertToken(token("tok_c", 20));
			const listed = await store.listTokens();
			expect(listed.map((row) => row.id)).toEqual(["tok_a", "tok_b", "tok_c"]);
			expect(listed[0]).toEqual(token("tok_a", 10));
		});

		it("revokes a token once", async () => {
			await store.insertToken(token("tok_a", 10));
			const first = await store.revokeToken("tok_a", 100);
			expect(first?.revokedAt).toBe(100);
			const second = await store.revokeToken("tok_a", 200);
			expect(second).toEqual({ ...token("tok_a", 10), revokedAt: 100 });
			const found = await store.findTokenByHash("hash-tok_a");
			expect(found?.revokedAt).toBe(100);
		});

		it("revokes no token for an unknown id", async () => {
			await store.insertToken(token("tok_a", 10));
			expect(await store.revokeToken("tok_missing", 100)).toBeUndefined();
			const found = await store.findTokenByHash("hash-tok_a");
			expect(found?.revokedAt).toBeNull();
		});

		it("finds records expiring before a time", async () => {
			await store.transaction(async (tx) => {
				await tx.insertAgent({
					...agent("agt_1", "1.0.0"),
					recordExpiresAt: 100,
				});
				await tx.insertAgent({
					...agent("agt_2", "2.0.0"),
					recordExpiresAt: 300,
				});
			});
			const due = await store.findAgentsWithRecordsExpiringBefore(200, 10);
			expect(due.map((row) => row.id)).toEqual(["agt_1"]);
		});
	});
}

function agent(id: string, version: string): AgentRow {
	return {
		id,
		baseKey: "a2a://x.y.z",
		version,
		name: `a2a://x.y.z.v${version}`,
		displayName: `a2a://x.y.z.v${version}`,
		protocol: "a2a",
		agentLabel: "x",
		capability: "y",
		provider: "z",
		extension: null,
		status: "active",
		endpointsJson: "[]",
		metadataJson: "{}",
		metadataDigest: "sha-256:00",
		certificateSerial: `serial-${id}`,
		recordJws: "jws",
		recordKid: "kid",
		recordExpiresAt: 1,
		seq: 1,
		createdAt: 1,
		updatedAt: 1,
		description: "",
		capabilitiesJson: "[]",
		searchNames: "",
		searchSkills: "",
	};
}

function certificate(agentId: string, notAfter: number): CertificateRow {
	return {
		serial: `serial-${agentId}`,
		agentId,
		issuerId: "1",
		sha256: "00",
		publicKeySha256: `key-${agentId}`,
		pem: "pem",
		notBefore: 0,
		notAfter,
		revokedAt: null,
		revocationReason: null,
		createdAt: 1,
	};
}

/** Creates a self-signed P-256 certificate and the hash of its key's SubjectPublicKeyInfo. */
async function selfSignedCertificate(): Promise<{
	pem: string;
	publicKeySha256: string;
}> {
	const algorithm = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
	const keys = await crypto.subtle.generateKey(algorithm, true, [
		"sign",
		"verify",
	]);
	const certificate = await x509.X509CertificateGenerator.createSelfSigned({
		serialNumber: "01",
		name: "CN=store contract",
		notBefore: new Date(0),
		notAfter: new Date(86_400_000),
		keys,
		signingAlgorithm: algorithm,
	});
	const spki = await crypto.subtle.exportKey("spki", keys.publicKey);
	return {
		pem: certificate.toString("pem"),
		publicKeySha256: publicKeySha256(spki),
	};
}

function token(id: string, createdAt: number): TokenRow {
	return {
		id,
		hash: `hash-${id}`,
		scopes: "register",
		label: `label of ${id}`,
		createdAt,
		expiresAt: null,
		revokedAt: null,
	};
}

function change(seq: number) {
	return {
		seq,
		type: "test",
		agentId: "agt_1",
		baseKey: "a2a://x.y.z",
		payloadJson: "{}",
		createdAt: 1,
	};
}

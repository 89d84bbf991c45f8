import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isAnsError } from "../errors.ts";
import { AGENT_KEY_TYPES } from "./agent-key-type.ts";
import { createCsr } from "./create-csr.ts";
import { generateAgentKeyPair } from "./generate-agent-key-pair.ts";
import { decodePem } from "./pem.ts";

const CANONICAL_NAME =
	"a2a://textprocessor.documenttranslation.acmecorp.v2.1.0.hipaa";
const AGENT_ID = "textprocessor";

const workDir = mkdtempSync(join(tmpdir(), "ans-create-csr-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/**
 * Runs openssl and returns stdout and stderr together, because `req -verify`
 * in OpenSSL 3.0 reports on stderr and exits 0 even when verification fails.
 */
function openssl(args: string[]): string {
	const result = spawnSync("openssl", args, { encoding: "utf8" });
	if (result.error) {
		throw result.error;
	}
	return `${result.stdout}${result.stderr}`;
}

describe("createCsr", () => {
	for (const keyType of AGENT_KEY_TYPES) {
		it(`${keyType} CSR passes openssl req -verify`, async () => {
			const keys = await generateAgentKeyPair(keyType);
			const pem = await createCsr({
				keys,
				canonicalName: CANONICAL_NAME,
				agentId: AGENT_ID,
			});
			const file = join(workDir, `${keyType}.csr`);
			writeFileSync(file, pem);

			expect(decodePem(pem)?.label).toBe("CERTIFICATE REQUEST");
			const verifyOutput = openssl(["req", "-verify", "-noout", "-in", file]);
			expect(verifyOutput).toContain("verify OK");
			const text = openssl(["req", "-noout", "-text", "-in", file]);
			expect(text).toContain(`URI:${CANONICAL_NAME}`);
			expect(text).toContain(`CN = ${AGENT_ID}`);
		});
	}

	it("rejects empty agentId", async () => {
		const keys = await generateAgentKeyPair();
		const error = await createCsr({
			keys,
			canonicalName: CANONICAL_NAME,
			agentId: "",
		}).catch((caught: unknown) => caught);
		expect(isAnsError(error)).toBe(true);
		expect(error).toMatchObject({
			code: "CERT_SUBJECT_INVALID",
			field: "agentId",
		});
	});

	it("rejects canonical name with space", async () => {
		const keys = await generateAgentKeyPair();
		const error = await createCsr({
			keys,
			canonicalName: "a2a://text processor",
			agentId: AGENT_ID,
		}).catch((caught: unknown) => caught);
		expect(error).toMatchObject({
			code: "CERT_SAN_URI_INVALID",
			field: "canonicalName",
		});
	});

	it("rejects keys without private key", async () => {
		const { publicKey } = await generateAgentKeyPair();
		const error = await createCsr({
			keys: { publicKey, privateKey: publicKey },
			canonicalName: CANONICAL_NAME,
			agentId: AGENT_ID,
		}).catch((caught: unknown) => caught);
		expect(error).toMatchObject({ code: "KEY_PAIR_INVALID", field: "keys" });
	});
});

import { describe, expect, it } from "vitest";
import type { AgentKeyType } from "./agent-key-type.ts";
import { generateAgentKeyPair } from "./generate-agent-key-pair.ts";

describe("generateAgentKeyPair", () => {
	it("defaults to P-256", async () => {
		const { publicKey } = await generateAgentKeyPair();
		expect(publicKey.algorithm).toMatchObject({
			name: "ECDSA",
			namedCurve: "P-256",
		});
	});

	it("makes RSA-3072 with 3072-bit modulus", async () => {
		const { publicKey } = await generateAgentKeyPair("RSA-3072");
		expect(publicKey.algorithm).toMatchObject({
			name: "RSASSA-PKCS1-v1_5",
			modulusLength: 3072,
		});
	});

	it("rejects unknown key type", async () => {
		await expect(
			generateAgentKeyPair("RSA-1024" as AgentKeyType),
		).rejects.toMatchObject({ code: "KEY_TYPE_UNSUPPORTED", field: "keyType" });
	});
});

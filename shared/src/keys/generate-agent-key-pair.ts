import { type AgentKeyType, keyGenerationParams } from "./agent-key-type.ts";

/**
 * Generates an extractable agent key pair with WebCrypto, so the private key
 * can be written out with {@link exportPrivateKeyPem}.
 *
 * @param keyType the key type; defaults to P-256.
 */
export async function generateAgentKeyPair(
	keyType: AgentKeyType = "P-256",
): Promise<CryptoKeyPair> {
	const params = keyGenerationParams(keyType);
	return (await globalThis.crypto.subtle.generateKey(params, true, [
		"sign",
		"verify",
	])) as CryptoKeyPair;
}

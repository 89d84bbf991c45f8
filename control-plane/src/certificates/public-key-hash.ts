/**
 * Key fingerprints, stored with every certificate row, so that the
 * certificates and CSRs of one key pair can be matched.
 *
 * @module
 */
import { createHash, createPublicKey, X509Certificate } from "node:crypto";

/**
 * Computes the SHA-256 of a DER SubjectPublicKeyInfo, as lowercase hex,
 * after re-encoding the key in one canonical form. An EC public key has
 * two encodings, with a compressed or an uncompressed point, and a CSR may
 * use either. Hashing the bytes as sent would let the same key pass as a
 * different one. A key imported from JWK exports with an uncompressed
 * point (checked on Node 20.20), so the key goes through JWK and back.
 *
 * Throws when Node cannot import the key, for example an EC key with
 * explicit curve parameters.
 */
export function publicKeySha256(spkiDer: BufferSource): string {
	const bytes = ArrayBuffer.isView(spkiDer)
		? new Uint8Array(spkiDer.buffer, spkiDer.byteOffset, spkiDer.byteLength)
		: new Uint8Array(spkiDer);
	const imported = createPublicKey({
		key: Buffer.from(bytes),
		format: "der",
		type: "spki",
	});
	const canonical = createPublicKey({
		key: imported.export({ format: "jwk" }),
		format: "jwk",
	}).export({ type: "spki", format: "der" });
	return createHash("sha256").update(canonical).digest("hex");
}

/**
 * Computes {@link publicKeySha256} of the key in a PEM certificate. Throws
 * when the PEM is not a certificate that Node can parse.
 */
export function certificatePublicKeySha256(pem: string): string {
	const spki = new X509Certificate(pem).publicKey.export({
		type: "spki",
		format: "der",
	});
	return publicKeySha256(spki);
}

import { canonicalJson } from "./canonical-json.ts";

/** Encodes bytes as lowercase hex. */
export function bytesToHex(bytes: Uint8Array): string {
	let hex = "";
	for (const byte of bytes) {
		hex += byte.toString(16).padStart(2, "0");
	}
	return hex;
}

/** Hashes bytes with SHA-256 and returns the digest as lowercase hex. */
export async function sha256Hex(data: BufferSource): Promise<string> {
	const digest = await crypto.subtle.digest("SHA-256", data);
	return bytesToHex(new Uint8Array(digest));
}

/**
 * Hashes the canonical JSON (UTF-8) of protocol metadata with SHA-256 and
 * returns `sha-256:<lowercase hex>`, the form of a record's `metadataDigest`.
 *
 * @throws AnsError `JSON_VALUE_INVALID` when the metadata is not plain JSON data.
 */
export async function metadataDigest(metadata: unknown): Promise<string> {
	const bytes = new TextEncoder().encode(canonicalJson(metadata));
	return `sha-256:${await sha256Hex(bytes)}`;
}

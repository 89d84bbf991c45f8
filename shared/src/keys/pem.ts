/**
 * Strict PEM (RFC 7468) decoding and encoding. It uses only `atob` and `btoa`,
 * so it runs in Node and in browsers.
 *
 * @module
 */

const PEM_BLOCK =
	/^-----BEGIN ([A-Z0-9 ]+)-----\r?\n([A-Za-z0-9+/=\r\n]+?)\r?\n?-----END ([A-Z0-9 ]+)-----$/;

/** A decoded PEM block: its label (such as `CERTIFICATE REQUEST`) and DER bytes. */
export interface PemBlock {
	label: string;
	der: Uint8Array<ArrayBuffer>;
}

/**
 * Decodes text that contains exactly one PEM block, optionally surrounded by
 * whitespace. Returns `undefined` when the text is not such a block, when the
 * BEGIN and END labels differ, or when the body is not valid base64.
 */
export function decodePem(text: string): PemBlock | undefined {
	const match = PEM_BLOCK.exec(text.trim());
	if (match === null) {
		return undefined;
	}
	const [, beginLabel, body, endLabel] = match;
	if (
		beginLabel === undefined ||
		body === undefined ||
		beginLabel !== endLabel
	) {
		return undefined;
	}
	const base64 = body.replace(/\r?\n/g, "");
	if (base64.length === 0 || base64.length % 4 !== 0) {
		return undefined;
	}
	let binary: string;
	try {
		binary = atob(base64);
	} catch {
		return undefined;
	}
	const der = new Uint8Array(binary.length);
	for (let i = 0; i < binary.length; i++) {
		der[i] = binary.charCodeAt(i);
	}
	return { label: beginLabel, der };
}

/** Encodes DER bytes as a PEM block with 64-character lines and a final newline. */
export function encodePem(
	der: Uint8Array | ArrayBuffer,
	label: string,
): string {
	const bytes = der instanceof Uint8Array ? der : new Uint8Array(der);
	let binary = "";
	for (const byte of bytes) {
		binary += String.fromCharCode(byte);
	}
	const base64 = btoa(binary);
	const lines: string[] = [];
	for (let offset = 0; offset < base64.length; offset += 64) {
		lines.push(base64.slice(offset, offset + 64));
	}
	return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

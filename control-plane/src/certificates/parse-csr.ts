import { AnsError } from "@ans/shared/errors";
import { decodePem, x509 } from "@ans/shared/keys";
import { type CertifiedKeyType, classifyPublicKey } from "./public-key-type.ts";

/** Largest accepted CSR PEM, in bytes of UTF-8 text. */
export const MAX_CSR_PEM_BYTES = 16 * 1024;

/** A CSR that passed {@link parseCsr}. */
export interface ParsedCsr {
	request: x509.Pkcs10CertificateRequest;
	/** The key to certify, taken from the request's SubjectPublicKeyInfo. */
	publicKey: x509.PublicKey;
	keyType: CertifiedKeyType;
	/** Modulus size in bits, for RSA keys only. */
	rsaBits?: number;
}

/**
 * Parses a PKCS#10 CSR in PEM form and checks it in this order, each check
 * with its own error code (status 400, `field`):
 *
 * 1. at most {@link MAX_CSR_PEM_BYTES} bytes, else `CSR_TOO_LARGE`;
 * 2. exactly one `CERTIFICATE REQUEST` PEM block containing one DER structure
 *    that parses as a CSR, else `CSR_INVALID`;
 * 3. a key type the CA certifies (see {@link classifyPublicKey}), else
 *    `CSR_KEY_TYPE_FORBIDDEN`;
 * 4. a signature that verifies with the CSR's own key, which proves that the
 *    requester possesses the private key, else `CSR_SIGNATURE_INVALID`.
 *
 * The CSR's subject and requested extensions are ignored. The CA builds the
 * subject and SubjectAltName from the registered name, so only the public key
 * and the proof of possession matter.
 */
export async function parseCsr(
	pem: unknown,
	field = "csr",
): Promise<ParsedCsr> {
	if (typeof pem !== "string") {
		throw invalid(
			field,
			`${field} must be a PEM string but is ${describeType(pem)}`,
		);
	}
	const size = new TextEncoder().encode(pem).byteLength;
	if (size > MAX_CSR_PEM_BYTES) {
		throw new AnsError(
			"CSR_TOO_LARGE",
			`${field} is ${size} bytes long; a CSR PEM may be at most ${MAX_CSR_PEM_BYTES} bytes`,
			{ status: 400, field },
		);
	}

	const block = decodePem(pem);
	if (block === undefined) {
		throw invalid(
			field,
			`${field} is not a PEM block; send one "-----BEGIN CERTIFICATE REQUEST-----" block with base64 content`,
		);
	}
	if (block.label !== "CERTIFICATE REQUEST") {
		throw invalid(
			field,
			`${field} is a "${block.label}" PEM block, not a "CERTIFICATE REQUEST"; send a PKCS#10 CSR`,
		);
	}
	const request = decodeRequest(block.der, field);

	const { keyType, rsaBits } = classifyPublicKey(
		request.publicKey.rawData,
		field,
	);

	await verifyProofOfPossession(request, field);

	const parsed: ParsedCsr = { request, publicKey: request.publicKey, keyType };
	if (rsaBits !== undefined) {
		parsed.rsaBits = rsaBits;
	}
	return parsed;
}

function decodeRequest(
	der: Uint8Array<ArrayBuffer>,
	field: string,
): x509.Pkcs10CertificateRequest {
	if (derElementLength(der) !== der.byteLength) {
		throw invalid(
			field,
			`${field} does not contain exactly one DER structure (the length is inconsistent or bytes follow it); send the CSR as written by the tool that made it`,
		);
	}
	try {
		return new x509.Pkcs10CertificateRequest(der);
	} catch (error) {
		throw invalid(
			field,
			`${field} is not a valid PKCS#10 certificate request (${errorMessage(error)})`,
			error,
		);
	}
}

async function verifyProofOfPossession(
	request: x509.Pkcs10CertificateRequest,
	field: string,
): Promise<void> {
	let valid: boolean;
	try {
		valid = await request.verify();
	} catch (error) {
		throw signatureInvalid(
			field,
			`the signature of ${field} could not be checked with its public key (${errorMessage(error)})`,
			error,
		);
	}
	if (!valid) {
		throw signatureInvalid(
			field,
			`the signature of ${field} does not verify with the public key it contains; sign the CSR with the private key of that public key`,
		);
	}
}

/**
 * Returns the total length (header and content) of the DER element at the
 * start of `der`, or -1 when the header is malformed. Only definite lengths
 * of up to 4 length bytes are accepted, as in DER.
 */
function derElementLength(der: Uint8Array): number {
	const lengthByte = der[1];
	if (der[0] !== 0x30 || lengthByte === undefined) {
		return -1;
	}
	if (lengthByte < 0x80) {
		return 2 + lengthByte;
	}
	const lengthBytes = lengthByte & 0x7f;
	if (
		lengthBytes === 0 ||
		lengthBytes > 4 ||
		der.byteLength < 2 + lengthBytes
	) {
		return -1;
	}
	let length = 0;
	for (let i = 0; i < lengthBytes; i++) {
		length = length * 256 + (der[2 + i] ?? 0);
	}
	return 2 + lengthBytes + length;
}

function invalid(field: string, message: string, cause?: unknown): AnsError {
	return new AnsError("CSR_INVALID", message, { status: 400, field, cause });
}

function signatureInvalid(
	field: string,
	message: string,
	cause?: unknown,
): AnsError {
	return new AnsError("CSR_SIGNATURE_INVALID", message, {
		status: 400,
		field,
		cause,
	});
}

function describeType(value: unknown): string {
	return value === null ? "null" : typeof value;
}

function errorMessage(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

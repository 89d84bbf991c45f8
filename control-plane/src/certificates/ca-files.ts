import { readdir, readFile } from "node:fs/promises";
import { AnsError } from "@ans/shared/errors";
import { decodePem, encodePem, x509 } from "@ans/shared/keys";
import { writeFileAtomic } from "../keystore/index.ts";
import type { CaPaths } from "./ca-directory.ts";

/**
 * Reads a PEM certificate file of the CA. Raises `CA_CERTIFICATE_INVALID`
 * when the file is not one `CERTIFICATE` block that parses.
 */
export async function readCertificateFile(
	path: string,
): Promise<x509.X509Certificate> {
	const block = decodePem(await readFile(path, "utf8"));
	if (block?.label !== "CERTIFICATE") {
		throw certificateInvalid(path, "it is not a single CERTIFICATE PEM block");
	}
	try {
		return new x509.X509Certificate(block.der);
	} catch (error) {
		throw certificateInvalid(
			path,
			"it does not parse as an X.509 certificate",
			error,
		);
	}
}

/** Writes a certificate as PEM, atomically and without replacing a file. */
export async function writeCertificateFile(
	path: string,
	certificate: x509.X509Certificate,
): Promise<void> {
	await writeCaFile(path, toPem(certificate));
}

/**
 * Writes a CA directory file with mode 0644, atomically. An existing file is
 * replaced only with `overwrite`.
 */
export async function writeCaFile(
	path: string,
	contents: string,
	options: { overwrite?: boolean } = {},
): Promise<void> {
	try {
		await writeFileAtomic(path, contents, {
			mode: 0o644,
			overwrite: options.overwrite === true,
		});
	} catch (error) {
		const code = (error as { code?: unknown }).code;
		throw new AnsError(
			"CA_DIRECTORY_WRITE_FAILED",
			`could not write ${path} (${String(code)}); check that the CA directory is writable and that no other process creates a CA there`,
			{ status: 500, cause: error },
		);
	}
}

/** Encodes a certificate as PEM with `\n` line endings and a final newline. */
export function toPem(certificate: x509.X509Certificate): string {
	return encodePem(certificate.rawData, "CERTIFICATE");
}

/** Lists the ids of all intermediates with a certificate file, in ascending order. */
export async function listIntermediateIds(paths: CaPaths): Promise<string[]> {
	const names = await readdir(paths.intermediatesDir);
	return names
		.filter((name) => /^[1-9][0-9]{0,8}\.pem$/.test(name))
		.map((name) => name.slice(0, -".pem".length))
		.sort((a, b) => Number(a) - Number(b));
}

/**
 * Raises `CA_KEY_MISMATCH` unless `certificate` certifies `publicKey`, which
 * catches a key file and a certificate file that do not belong together.
 */
export async function checkKeyMatchesCertificate(
	path: string,
	certificate: x509.X509Certificate,
	publicKey: CryptoKey,
): Promise<void> {
	const spki = new Uint8Array(await crypto.subtle.exportKey("spki", publicKey));
	const certified = new Uint8Array(certificate.publicKey.rawData);
	if (!Buffer.from(spki).equals(Buffer.from(certified))) {
		throw new AnsError(
			"CA_KEY_MISMATCH",
			`the certificate in ${path} does not belong to its private key file; restore the matching pair from a backup`,
			{ status: 500 },
		);
	}
}

/** Builds a `CA_CERTIFICATE_INVALID` error for the certificate file at `path`. */
export function certificateInvalid(
	path: string,
	reason: string,
	cause?: unknown,
): AnsError {
	return new AnsError(
		"CA_CERTIFICATE_INVALID",
		`CA certificate ${path} is invalid: ${reason}. Restore it from a backup.`,
		{ status: 500, cause },
	);
}

import {
	createPrivateKey,
	createPublicKey,
	KeyObject,
	type PrivateKeyInput,
} from "node:crypto";
import { readFile } from "node:fs/promises";
import { AnsError } from "@ans/shared/errors";
import { decodePem } from "@ans/shared/keys";
import { writeFileAtomic } from "./atomic-write.ts";
import {
	describeKeyAlgorithm,
	describeKeyObject,
	isSupportedKeyObject,
	type KeyPairAlgorithm,
	keyObjectMatches,
} from "./key-algorithm.ts";

/**
 * Cipher for encrypted key files. Node 20 with OpenSSL 3.0 wraps it in PBES2
 * with PBKDF2-HMAC-SHA256 at 2048 iterations, and the export API offers no
 * way to raise the count.
 * NOTE: 2048 iterations slow down offline guessing only a little, so use a
 * long random passphrase.
 */
const KEY_FILE_CIPHER = "aes-256-cbc";

/** Options of {@link saveKeyPair}. */
export interface SaveKeyPairOptions {
	/** Encrypts the file as `ENCRYPTED PRIVATE KEY` when set. */
	passphrase?: string;
	/** Whether to replace an existing file. By default an existing key is never replaced. */
	overwrite?: boolean;
}

/** Options of {@link loadKeyPair}. */
export interface LoadKeyPairOptions {
	/** Passphrase of an encrypted key file. Set it exactly when the file is encrypted. */
	passphrase?: string;
	/** Whether the private CryptoKey is extractable. The public key always is. */
	extractable?: boolean;
}

/**
 * Saves the private key of `keys` as a PKCS#8 PEM file with mode 0600,
 * creating missing directories with mode 0700. The public key is not stored
 * because {@link loadKeyPair} derives it from the private key. The write is
 * atomic, so a crash never leaves a partial key file.
 *
 * The private key must be extractable. Raises `KEY_FILE_EXISTS` when the file
 * exists and `overwrite` is not set.
 */
export async function saveKeyPair(
	path: string,
	keys: CryptoKeyPair,
	options: SaveKeyPairOptions = {},
): Promise<void> {
	checkPassphrase(options.passphrase, path);
	if (!keys.privateKey.extractable) {
		throw new AnsError(
			"KEY_NOT_EXTRACTABLE",
			`cannot save the key to ${path}: the private key is not extractable; generate it with extractable set to true`,
			{ status: 500 },
		);
	}
	const keyObject = KeyObject.from(keys.privateKey);
	if (!isSupportedKeyObject(keyObject)) {
		throw new AnsError(
			"KEY_ALGORITHM_UNSUPPORTED",
			`cannot save the ${describeKeyObject(keyObject)} key to ${path}: the key store holds only ECDSA P-256 or P-384, Ed25519 and RSA keys`,
			{ status: 500 },
		);
	}
	const pem =
		options.passphrase === undefined
			? keyObject.export({ format: "pem", type: "pkcs8" })
			: keyObject.export({
					format: "pem",
					type: "pkcs8",
					cipher: KEY_FILE_CIPHER,
					passphrase: options.passphrase,
				});

	try {
		await writeFileAtomic(path, pem, {
			mode: 0o600,
			overwrite: options.overwrite === true,
		});
	} catch (error) {
		if (errorCode(error) === "EEXIST") {
			throw new AnsError(
				"KEY_FILE_EXISTS",
				`key file ${path} exists already; move it away first or pass overwrite: true to replace it`,
				{ status: 500, cause: error },
			);
		}
		throw new AnsError(
			"KEY_FILE_WRITE_FAILED",
			`could not write key file ${path} (${errorCode(error)}); check that the directory is writable`,
			{ status: 500, cause: error },
		);
	}
}

/**
 * Loads a PKCS#8 PEM private key file and returns it with its public key as
 * WebCrypto keys for `algorithm`. Error messages name the file and the
 * failure but never contain key material.
 *
 * Raises `KEY_PASSPHRASE_REQUIRED` for an encrypted file without a passphrase,
 * `KEY_PASSPHRASE_INVALID` when decryption fails, `KEY_NOT_ENCRYPTED` for a
 * plain file with a passphrase, and `KEY_ALGORITHM_MISMATCH` when the file
 * contains another kind of key than `algorithm`.
 */
export async function loadKeyPair(
	path: string,
	algorithm: KeyPairAlgorithm,
	options: LoadKeyPairOptions = {},
): Promise<CryptoKeyPair> {
	const { passphrase } = options;
	checkPassphrase(passphrase, path);
	const pem = await readKeyFile(path);
	const keyObject = parsePrivateKey(path, pem, passphrase);

	if (!keyObjectMatches(keyObject, algorithm)) {
		throw new AnsError(
			"KEY_ALGORITHM_MISMATCH",
			`key file ${path} contains an ${describeKeyObject(keyObject)} key but ${describeKeyAlgorithm(algorithm)} was expected; check that the path points at the right key`,
			{ status: 500 },
		);
	}

	const pkcs8 = keyObject.export({ format: "der", type: "pkcs8" });
	const spki = createPublicKey(keyObject).export({
		format: "der",
		type: "spki",
	});
	const privateKey = await crypto.subtle.importKey(
		"pkcs8",
		pkcs8,
		algorithm,
		options.extractable === true,
		["sign"],
	);
	const publicKey = await crypto.subtle.importKey(
		"spki",
		spki,
		algorithm,
		true,
		["verify"],
	);
	return { privateKey, publicKey };
}

async function readKeyFile(path: string): Promise<string> {
	try {
		return await readFile(path, "utf8");
	} catch (error) {
		if (errorCode(error) === "ENOENT") {
			throw new AnsError(
				"KEY_FILE_NOT_FOUND",
				`key file ${path} does not exist`,
				{
					status: 500,
					cause: error,
				},
			);
		}
		throw new AnsError(
			"KEY_FILE_READ_FAILED",
			`could not read key file ${path} (${errorCode(error)}); check its permissions`,
			{ status: 500, cause: error },
		);
	}
}

/**
 * Decodes the PEM text of a key file into a Node private `KeyObject`.
 * Decryption errors keep their cause, but their messages contain no key material.
 */
function parsePrivateKey(
	path: string,
	pem: string,
	passphrase: string | undefined,
): KeyObject {
	const label = decodePem(pem)?.label;
	const encrypted = label === "ENCRYPTED PRIVATE KEY";
	if (!encrypted && label !== "PRIVATE KEY") {
		throw new AnsError(
			"KEY_FILE_INVALID",
			`key file ${path} is not a single PKCS#8 PEM block ("PRIVATE KEY" or "ENCRYPTED PRIVATE KEY"); convert it with \`openssl pkcs8 -topk8\``,
			{ status: 500 },
		);
	}
	if (encrypted && passphrase === undefined) {
		throw new AnsError(
			"KEY_PASSPHRASE_REQUIRED",
			`key file ${path} is encrypted; provide its passphrase`,
			{ status: 500, field: "passphrase" },
		);
	}
	if (!encrypted && passphrase !== undefined) {
		throw new AnsError(
			"KEY_NOT_ENCRYPTED",
			`key file ${path} is not encrypted but a passphrase was given; remove the passphrase from the configuration or encrypt the key with \`openssl pkcs8 -topk8 -v2 aes-256-cbc\``,
			{ status: 500, field: "passphrase" },
		);
	}

	const input: PrivateKeyInput = { key: pem, format: "pem" };
	if (passphrase !== undefined) {
		input.passphrase = passphrase;
	}
	try {
		return createPrivateKey(input);
	} catch (error) {
		if (encrypted) {
			throw new AnsError(
				"KEY_PASSPHRASE_INVALID",
				`could not decrypt key file ${path}: the passphrase is wrong or the file is damaged`,
				{ status: 500, field: "passphrase", cause: error },
			);
		}
		throw new AnsError(
			"KEY_FILE_INVALID",
			`key file ${path} contains a PKCS#8 block that could not be decoded; restore the file from a backup`,
			{ status: 500, cause: error },
		);
	}
}

function checkPassphrase(passphrase: string | undefined, path: string): void {
	if (passphrase === "") {
		throw new AnsError(
			"KEY_PASSPHRASE_EMPTY",
			`the passphrase for key file ${path} is empty; set a non-empty passphrase or none`,
			{ status: 500, field: "passphrase" },
		);
	}
}

function errorCode(error: unknown): string {
	const code = (error as { code?: unknown } | null)?.code;
	return typeof code === "string" ? code : "unknown error";
}

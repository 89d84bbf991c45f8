import { ECParameters } from "@peculiar/asn1-ecc";
import { PrivateKeyInfo } from "@peculiar/asn1-pkcs8";
import { AsnConvert } from "@peculiar/asn1-schema";
import { AnsError } from "../errors.ts";
import { decodePem, encodePem } from "./pem.ts";

const OID_EC_PUBLIC_KEY = "1.2.840.10045.2.1";
const OID_ED25519 = "1.3.101.112";
const OID_RSA_ENCRYPTION = "1.2.840.113549.1.1.1";

/** Named curve OIDs (RFC 5480, 2.1.1.1) of the curves agents may use. */
const CURVE_BY_OID: Record<string, "P-256" | "P-384"> = {
	"1.2.840.10045.3.1.7": "P-256",
	"1.3.132.0.34": "P-384",
};

/** Names of algorithm OIDs that agents may not use, for error messages. */
const UNSUPPORTED_ALGORITHM_NAMES: Record<string, string> = {
	"1.3.132.0.35": "EC P-521",
	"1.3.132.0.10": "EC secp256k1",
	"1.3.101.113": "Ed448",
	"1.3.101.110": "X25519",
	"1.3.101.111": "X448",
	"1.2.840.10040.4.1": "DSA",
	"1.2.840.113549.1.1.10": "RSASSA-PSS",
};

const SUPPORTED = "EC P-256, EC P-384, Ed25519 or RSA";

/**
 * Encodes a private key as unencrypted PKCS#8 PEM (`PRIVATE KEY`). The key
 * must be extractable, like the keys {@link generateAgentKeyPair} returns.
 */
export async function exportPrivateKeyPem(key: CryptoKey): Promise<string> {
	if (key.type !== "private") {
		throw new AnsError(
			"KEY_TYPE_UNSUPPORTED",
			`expected a private key but got a ${key.type} key`,
			{ status: 400, field: "privateKey" },
		);
	}
	if (!key.extractable) {
		throw new AnsError(
			"KEY_NOT_EXTRACTABLE",
			"the private key is not extractable, so it cannot be exported; generate or import it with extractable set to true",
			{ status: 400, field: "privateKey" },
		);
	}
	const pkcs8 = await globalThis.crypto.subtle.exportKey("pkcs8", key);
	return encodePem(pkcs8, "PRIVATE KEY");
}

/**
 * Imports an unencrypted PKCS#8 PEM private key for signing. The algorithm
 * comes from the PKCS#8 AlgorithmIdentifier: an EC key on P-256 or P-384
 * becomes ECDSA, an Ed25519 key becomes Ed25519, and an RSA key becomes
 * RSASSA-PKCS1-v1_5 with SHA-256. The key is extractable so that
 * {@link importKeyPairPem} can derive its public key.
 */
export async function importPrivateKeyPem(pem: string): Promise<CryptoKey> {
	const der = decodePrivateKeyPem(pem);
	const algorithm = detectImportParams(der);
	try {
		return await globalThis.crypto.subtle.importKey(
			"pkcs8",
			der,
			algorithm,
			true,
			["sign"],
		);
	} catch (error) {
		throw new AnsError(
			"PRIVATE_KEY_INVALID",
			`the ${algorithm.name} private key could not be imported (${errorName(error)}); check that the PEM is a complete, unmodified PKCS#8 key`,
			{ status: 400, field: "privateKey", cause: error },
		);
	}
}

/**
 * Imports a PKCS#8 PEM private key like {@link importPrivateKeyPem} and
 * derives its public key, which {@link createCsr} needs. The public key comes
 * from the private key's JWK without the private members.
 */
export async function importKeyPairPem(pem: string): Promise<CryptoKeyPair> {
	const privateKey = await importPrivateKeyPem(pem);
	const jwk = await globalThis.crypto.subtle.exportKey("jwk", privateKey);
	const publicJwk: JsonWebKey = { ...jwk, key_ops: ["verify"] };
	for (const member of ["d", "p", "q", "dp", "dq", "qi", "oth"] as const) {
		delete publicJwk[member];
	}
	const publicKey = await globalThis.crypto.subtle.importKey(
		"jwk",
		publicJwk,
		privateKey.algorithm,
		true,
		["verify"],
	);
	return { privateKey, publicKey };
}

function decodePrivateKeyPem(pem: string): Uint8Array<ArrayBuffer> {
	const block = typeof pem === "string" ? decodePem(pem) : undefined;
	if (block?.label === "ENCRYPTED PRIVATE KEY") {
		throw new AnsError(
			"PRIVATE_KEY_ENCRYPTED",
			"the private key PEM is encrypted; decrypt it first, for example with `openssl pkey -in key.pem -out plain.pem`",
			{ status: 400, field: "privateKey" },
		);
	}
	if (block?.label !== "PRIVATE KEY") {
		const found =
			block === undefined
				? "no single PEM block"
				: `a ${block.label} PEM block`;
		throw new AnsError(
			"PRIVATE_KEY_INVALID",
			`expected one PKCS#8 "PRIVATE KEY" PEM block but found ${found}; convert the key with \`openssl pkcs8 -topk8 -nocrypt\``,
			{ status: 400, field: "privateKey" },
		);
	}
	return block.der;
}

function detectImportParams(
	der: Uint8Array<ArrayBuffer>,
): EcKeyImportParams | RsaHashedImportParams | Algorithm {
	let info: PrivateKeyInfo;
	try {
		info = AsnConvert.parse(der, PrivateKeyInfo);
	} catch (error) {
		throw new AnsError(
			"PRIVATE_KEY_INVALID",
			"the PEM body is not a valid PKCS#8 PrivateKeyInfo structure; check that the file is complete",
			{ status: 400, field: "privateKey", cause: error },
		);
	}
	const { algorithm, parameters } = info.privateKeyAlgorithm;
	if (algorithm === OID_ED25519) {
		return { name: "Ed25519" };
	}
	if (algorithm === OID_RSA_ENCRYPTION) {
		return { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
	}
	if (algorithm === OID_EC_PUBLIC_KEY) {
		const curveOid = parameters ? parseNamedCurve(parameters) : undefined;
		const curve = curveOid ? CURVE_BY_OID[curveOid] : undefined;
		if (curve !== undefined) {
			return { name: "ECDSA", namedCurve: curve };
		}
		const found =
			(curveOid && UNSUPPORTED_ALGORITHM_NAMES[curveOid]) ??
			`EC key with curve ${curveOid ?? "(none named)"}`;
		throw unsupportedAlgorithm(found);
	}
	throw unsupportedAlgorithm(
		UNSUPPORTED_ALGORITHM_NAMES[algorithm] ?? `algorithm ${algorithm}`,
	);
}

function parseNamedCurve(parameters: ArrayBuffer): string | undefined {
	try {
		return AsnConvert.parse(parameters, ECParameters).namedCurve;
	} catch {
		return undefined;
	}
}

function unsupportedAlgorithm(found: string): AnsError {
	return new AnsError(
		"PRIVATE_KEY_ALGORITHM_UNSUPPORTED",
		`the private key is ${found}; agent keys must be ${SUPPORTED}`,
		{ status: 400, field: "privateKey" },
	);
}

function errorName(error: unknown): string {
	return error instanceof Error ? error.name : "unknown error";
}

import { AnsError } from "@ans/shared/errors";
import { ECParameters, id_ecPublicKey } from "@peculiar/asn1-ecc";
import { id_rsaEncryption, RSAPublicKey } from "@peculiar/asn1-rsa";
import { AsnConvert } from "@peculiar/asn1-schema";
import { SubjectPublicKeyInfo } from "@peculiar/asn1-x509";

/** Key types the CA certifies. */
export type CertifiedKeyType = "P-256" | "P-384" | "Ed25519" | "RSA";

/** A classified public key: its type and, for RSA, the modulus size in bits. */
export interface PublicKeyType {
	keyType: CertifiedKeyType;
	rsaBits?: number;
}

/** Smallest RSA modulus the CA certifies, in bits. */
export const MIN_RSA_BITS = 2048;

/**
 * Largest RSA modulus the CA certifies, in bits. Verification cost grows with
 * the modulus, so the limit bounds the work that one CSR can cause.
 */
export const MAX_RSA_BITS = 8192;

const OID_ED25519 = "1.3.101.112";

const CURVE_BY_OID: Record<string, "P-256" | "P-384"> = {
	"1.2.840.10045.3.1.7": "P-256",
	"1.3.132.0.34": "P-384",
};

/** Names of forbidden curve and algorithm OIDs, for error messages. */
const FORBIDDEN_NAMES: Record<string, string> = {
	"1.3.132.0.35": "EC P-521",
	"1.3.132.0.10": "EC secp256k1",
	"1.3.101.113": "Ed448",
	"1.3.101.110": "X25519",
	"1.3.101.111": "X448",
	"1.2.840.10040.4.1": "DSA",
	"1.2.840.10046.2.1": "Diffie-Hellman",
	"1.2.840.113549.1.1.10": "RSASSA-PSS",
};

const ALLOWED = `EC P-256, EC P-384, Ed25519, or RSA with ${MIN_RSA_BITS} to ${MAX_RSA_BITS} bits`;

/**
 * Classifies a DER SubjectPublicKeyInfo and raises `CSR_KEY_TYPE_FORBIDDEN`, naming
 * the key found and the allowed ones, unless it is EC P-256, EC P-384,
 * Ed25519, or rsaEncryption with a modulus of {@link MIN_RSA_BITS} to
 * {@link MAX_RSA_BITS} bits. An RSASSA-PSS key (id-RSASSA-PSS in the
 * SubjectPublicKeyInfo) counts as forbidden, not as RSA.
 */
export function classifyPublicKey(
	spkiDer: BufferSource,
	field: string,
): PublicKeyType {
	const spki = parseSpki(spkiDer, field);
	const { algorithm, parameters } = spki.algorithm;

	if (algorithm === OID_ED25519) {
		return { keyType: "Ed25519" };
	}

	if (algorithm === id_ecPublicKey) {
		const curveOid = parseNamedCurve(parameters);
		const curve = curveOid === undefined ? undefined : CURVE_BY_OID[curveOid];
		if (curve !== undefined) {
			return { keyType: curve };
		}
		const found =
			curveOid === undefined
				? "EC without a named curve"
				: (FORBIDDEN_NAMES[curveOid] ?? `EC on curve ${curveOid}`);
		throw forbidden(found, field);
	}

	if (algorithm === id_rsaEncryption) {
		const rsaBits = rsaModulusBits(spki, field);
		if (rsaBits < MIN_RSA_BITS || rsaBits > MAX_RSA_BITS) {
			throw forbidden(`RSA ${rsaBits}-bit`, field);
		}
		return { keyType: "RSA", rsaBits };
	}

	throw forbidden(
		FORBIDDEN_NAMES[algorithm] ?? `algorithm ${algorithm}`,
		field,
	);
}

function parseSpki(der: BufferSource, field: string): SubjectPublicKeyInfo {
	try {
		return AsnConvert.parse(der, SubjectPublicKeyInfo);
	} catch (error) {
		throw new AnsError(
			"CSR_INVALID",
			`${field} contains a public key that is not a valid SubjectPublicKeyInfo structure; create the CSR again`,
			{ status: 400, field, cause: error },
		);
	}
}

function parseNamedCurve(
	parameters: ArrayBuffer | null | undefined,
): string | undefined {
	if (parameters === null || parameters === undefined) {
		return undefined;
	}
	try {
		return AsnConvert.parse(parameters, ECParameters).namedCurve;
	} catch {
		return undefined;
	}
}

/** Counts the significant bits of the RSA modulus, ignoring leading zero bytes. */
function rsaModulusBits(spki: SubjectPublicKeyInfo, field: string): number {
	let modulus: Uint8Array;
	try {
		modulus = new Uint8Array(
			AsnConvert.parse(spki.subjectPublicKey, RSAPublicKey).modulus,
		);
	} catch (error) {
		throw new AnsError(
			"CSR_INVALID",
			`${field} contains an RSA public key that is not a valid RSAPublicKey structure; create the CSR again`,
			{ status: 400, field, cause: error },
		);
	}
	let start = 0;
	while (start < modulus.length && modulus[start] === 0) {
		start++;
	}
	const first = modulus[start];
	if (first === undefined) {
		return 0;
	}
	return (modulus.length - start - 1) * 8 + (32 - Math.clz32(first));
}

function forbidden(found: string, field: string): AnsError {
	return new AnsError(
		"CSR_KEY_TYPE_FORBIDDEN",
		`the key in ${field} is ${found}, which the CA does not certify. Use ${ALLOWED}`,
		{ status: 400, field },
	);
}

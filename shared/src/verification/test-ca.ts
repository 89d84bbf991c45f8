/**
 * In-memory test PKI (root → intermediate → agent certificate) built with
 * @peculiar/x509. For tests only: keys are generated per call and never
 * stored, and the certificate profiles are simpler than the registry CA's.
 * Production code must not import this module.
 *
 * @module
 */
import { x509 } from "./x509-provider.ts";

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** Key types the test PKI can generate. */
export type TestKeyAlgorithm = "P-256" | "P-384" | "Ed25519";

const KEY_PARAMS: Record<TestKeyAlgorithm, EcKeyGenParams | Algorithm> = {
	"P-256": { name: "ECDSA", namedCurve: "P-256" } as EcKeyGenParams,
	"P-384": { name: "ECDSA", namedCurve: "P-384" } as EcKeyGenParams,
	Ed25519: { name: "Ed25519" },
};

/** Signature algorithm that a CA with this key type uses: ECDSA with the hash matching the curve, or Ed25519. */
const SIGNING_PARAMS: Record<TestKeyAlgorithm, Algorithm | EcdsaParams> = {
	"P-256": { name: "ECDSA", hash: "SHA-256" } as EcdsaParams,
	"P-384": { name: "ECDSA", hash: "SHA-384" } as EcdsaParams,
	Ed25519: { name: "Ed25519" },
};

/** A test certificate with its key pair. */
export interface TestCertificate {
	certificate: x509.X509Certificate;
	keys: CryptoKeyPair;
	keyAlgorithm: TestKeyAlgorithm;
	pem: string;
}

/** Options shared by all test certificates. */
export interface TestCertificateOptions {
	/** Subject distinguished name, for example `CN=Test Root`. */
	subject?: string;
	/** Reference time for the default validity period. Defaults to the current time. */
	now?: Date;
	/** Defaults to one hour before `now`. */
	notBefore?: Date;
	/** Defaults to 30 days after `now` for agent certificates and 365 days for CAs. */
	notAfter?: Date;
	/** Hex serial number. Defaults to 16 random bytes. */
	serialNumber?: string;
	/** Extra extensions appended after the profile's own. */
	extensions?: x509.Extension[];
	/** Key type of the new certificate. Defaults to P-256. */
	keyAlgorithm?: TestKeyAlgorithm;
}

/** Options of CA certificates (root and intermediate). */
export interface TestCaOptions extends TestCertificateOptions {
	/** basicConstraints pathLenConstraint. Left out when undefined. */
	pathLength?: number;
	/** keyUsage flags. Defaults to keyCertSign | cRLSign. */
	keyUsages?: x509.KeyUsageFlags;
	/** basicConstraints cA flag. Defaults to true. */
	ca?: boolean;
}

/** Options of agent (leaf) certificates. */
export interface TestLeafOptions extends TestCertificateOptions {
	/** URI subjectAltName values, usually one canonical ANS name. */
	uris: string[];
	/** basicConstraints cA flag. Defaults to false. */
	ca?: boolean;
}

async function generateKeys(
	keyAlgorithm: TestKeyAlgorithm,
): Promise<CryptoKeyPair> {
	const keys = await crypto.subtle.generateKey(KEY_PARAMS[keyAlgorithm], true, [
		"sign",
		"verify",
	]);
	return keys as CryptoKeyPair;
}

function validity(
	options: TestCertificateOptions,
	defaultDays: number,
): { notBefore: Date; notAfter: Date } {
	const now = options.now ?? new Date();
	return {
		notBefore: options.notBefore ?? new Date(now.getTime() - HOUR_MS),
		notAfter:
			options.notAfter ?? new Date(now.getTime() + defaultDays * DAY_MS),
	};
}

async function caExtensions(
	keys: CryptoKeyPair,
	options: TestCaOptions,
): Promise<x509.Extension[]> {
	const usages =
		options.keyUsages ??
		x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign;
	return [
		new x509.BasicConstraintsExtension(
			options.ca ?? true,
			options.pathLength,
			true,
		),
		new x509.KeyUsagesExtension(usages, true),
		await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
		...(options.extensions ?? []),
	];
}

/** Creates a self-signed test root CA. Defaults: subject `CN=Test Root CA,O=ANS Tests`, pathLength 1. */
export async function createTestRoot(
	options: TestCaOptions = {},
): Promise<TestCertificate> {
	const keyAlgorithm = options.keyAlgorithm ?? "P-256";
	const keys = await generateKeys(keyAlgorithm);
	const certificate = await x509.X509CertificateGenerator.createSelfSigned({
		name: options.subject ?? "CN=Test Root CA,O=ANS Tests",
		keys,
		serialNumber: options.serialNumber,
		signingAlgorithm: SIGNING_PARAMS[keyAlgorithm],
		...validity(options, 365),
		extensions: await caExtensions(keys, { pathLength: 1, ...options }),
	});
	return { certificate, keys, keyAlgorithm, pem: certificate.toString("pem") };
}

/** Creates a test CA certificate signed by `issuer`. Defaults: subject `CN=Test Intermediate CA,O=ANS Tests`, pathLength 0. */
export async function createTestIntermediate(
	issuer: TestCertificate,
	options: TestCaOptions = {},
): Promise<TestCertificate> {
	const keyAlgorithm = options.keyAlgorithm ?? "P-256";
	const keys = await generateKeys(keyAlgorithm);
	const certificate = await x509.X509CertificateGenerator.create({
		subject: options.subject ?? "CN=Test Intermediate CA,O=ANS Tests",
		issuer: issuer.certificate.subjectName,
		publicKey: keys.publicKey,
		signingKey: issuer.keys.privateKey,
		serialNumber: options.serialNumber,
		signingAlgorithm: SIGNING_PARAMS[issuer.keyAlgorithm],
		...validity(options, 365),
		extensions: [
			...(await caExtensions(keys, { pathLength: 0, ...options })),
			await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey),
		],
	});
	return { certificate, keys, keyAlgorithm, pem: certificate.toString("pem") };
}

/**
 * Issues a test agent certificate signed by `issuer` with the given URI
 * subjectAltNames, digitalSignature key usage and (by default) CA:false.
 */
export async function issueTestLeaf(
	issuer: TestCertificate,
	options: TestLeafOptions,
): Promise<TestCertificate> {
	const keyAlgorithm = options.keyAlgorithm ?? "P-256";
	const keys = await generateKeys(keyAlgorithm);
	const certificate = await x509.X509CertificateGenerator.create({
		subject: options.subject ?? "CN=agt_test,O=ANS Tests",
		issuer: issuer.certificate.subjectName,
		publicKey: keys.publicKey,
		signingKey: issuer.keys.privateKey,
		serialNumber: options.serialNumber,
		signingAlgorithm: SIGNING_PARAMS[issuer.keyAlgorithm],
		...validity(options, 30),
		extensions: [
			new x509.BasicConstraintsExtension(options.ca ?? false, undefined, true),
			new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
			new x509.SubjectAlternativeNameExtension(
				options.uris.map((uri) => ({ type: "url" as const, value: uri })),
			),
			await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
			await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey),
			...(options.extensions ?? []),
		],
	});
	return { certificate, keys, keyAlgorithm, pem: certificate.toString("pem") };
}

/** A complete test PKI. */
export interface TestPki {
	root: TestCertificate;
	intermediate: TestCertificate;
	leaf: TestCertificate;
}

/** Creates root, intermediate and an agent certificate for `name`, all valid at `now`. */
export async function createTestPki(
	name: string,
	now: Date = new Date(),
): Promise<TestPki> {
	const root = await createTestRoot({ now });
	const intermediate = await createTestIntermediate(root, { now });
	const leaf = await issueTestLeaf(intermediate, { uris: [name], now });
	return { root, intermediate, leaf };
}

import { mkdir } from "node:fs/promises";
import { AnsError } from "@ans/shared/errors";
import {
	validateSanUri,
	validateSubjectAttribute,
	x509,
} from "@ans/shared/keys";
import { loadKeyPair, saveKeyPair } from "../keystore/index.ts";
import {
	type CaPaths,
	caPaths,
	formatCaState,
	intermediatePaths,
	isEmptyCaDirectory,
	readCaDirectory,
} from "./ca-directory.ts";
import {
	certificateInvalid,
	checkKeyMatchesCertificate,
	listIntermediateIds,
	readCertificateFile,
	toPem,
	writeCaFile,
	writeCertificateFile,
} from "./ca-files.ts";
import { type CaHealth, checkCaHealth } from "./ca-health.ts";
import {
	agentExtensions,
	CA_KEY_ALGORITHM,
	CA_SIGNING_ALGORITHM,
	CLOCK_SKEW_MS,
	createIntermediateCertificate,
	createRootCertificate,
} from "./ca-profiles.ts";
import { classifyPublicKey } from "./public-key-type.ts";
import { generateSerialNumber } from "./serial-number.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

/** Id of the intermediate that a new CA directory starts with. */
const FIRST_INTERMEDIATE_ID = "1";

/** Logger interface that a pino logger satisfies. */
export interface CaLogger {
	info(fields: Record<string, unknown>, message: string): void;
}

/** Options of {@link CertificateAuthority.open}. */
export interface CertificateAuthorityOptions {
	/** CA directory; created with mode 0700 when missing. */
	dir: string;
	/** Passphrase that encrypts the CA key files. */
	passphrase?: string;
	/** Validity of agent certificates in days. Defaults to 90. */
	agentValidityDays?: number;
	/**
	 * Public base URL of the control plane, such as `https://ans.example.com`.
	 * When set, agent certificates point to its OCSP, CA certificate and CRL
	 * endpoints.
	 */
	publicBaseUrl?: string | undefined;
	/** Clock for tests. Defaults to the system clock. */
	now?: () => Date;
	/** Receives one line when a new CA is created. */
	logger?: CaLogger;
}

/** Input of {@link CertificateAuthority.issueAgentCertificate}. */
export interface IssueAgentCertificateParams {
	/** Key to certify, usually `publicKey` of a CSR that passed `parseCsr`. */
	publicKey: CryptoKey | x509.PublicKey;
	/** Canonical ANS name, placed in the SubjectAltName as a URI. */
	canonicalName: string;
	/** Agent id, placed in the subject as CN. */
	agentId: string;
	/** Provider, placed in the subject as O. */
	provider: string;
	/** End of validity. Defaults to now plus `agentValidityDays`. */
	notAfter?: Date;
}

/** A certificate issued by {@link CertificateAuthority.issueAgentCertificate}. */
export interface IssuedCertificate {
	pem: string;
	der: Uint8Array<ArrayBuffer>;
	/** Serial number as lowercase hex without leading zero bytes. */
	serialHex: string;
	/** SHA-256 fingerprint of the DER encoding as lowercase hex. */
	sha256Hex: string;
	/** Validity start as encoded in the certificate, with whole seconds. */
	notBefore: Date;
	/** Validity end as encoded in the certificate, with whole seconds. */
	notAfter: Date;
	/** Id of the signing intermediate, which `chainPem` accepts. */
	issuerId: string;
}

interface Intermediate {
	id: string;
	certificate: x509.X509Certificate;
	pem: string;
}

interface CaMaterial {
	root: x509.X509Certificate;
	rootPem: string;
	rootKeys: CryptoKeyPair;
	current: Intermediate;
	currentKeys: CryptoKeyPair;
	intermediates: Map<string, Intermediate>;
}

/**
 * The control plane's certificate authority: an ECDSA P-384 root and an
 * intermediate that signs agent certificates, kept as files in one
 * directory (see {@link CaPaths} for the layout).
 */
export class CertificateAuthority {
	readonly #material: CaMaterial;
	readonly #agentValidityDays: number;
	readonly #publicBaseUrl: string | undefined;
	readonly #now: () => Date;

	private constructor(
		material: CaMaterial,
		agentValidityDays: number,
		publicBaseUrl: string | undefined,
		now: () => Date,
	) {
		this.#material = material;
		this.#agentValidityDays = agentValidityDays;
		this.#publicBaseUrl = publicBaseUrl;
		this.#now = now;
	}

	/**
	 * Opens the CA in `options.dir`. When the directory contains none of the
	 * CA files, creates a root (20 years) and intermediate 1 (5 years) there
	 * first. Otherwise loads them and checks that keys and certificates belong
	 * together and that each intermediate is signed by the root.
	 *
	 * A partial directory raises `CA_DIRECTORY_INCOMPLETE` instead of being
	 * filled with new keys. Key file errors (such as
	 * `KEY_PASSPHRASE_INVALID`) come from the key store.
	 */
	static async open(
		options: CertificateAuthorityOptions,
	): Promise<CertificateAuthority> {
		const agentValidityDays = checkValidityDays(
			options.agentValidityDays ?? 90,
		);
		const publicBaseUrl = normalizeBaseUrl(options.publicBaseUrl);
		const now = options.now ?? (() => new Date());
		const paths = caPaths(options.dir);

		if (await isEmptyCaDirectory(paths)) {
			await createCaFiles(paths, options.passphrase, now());
			options.logger?.info(
				{ dir: paths.dir, intermediateId: FIRST_INTERMEDIATE_ID },
				"created a new root and intermediate CA",
			);
		}
		const material = await loadCaFiles(paths, options.passphrase);
		return new CertificateAuthority(
			material,
			agentValidityDays,
			publicBaseUrl,
			now,
		);
	}

	/**
	 * Issues an agent certificate signed by the current intermediate. The
	 * subject is `CN=<agentId>, O=<provider>` and the SubjectAltName is the URI
	 * `canonicalName`. Validity starts 5 minutes in the past to allow for clock
	 * skew.
	 *
	 * Raises `CERT_SUBJECT_INVALID` or `CERT_SAN_URI_INVALID` for unusable
	 * names, `CSR_KEY_TYPE_FORBIDDEN` for a key type the CA does not certify,
	 * `CERT_NOT_AFTER_INVALID` for a `notAfter` outside the intermediate's
	 * validity, and `CA_UNAVAILABLE` when the intermediate is not valid now.
	 */
	async issueAgentCertificate(
		params: IssueAgentCertificateParams,
	): Promise<IssuedCertificate> {
		const agentId = validateSubjectAttribute(params.agentId, "agentId");
		const provider = validateSubjectAttribute(params.provider, "provider");
		const canonicalName = validateSanUri(params.canonicalName, "canonicalName");
		const publicKey = await toPublicKey(params.publicKey);
		classifyPublicKey(publicKey.rawData, "publicKey");

		const { current, currentKeys } = this.#material;
		const issuer = current.certificate;
		const now = this.#now();
		if (now < issuer.notBefore || now > issuer.notAfter) {
			throw new AnsError(
				"CA_UNAVAILABLE",
				`intermediate CA ${current.id} is valid from ${issuer.notBefore.toISOString()} to ${issuer.notAfter.toISOString()}, so it cannot issue at ${now.toISOString()}; check the system clock or rotate the intermediate`,
				{ status: 503 },
			);
		}
		const notAfter = this.#agentNotAfter(now, params.notAfter, issuer);

		const certificate = await x509.X509CertificateGenerator.create({
			serialNumber: generateSerialNumber(),
			subject: [{ CN: [agentId] }, { O: [provider] }],
			issuer: issuer.subjectName,
			notBefore: new Date(now.getTime() - CLOCK_SKEW_MS),
			notAfter,
			publicKey,
			signingKey: currentKeys.privateKey,
			signingAlgorithm: CA_SIGNING_ALGORITHM,
			extensions: await agentExtensions({
				publicKey,
				canonicalName,
				issuer,
				publicBaseUrl: this.#publicBaseUrl,
			}),
		});

		const der = new Uint8Array(certificate.rawData);
		const sha256 = await crypto.subtle.digest("SHA-256", der);
		return {
			pem: toPem(certificate),
			der,
			serialHex: certificate.serialNumber.toLowerCase(),
			sha256Hex: Buffer.from(sha256).toString("hex"),
			notBefore: certificate.notBefore,
			notAfter: certificate.notAfter,
			issuerId: current.id,
		};
	}

	/**
	 * Returns the chain above an agent certificate as PEM, intermediate first
	 * and root last. `issuerId` selects an intermediate by the `issuerId` of an
	 * issued certificate and defaults to the current one. Raises
	 * `CA_ISSUER_NOT_FOUND` for an unknown id.
	 */
	chainPem(issuerId?: string): string[] {
		const { current, intermediates, rootPem } = this.#material;
		const intermediate =
			issuerId === undefined ? current : intermediates.get(issuerId);
		if (intermediate === undefined) {
			throw new AnsError(
				"CA_ISSUER_NOT_FOUND",
				`intermediate CA ${JSON.stringify(issuerId)} does not exist; known ids are ${[...intermediates.keys()].join(", ")}`,
				{ status: 404, field: "issuerId" },
			);
		}
		return [intermediate.pem, rootPem];
	}

	/** Returns the root CA certificate as PEM. */
	rootPem(): string {
		return this.#material.rootPem;
	}

	/** Checks key state and CA certificate validity at `now`, which defaults to the CA clock. */
	health(now: Date = this.#now()): CaHealth {
		const { root, rootKeys, current, currentKeys } = this.#material;
		return checkCaHealth({
			root,
			intermediate: current.certificate,
			intermediateId: current.id,
			keysLoaded:
				rootKeys.privateKey !== undefined &&
				currentKeys.privateKey !== undefined,
			now,
		});
	}

	#agentNotAfter(
		now: Date,
		requested: Date | undefined,
		issuer: x509.X509Certificate,
	): Date {
		if (requested === undefined) {
			const end = now.getTime() + this.#agentValidityDays * DAY_MS;
			// NOTE: near the end of the intermediate's life, default validity is
			// cut to the intermediate's notAfter rather than raising an error.
			return new Date(Math.min(end, issuer.notAfter.getTime()));
		}
		if (
			!(requested instanceof Date) ||
			Number.isNaN(requested.getTime()) ||
			requested <= now ||
			requested > issuer.notAfter
		) {
			throw new AnsError(
				"CERT_NOT_AFTER_INVALID",
				`notAfter ${String(requested)} must be a date after now (${now.toISOString()}) and no later than the intermediate CA's notAfter (${issuer.notAfter.toISOString()})`,
				{ status: 400, field: "notAfter" },
			);
		}
		return requested;
	}
}

async function createCaFiles(
	paths: CaPaths,
	passphrase: string | undefined,
	now: Date,
): Promise<void> {
	await mkdir(paths.intermediatesDir, { recursive: true, mode: 0o700 });
	const keyOptions = passphrase === undefined ? {} : { passphrase };

	const rootKeys = await generateCaKeys();
	await saveKeyPair(paths.rootKey, rootKeys, keyOptions);
	const root = await createRootCertificate(rootKeys, now);
	await writeCertificateFile(paths.rootCertificate, root);

	const id = FIRST_INTERMEDIATE_ID;
	const files = intermediatePaths(paths, id);
	const intermediateKeys = await generateCaKeys();
	await saveKeyPair(files.key, intermediateKeys, keyOptions);
	const intermediate = await createIntermediateCertificate({
		id,
		publicKey: intermediateKeys.publicKey,
		root,
		rootPrivateKey: rootKeys.privateKey,
		now,
	});
	await writeCertificateFile(files.certificate, intermediate);

	// Written last: its presence marks the directory as complete.
	await writeCaFile(paths.state, formatCaState({ currentIntermediate: id }));
}

async function loadCaFiles(
	paths: CaPaths,
	passphrase: string | undefined,
): Promise<CaMaterial> {
	const state = await readCaDirectory(paths);
	const keyOptions = passphrase === undefined ? {} : { passphrase };

	const rootKeys = await loadKeyPair(
		paths.rootKey,
		CA_KEY_ALGORITHM,
		keyOptions,
	);
	const root = await readCertificateFile(paths.rootCertificate);
	await checkKeyMatchesCertificate(
		paths.rootCertificate,
		root,
		rootKeys.publicKey,
	);
	if (
		!(await root.verify({ publicKey: root.publicKey, signatureOnly: true }))
	) {
		throw certificateInvalid(
			paths.rootCertificate,
			"its self-signature does not verify",
		);
	}

	const intermediates = new Map<string, Intermediate>();
	for (const id of await listIntermediateIds(paths)) {
		const path = intermediatePaths(paths, id).certificate;
		const certificate = await readCertificateFile(path);
		const signedByRoot = await certificate.verify({
			publicKey: root.publicKey,
			signatureOnly: true,
		});
		if (!signedByRoot) {
			throw certificateInvalid(
				path,
				"it is not signed by the root in root.pem",
			);
		}
		intermediates.set(id, { id, certificate, pem: toPem(certificate) });
	}

	const current = intermediates.get(state.currentIntermediate);
	if (current === undefined) {
		throw new Error(
			`Internal error: intermediate ${state.currentIntermediate} passed readCaDirectory but was not listed`,
		);
	}
	const currentFiles = intermediatePaths(paths, current.id);
	const currentKeys = await loadKeyPair(
		currentFiles.key,
		CA_KEY_ALGORITHM,
		keyOptions,
	);
	await checkKeyMatchesCertificate(
		currentFiles.certificate,
		current.certificate,
		currentKeys.publicKey,
	);

	return {
		root,
		rootPem: toPem(root),
		rootKeys,
		current,
		currentKeys,
		intermediates,
	};
}

async function generateCaKeys(): Promise<CryptoKeyPair> {
	return (await crypto.subtle.generateKey(CA_KEY_ALGORITHM, true, [
		"sign",
		"verify",
	])) as CryptoKeyPair;
}

async function toPublicKey(
	key: CryptoKey | x509.PublicKey,
): Promise<x509.PublicKey> {
	try {
		return await x509.PublicKey.create(key);
	} catch (error) {
		throw new AnsError(
			"CERT_PUBLIC_KEY_INVALID",
			"publicKey must be a public CryptoKey or an x509.PublicKey, such as the publicKey of a parsed CSR",
			{ status: 400, field: "publicKey", cause: error },
		);
	}
}

function checkValidityDays(days: number): number {
	if (!Number.isInteger(days) || days < 1) {
		throw new AnsError(
			"CA_CONFIG_INVALID",
			`agentValidityDays is ${String(days)} but must be a whole number of days, at least 1`,
			{ status: 500, field: "agentValidityDays" },
		);
	}
	return days;
}

/** Validates an http(s) base URL and strips trailing slashes. */
function normalizeBaseUrl(value: string | undefined): string | undefined {
	if (value === undefined) {
		return undefined;
	}
	let url: URL | undefined;
	try {
		url = new URL(value);
	} catch {
		url = undefined;
	}
	if (
		url === undefined ||
		(url.protocol !== "https:" && url.protocol !== "http:") ||
		url.search !== "" ||
		url.hash !== ""
	) {
		throw new AnsError(
			"CA_CONFIG_INVALID",
			`publicBaseUrl ${JSON.stringify(value)} must be an http or https URL without query or fragment, such as https://ans.example.com`,
			{ status: 500, field: "publicBaseUrl" },
		);
	}
	return value.replace(/\/+$/, "");
}

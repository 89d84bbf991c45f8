import { mkdir } from "node:fs/promises";
import { AnsError } from "@ans/shared/errors";
import {
	validateSanUri,
	validateSubjectAttribute,
	x509,
} from "@ans/shared/keys";
import { loadKeyPair, saveKeyPair } from "../keystore/index.ts";
import { Mutex } from "../storage/mutex.ts";
import {
	type CaPaths,
	caPaths,
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
	writeCertificateFile,
} from "./ca-files.ts";
import { type CaHealth, checkCaHealth } from "./ca-health.ts";
import {
	agentExtensions,
	CA_KEY_ALGORITHM,
	CA_SIGNING_ALGORITHM,
	CLOCK_SKEW_MS,
	createRootCertificate,
} from "./ca-profiles.ts";
import {
	createIntermediateFiles,
	generateCaKeys,
	nextIntermediateId,
	writeCurrentIntermediate,
} from "./ca-rotation.ts";
import { createDerSigner, type DerSigner } from "./der-signer.ts";
import {
	loadOrIssueOcspResponder,
	OCSP_RESPONDER_RENEW_DAYS,
	type OcspResponderCredential,
} from "./ocsp-responder-certificate.ts";
import { publicKeySha256 } from "./public-key-hash.ts";
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
	/** SHA-256 of the certified key's canonical SubjectPublicKeyInfo, see {@link publicKeySha256}. */
	publicKeySha256Hex: string;
	/** Validity start as encoded in the certificate, with whole seconds. */
	notBefore: Date;
	/** Validity end as encoded in the certificate, with whole seconds. */
	notAfter: Date;
	/** Id of the signing intermediate, which `chainPem` accepts. */
	issuerId: string;
}

/** An intermediate CA certificate of {@link CertificateAuthority}. */
export interface CaIntermediate {
	/** Decimal id, as in `IssuedCertificate.issuerId`. */
	id: string;
	certificate: x509.X509Certificate;
	pem: string;
	/** Whether this intermediate signs new agent certificates. */
	current: boolean;
}

interface Intermediate {
	id: string;
	certificate: x509.X509Certificate;
	pem: string;
	/** Undefined when the key file of an old intermediate was removed. */
	keys: CryptoKeyPair | undefined;
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
	/** Replaced as a whole by rotation, so readers see one consistent state. */
	#material: CaMaterial;
	readonly #paths: CaPaths;
	readonly #passphrase: string | undefined;
	readonly #agentValidityDays: number;
	readonly #publicBaseUrl: string | undefined;
	readonly #now: () => Date;
	readonly #logger: CaLogger | undefined;
	readonly #rotationLock = new Mutex();
	readonly #responderLock = new Mutex();
	readonly #responders = new Map<string, OcspResponderCredential>();

	private constructor(
		material: CaMaterial,
		paths: CaPaths,
		options: CertificateAuthorityOptions,
		agentValidityDays: number,
		publicBaseUrl: string | undefined,
	) {
		this.#material = material;
		this.#paths = paths;
		this.#passphrase = options.passphrase;
		this.#agentValidityDays = agentValidityDays;
		this.#publicBaseUrl = publicBaseUrl;
		this.#now = options.now ?? (() => new Date());
		this.#logger = options.logger;
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
			paths,
			options,
			agentValidityDays,
			publicBaseUrl,
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
				issuerId: current.id,
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
			publicKeySha256Hex: publicKeySha256(publicKey.rawData),
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
		return [this.#intermediate(issuerId).pem, this.#material.rootPem];
	}

	/** Lists every loaded intermediate, oldest first. */
	listIntermediates(): CaIntermediate[] {
		const { current, intermediates } = this.#material;
		return [...intermediates.values()].map((intermediate) =>
			describeIntermediate(intermediate, current.id),
		);
	}

	/**
	 * Returns intermediate `issuerId`, or the current one when it is undefined.
	 * Raises `CA_ISSUER_NOT_FOUND` for an unknown id.
	 */
	intermediate(issuerId?: string): CaIntermediate {
		return describeIntermediate(
			this.#intermediate(issuerId),
			this.#material.current.id,
		);
	}

	/**
	 * Returns a signer for the key of intermediate `issuerId`, for CRLs that
	 * the intermediate issues. Raises `CA_ISSUER_NOT_FOUND` for an unknown id
	 * and `CA_ISSUER_KEY_MISSING` when its key file was removed.
	 */
	crlSigner(issuerId: string): DerSigner {
		return createDerSigner(this.#issuerKeys(issuerId).privateKey, "SHA-384");
	}

	/**
	 * Returns the delegated OCSP responder of intermediate `issuerId`. The
	 * responder certificate is loaded from the CA directory on first use and
	 * replaced when it comes within {@link OCSP_RESPONDER_RENEW_DAYS} days of
	 * expiry. Raises `CA_ISSUER_NOT_FOUND`, `CA_ISSUER_KEY_MISSING`, or
	 * `CA_UNAVAILABLE` when the intermediate is not valid now.
	 */
	async ocspResponder(issuerId: string): Promise<OcspResponderCredential> {
		const cached = this.#responders.get(issuerId);
		if (cached !== undefined && !this.#responderDue(cached)) {
			return cached;
		}
		return this.#responderLock.run(async () => {
			const again = this.#responders.get(issuerId);
			if (again !== undefined && !this.#responderDue(again)) {
				return again;
			}
			const intermediate = this.#intermediate(issuerId);
			const responder = await loadOrIssueOcspResponder({
				paths: this.#paths,
				issuerId,
				issuer: intermediate.certificate,
				issuerPrivateKey: this.#issuerKeys(issuerId).privateKey,
				passphrase: this.#passphrase,
				now: this.#now(),
			});
			this.#responders.set(issuerId, responder);
			return responder;
		});
	}

	/**
	 * Creates a new intermediate signed by the root and makes it the one that
	 * issues agent certificates. Older intermediates stay loaded, so
	 * `chainPem(oldId)`, their CRLs and OCSP keep working until their
	 * certificates expire. Returns the new intermediate.
	 *
	 * Raises `CA_DIRECTORY_WRITE_FAILED` or a key store error when a file
	 * cannot be written; the current intermediate then stays as it was.
	 */
	async rotateIntermediate(): Promise<CaIntermediate> {
		return this.#rotationLock.run(async () => {
			const previous = this.#material;
			const now = this.#now();
			const id = await nextIntermediateId(this.#paths);
			const { certificate, keys } = await createIntermediateFiles({
				paths: this.#paths,
				id,
				root: previous.root,
				rootPrivateKey: previous.rootKeys.privateKey,
				passphrase: this.#passphrase,
				now,
			});
			await writeCurrentIntermediate(this.#paths, id);

			const current: Intermediate = {
				id,
				certificate,
				pem: toPem(certificate),
				keys,
			};
			const intermediates = new Map(previous.intermediates);
			intermediates.set(id, current);
			this.#material = {
				...previous,
				current,
				currentKeys: keys,
				intermediates,
			};
			this.#logger?.info(
				{
					intermediateId: id,
					previousIntermediateId: previous.current.id,
					notAfter: certificate.notAfter.toISOString(),
				},
				"rotated the intermediate CA",
			);
			return describeIntermediate(current, id);
		});
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

	#intermediate(issuerId: string | undefined): Intermediate {
		const { current, intermediates } = this.#material;
		const intermediate =
			issuerId === undefined ? current : intermediates.get(issuerId);
		if (intermediate === undefined) {
			throw new AnsError(
				"CA_ISSUER_NOT_FOUND",
				`intermediate CA ${JSON.stringify(issuerId)} does not exist; known ids are ${[...intermediates.keys()].join(", ")}`,
				{ status: 404, field: "issuerId" },
			);
		}
		return intermediate;
	}

	#issuerKeys(issuerId: string): CryptoKeyPair {
		const intermediate = this.#intermediate(issuerId);
		if (intermediate.keys === undefined) {
			throw new AnsError(
				"CA_ISSUER_KEY_MISSING",
				`the key of intermediate CA ${issuerId} is not in ${intermediatePaths(this.#paths, issuerId).key}, so its CRL and OCSP responses cannot be signed; restore the key file from a backup`,
				{ status: 503, field: "issuerId" },
			);
		}
		return intermediate.keys;
	}

	#responderDue(responder: OcspResponderCredential): boolean {
		const renewAt =
			responder.certificate.notAfter.getTime() -
			OCSP_RESPONDER_RENEW_DAYS * DAY_MS;
		return this.#now().getTime() >= renewAt;
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

function describeIntermediate(
	intermediate: Intermediate,
	currentId: string,
): CaIntermediate {
	return {
		id: intermediate.id,
		certificate: intermediate.certificate,
		pem: intermediate.pem,
		current: intermediate.id === currentId,
	};
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
	await createIntermediateFiles({
		paths,
		id,
		root,
		rootPrivateKey: rootKeys.privateKey,
		passphrase,
		now,
	});

	// Written last: its presence marks the directory as complete.
	await writeCurrentIntermediate(paths, id);
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
		const keys = await loadIntermediateKeys(
			paths,
			id,
			certificate,
			keyOptions,
			id === state.currentIntermediate,
		);
		intermediates.set(id, {
			id,
			certificate,
			pem: toPem(certificate),
			keys,
		});
	}

	const current = intermediates.get(state.currentIntermediate);
	const currentKeys = current?.keys;
	if (current === undefined || currentKeys === undefined) {
		throw new Error(
			`Internal error: intermediate ${state.currentIntermediate} passed readCaDirectory but was not loaded`,
		);
	}

	return {
		root,
		rootPem: toPem(root),
		rootKeys,
		current,
		currentKeys,
		intermediates,
	};
}

/**
 * Loads the key of intermediate `id` and checks that it matches the
 * certificate. The current intermediate's key is required. An old
 * intermediate may lack its key file, which only stops its CRL and OCSP
 * responses, so that case returns undefined.
 */
async function loadIntermediateKeys(
	paths: CaPaths,
	id: string,
	certificate: x509.X509Certificate,
	keyOptions: { passphrase?: string },
	required: boolean,
): Promise<CryptoKeyPair | undefined> {
	const files = intermediatePaths(paths, id);
	let keys: CryptoKeyPair;
	try {
		keys = await loadKeyPair(files.key, CA_KEY_ALGORITHM, keyOptions);
	} catch (error) {
		if (
			!required &&
			(error as { code?: unknown }).code === "KEY_FILE_NOT_FOUND"
		) {
			return undefined;
		}
		throw error;
	}
	await checkKeyMatchesCertificate(
		files.certificate,
		certificate,
		keys.publicKey,
	);
	return keys;
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

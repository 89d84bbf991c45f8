import { isAnsError } from "@ans/shared/errors";
import { type CertID, OCSPResponseStatus } from "@peculiar/asn1-ocsp";
import type {
	CaIntermediate,
	CertificateAuthority,
} from "../certificates/index.ts";
import type { Logger } from "../logging/logger.ts";
import {
	type CertificateStatusLookup,
	serialHexFromBytes,
} from "./certificate-status.ts";
import {
	CERT_ID_HASHES,
	computeIssuerHashes,
	type IssuerHashes,
} from "./issuer-hashes.ts";
import { LogLimiter } from "./log-limiter.ts";
import { MalformedOcspRequestError, parseOcspRequest } from "./ocsp-request.ts";
import {
	encodeOcspStatusOnly,
	encodeSignedOcspResponse,
	type SingleStatus,
} from "./ocsp-response.ts";

/** Options of {@link OcspResponder}. */
export interface OcspResponderOptions {
	ca: CertificateAuthority;
	statuses: CertificateStatusLookup;
	/** Time from a response's thisUpdate to its nextUpdate, in ms. */
	validityMs: number;
	logger: Logger;
	/** Clock for tests. */
	now?: () => Date;
}

/** A DER OCSPResponse, its status and whether it echoes a nonce. */
export interface OcspReply {
	der: Uint8Array<ArrayBuffer>;
	responseStatus: OCSPResponseStatus;
	hasNonce: boolean;
}

/** Error codes of the CA that mean it cannot sign responses for an intermediate. */
const UNAUTHORIZED_CA_CODES = new Set([
	"CA_UNAVAILABLE",
	"CA_ISSUER_KEY_MISSING",
	"CA_ISSUER_NOT_FOUND",
]);

/**
 * The OCSP responder (RFC 6960) for every intermediate of the CA, signing
 * with each intermediate's delegated responder certificate.
 *
 * A request's CertIDs are matched by issuer name and key hash (SHA-1,
 * SHA-256, SHA-384 or SHA-512) against every intermediate. The response is
 * signed by the responder of the first matched intermediate. CertIDs of any
 * other issuer get the status `unknown`, because that responder is not
 * authorized for them. A request without any known issuer gets
 * `unauthorized`.
 */
export class OcspResponder {
	readonly #ca: CertificateAuthority;
	readonly #statuses: CertificateStatusLookup;
	readonly #validityMs: number;
	readonly #logger: Logger;
	readonly #now: () => Date;
	/** Issuer hashes by `<intermediate id> <hash OID>`. */
	readonly #hashes = new Map<string, Promise<IssuerHashes>>();
	readonly #unauthorizedLog = new LogLimiter();

	constructor(options: OcspResponderOptions) {
		this.#ca = options.ca;
		this.#statuses = options.statuses;
		this.#validityMs = options.validityMs;
		this.#logger = options.logger;
		this.#now = options.now ?? (() => new Date());
	}

	/**
	 * Builds the response to a DER OCSP request. Never raises: a malformed
	 * request gets `malformedRequest`, and a failure inside the responder
	 * gets `internalError` and is logged.
	 */
	async respond(requestDer: Uint8Array): Promise<OcspReply> {
		let request: ReturnType<typeof parseOcspRequest>;
		try {
			request = parseOcspRequest(requestDer);
		} catch (error) {
			if (error instanceof MalformedOcspRequestError) {
				this.#logger.debug({ reason: error.message }, "malformed OCSP request");
				return statusOnly(OCSPResponseStatus.malformedRequest);
			}
			this.#logger.error({ err: error }, "OCSP request parsing failed");
			return statusOnly(OCSPResponseStatus.internalError);
		}

		try {
			const matches = await Promise.all(
				request.certIds.map((certId) => this.#matchIssuer(certId)),
			);
			const signing = matches.find((match) => match !== undefined);
			if (signing === undefined) {
				return statusOnly(OCSPResponseStatus.unauthorized);
			}
			const responder = await this.#ca.ocspResponder(signing.id);
			const responses = await Promise.all(
				request.certIds.map((certId, index) =>
					this.#singleStatus(
						certId,
						matches[index]?.id === signing.id ? signing.id : undefined,
					),
				),
			);
			const der = await encodeSignedOcspResponse({
				responder,
				issuer: signing.certificate,
				producedAt: this.#now(),
				responses,
				nonce: request.nonce,
			});
			return {
				der,
				responseStatus: OCSPResponseStatus.successful,
				hasNonce: request.nonce !== undefined,
			};
		} catch (error) {
			if (isAnsError(error) && UNAUTHORIZED_CA_CODES.has(error.code)) {
				// Any client can send such requests, so repeats are rate-limited.
				const suppressed = this.#unauthorizedLog.take();
				if (suppressed !== undefined) {
					this.#logger.warn(
						{ err: error, code: error.code, suppressed },
						"OCSP request for an intermediate that cannot sign responses",
					);
				}
				return statusOnly(OCSPResponseStatus.unauthorized);
			}
			this.#logger.error({ err: error }, "OCSP response failed");
			return statusOnly(OCSPResponseStatus.internalError);
		}
	}

	async #matchIssuer(certId: CertID): Promise<CaIntermediate | undefined> {
		const hashOid = certId.hashAlgorithm.algorithm;
		const hash = CERT_ID_HASHES[hashOid];
		if (hash === undefined) {
			return undefined;
		}
		const nameHash = Buffer.from(certId.issuerNameHash.buffer);
		const keyHash = Buffer.from(certId.issuerKeyHash.buffer);
		for (const intermediate of this.#ca.listIntermediates()) {
			const hashes = await this.#issuerHashes(intermediate, hashOid, hash);
			if (hashes.nameHash.equals(nameHash) && hashes.keyHash.equals(keyHash)) {
				return intermediate;
			}
		}
		return undefined;
	}

	#issuerHashes(
		intermediate: CaIntermediate,
		hashOid: string,
		hash: string,
	): Promise<IssuerHashes> {
		const key = `${intermediate.id} ${hashOid}`;
		let hashes = this.#hashes.get(key);
		if (hashes === undefined) {
			hashes = computeIssuerHashes(intermediate.certificate, hash);
			this.#hashes.set(key, hashes);
		}
		return hashes;
	}

	/**
	 * Looks up one CertID. `issuerId` is the matched intermediate when it is
	 * the signing one, and undefined otherwise, which yields `unknown`.
	 */
	async #singleStatus(
		certId: CertID,
		issuerId: string | undefined,
	): Promise<SingleStatus> {
		const now = this.#now();
		const unknown: SingleStatus = {
			certId,
			status: "unknown",
			thisUpdate: now,
			nextUpdate: new Date(now.getTime() + this.#validityMs),
		};
		if (issuerId === undefined) {
			return unknown;
		}
		const serial = serialHexFromBytes(certId.serialNumber);
		const found = await this.#statuses.lookup(serial);
		// A serial issued by another intermediate is unknown to this issuer.
		if (found.status === "unknown" || found.issuerId !== issuerId) {
			return unknown;
		}
		const thisUpdate = new Date(found.checkedAt);
		const nextUpdate = new Date(found.checkedAt + this.#validityMs);
		if (found.status === "good") {
			return { certId, status: "good", thisUpdate, nextUpdate };
		}
		return {
			certId,
			status: "revoked",
			revokedAt: found.revokedAt ?? found.checkedAt,
			reason: found.reason ?? "unspecified",
			thisUpdate,
			nextUpdate,
		};
	}
}

function statusOnly(status: OCSPResponseStatus): OcspReply {
	return {
		der: encodeOcspStatusOnly(status),
		responseStatus: status,
		hasNonce: false,
	};
}

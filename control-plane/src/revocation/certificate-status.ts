import { AnsError } from "@ans/shared/errors";
import type { Store } from "../storage/types.ts";
import type { CertificateStatus, ValidationCache } from "./validation-cache.ts";

/** Result of {@link CertificateStatusLookup.lookup} for a serial the CA never issued. */
export interface UnknownCertificateStatus {
	serial: string;
	status: "unknown";
	checkedAt: number;
}

/** Maximum serial number length in hex digits: 20 octets (RFC 5280, 4.1.2.2). */
const MAX_SERIAL_HEX_DIGITS = 40;

/**
 * Reads the revocation status of issued certificates through the validation
 * cache. Unknown serials are not cached, because anyone can send random
 * serials and they would push real entries out of a bounded cache.
 */
export class CertificateStatusLookup {
	readonly #store: Store;
	readonly #cache: ValidationCache;
	readonly #now: () => number;

	constructor(options: {
		store: Store;
		cache: ValidationCache;
		now?: () => number;
	}) {
		this.#store = options.store;
		this.#cache = options.cache;
		this.#now = options.now ?? Date.now;
	}

	/** Backend of the validation cache, for health and logs. */
	get cacheBackend(): ValidationCache["backend"] {
		return this.#cache.backend;
	}

	/**
	 * Returns the status of the certificate with serial `serial` (lowercase
	 * hex as {@link normalizeSerialHex} returns it) from the cache, or from the
	 * database when the cache has no entry.
	 */
	async lookup(
		serial: string,
	): Promise<CertificateStatus | UnknownCertificateStatus> {
		const cached = await this.#cache.get(serial);
		if (cached.hit) {
			return cached.status;
		}
		const checkedAt = this.#now();
		const row = await this.#store.findCertificate(serial);
		if (row === undefined) {
			return { serial, status: "unknown", checkedAt };
		}
		const status: CertificateStatus =
			row.revokedAt === null
				? {
						serial,
						issuerId: row.issuerId,
						status: "good",
						notAfter: row.notAfter,
						checkedAt,
					}
				: {
						serial,
						issuerId: row.issuerId,
						status: "revoked",
						revokedAt: row.revokedAt,
						reason: row.revocationReason ?? "unspecified",
						notAfter: row.notAfter,
						checkedAt,
					};
		await this.#cache.set(cached.token, status);
		return status;
	}

	/** Removes the cached status of `serial`, after its certificate was revoked. */
	invalidate(serial: string): Promise<void> {
		return this.#cache.invalidate(serial);
	}
}

/**
 * Converts the content octets of a DER INTEGER serial number to the form the
 * `certificates` table stores: lowercase hex without leading zero bytes.
 */
export function serialHexFromBytes(bytes: BufferSource): string {
	const view =
		bytes instanceof ArrayBuffer
			? new Uint8Array(bytes)
			: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	let start = 0;
	while (start < view.length - 1 && view[start] === 0) {
		start++;
	}
	return Buffer.from(view.subarray(start)).toString("hex");
}

/**
 * Normalizes a serial number given as hex by a client: lowercase, without
 * leading zero bytes. Raises `CERT_SERIAL_INVALID` unless it is 1 to 40 hex
 * digits.
 */
export function normalizeSerialHex(value: string, field = "serial"): string {
	if (!/^[0-9a-fA-F]+$/.test(value) || value.length > MAX_SERIAL_HEX_DIGITS) {
		throw new AnsError(
			"CERT_SERIAL_INVALID",
			`serial ${JSON.stringify(value.slice(0, 64))} must be 1 to ${MAX_SERIAL_HEX_DIGITS} hex digits, such as the serial number that openssl x509 -serial prints`,
			{ status: 400, field },
		);
	}
	const even = value.length % 2 === 0 ? value : `0${value}`;
	return serialHexFromBytes(Buffer.from(even, "hex"));
}

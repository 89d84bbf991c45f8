import type { CertificateAuthority } from "../certificates/index.ts";
import type { Logger } from "../logging/logger.ts";
import { Mutex } from "../storage/mutex.ts";
import type { Store } from "../storage/types.ts";
import { buildCrl } from "./crl.ts";

/** A signed CRL of one intermediate, as served. */
export interface PublishedCrl {
	issuerId: string;
	number: number;
	der: Uint8Array<ArrayBuffer>;
	thisUpdate: Date;
	nextUpdate: Date;
}

/** Options of {@link CrlPublisher}. */
export interface CrlPublisherOptions {
	store: Store;
	ca: CertificateAuthority;
	/** Time from thisUpdate to nextUpdate, in ms. */
	validityMs: number;
	logger: Logger;
	/** Clock for tests. */
	now?: () => Date;
}

/**
 * Keeps one current CRL per intermediate. A CRL is regenerated on every
 * revocation ({@link regenerate}), and on request or by the timer once half
 * of its validity has passed, so a fresh CRL exists long before nextUpdate.
 */
export class CrlPublisher {
	readonly #store: Store;
	readonly #ca: CertificateAuthority;
	readonly #validityMs: number;
	readonly #logger: Logger;
	readonly #now: () => Date;
	readonly #crls = new Map<string, PublishedCrl>();
	readonly #locks = new Map<string, Mutex>();
	/** Counts {@link markStale} calls, so a CRL begun before one is not kept. */
	#staleCount = 0;
	#timer: NodeJS.Timeout | undefined;
	/** The refresh that the timer started last, awaited by {@link stop}. */
	#refresh: Promise<void> = Promise.resolve();

	constructor(options: CrlPublisherOptions) {
		this.#store = options.store;
		this.#ca = options.ca;
		this.#validityMs = options.validityMs;
		this.#logger = options.logger;
		this.#now = options.now ?? (() => new Date());
	}

	/**
	 * Returns the current CRL of intermediate `issuerId` (the current
	 * intermediate when undefined), generating a new one when there is none
	 * yet or half of its validity has passed. Raises `CA_ISSUER_NOT_FOUND` for
	 * an unknown id and `CA_ISSUER_KEY_MISSING` when its key is missing.
	 */
	async current(issuerId?: string): Promise<PublishedCrl> {
		const id = this.#ca.intermediate(issuerId).id;
		const existing = this.#crls.get(id);
		if (existing !== undefined && !this.#isDue(existing)) {
			return existing;
		}
		return this.#lock(id).run(async () => {
			const again = this.#crls.get(id);
			if (again !== undefined && !this.#isDue(again)) {
				return again;
			}
			return this.#generate(id);
		});
	}

	/**
	 * Drops every stored CRL, so the next request generates a new one. Call it
	 * right after a revocation commits. A CRL whose generation is under way
	 * is returned to its caller but not stored.
	 */
	markStale(): void {
		this.#staleCount++;
		this.#crls.clear();
	}

	/** Generates and stores a new CRL of intermediate `issuerId` now, such as after a revocation. */
	async regenerate(issuerId: string): Promise<PublishedCrl> {
		const id = this.#ca.intermediate(issuerId).id;
		return this.#lock(id).run(() => this.#generate(id));
	}

	/**
	 * Starts a timer that regenerates every intermediate's CRL once half of
	 * its validity has passed, checking every quarter of the validity, and
	 * runs the first check at once. Failures are logged per intermediate.
	 */
	start(): void {
		if (this.#timer !== undefined) {
			return;
		}
		this.#refresh = this.refreshDue();
		this.#timer = setInterval(() => {
			this.#refresh = this.refreshDue();
		}, this.#validityMs / 4);
		this.#timer.unref();
	}

	/** Stops the timer of {@link start} and waits for a refresh under way. */
	async stop(): Promise<void> {
		clearInterval(this.#timer);
		this.#timer = undefined;
		await this.#refresh;
	}

	/** Regenerates the CRLs that are missing or past half their validity, and logs failures. */
	async refreshDue(): Promise<void> {
		for (const intermediate of this.#ca.listIntermediates()) {
			try {
				await this.current(intermediate.id);
			} catch (error) {
				this.#logger.error(
					{ err: error, issuerId: intermediate.id },
					"CRL regeneration failed",
				);
			}
		}
	}

	#isDue(crl: PublishedCrl): boolean {
		return (
			this.#now().getTime() >= crl.thisUpdate.getTime() + this.#validityMs / 2
		);
	}

	#lock(issuerId: string): Mutex {
		let lock = this.#locks.get(issuerId);
		if (lock === undefined) {
			lock = new Mutex();
			this.#locks.set(issuerId, lock);
		}
		return lock;
	}

	/** Must run under the issuer's lock, so CRL numbers are stored in order. */
	async #generate(issuerId: string): Promise<PublishedCrl> {
		const staleCount = this.#staleCount;
		const intermediate = this.#ca.intermediate(issuerId);
		const signer = this.#ca.crlSigner(issuerId);
		const now = this.#now();
		const thisUpdate = new Date(Math.floor(now.getTime() / 1000) * 1000);
		const nextUpdate = new Date(thisUpdate.getTime() + this.#validityMs);

		// The number is taken before the revoked list is read, so a CRL with a
		// higher number never lists fewer revocations.
		const number = await this.#store.nextCrlNumber(issuerId, now.getTime());
		const revoked = await this.#store.listRevokedCertificates(issuerId);
		// RFC 5280 (5.1.2.6) allows removing an entry once it appeared on one
		// scheduled CRL after the certificate expired. While the timer runs, a
		// CRL is at most three quarters of the validity old, so one full
		// validity period past expiry is enough.
		const keepAfter = thisUpdate.getTime() - this.#validityMs;
		const entries = revoked
			.filter((row) => row.revokedAt !== null && row.notAfter >= keepAfter)
			.map((row) => ({
				serial: row.serial,
				revokedAt: row.revokedAt ?? 0,
				reason: row.revocationReason,
			}));

		const der = await buildCrl({
			issuer: intermediate.certificate,
			signer,
			number,
			thisUpdate,
			nextUpdate,
			entries,
		});
		const crl: PublishedCrl = {
			issuerId,
			number,
			der,
			thisUpdate,
			nextUpdate,
		};
		if (staleCount === this.#staleCount) {
			this.#crls.set(issuerId, crl);
		}
		this.#logger.info(
			{ issuerId, crlNumber: number, entries: entries.length },
			"generated CRL",
		);
		return crl;
	}
}

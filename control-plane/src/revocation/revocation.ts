import type { CertificateAuthority } from "../certificates/index.ts";
import type { Config } from "../config/config.ts";
import type { Logger } from "../logging/logger.ts";
import type { Store } from "../storage/types.ts";
import { CertificateStatusLookup } from "./certificate-status.ts";
import { CrlPublisher } from "./crl-publisher.ts";
import { OcspResponder } from "./ocsp-responder.ts";
import {
	describeRedisUrl,
	RedisValidationCache,
} from "./redis-validation-cache.ts";
import {
	MemoryValidationCache,
	type ValidationCache,
} from "./validation-cache.ts";

/** The revocation services of a running control plane. */
export interface Revocation {
	statuses: CertificateStatusLookup;
	crl: CrlPublisher;
	ocsp: OcspResponder;
	/**
	 * Handles a committed revocation: drops the cached status of `serial` and
	 * the current CRLs, then regenerates the issuer's CRL in the background.
	 * Failures are logged, because the caller has already committed.
	 */
	onCertificateRevoked(serial: string): void;
	/** Resolves once the work started by every earlier {@link onCertificateRevoked} has finished. */
	settled(): Promise<void>;
	/** Stops the CRL timer and closes the validation cache. */
	close(): Promise<void>;
}

/** Collaborators of {@link startRevocation}. */
export interface RevocationDeps {
	config: Pick<
		Config,
		"redisUrl" | "redisKeyPrefix" | "crlValiditySeconds" | "ocspValiditySeconds"
	>;
	store: Store;
	ca: CertificateAuthority;
	logger: Logger;
}

/**
 * Opens the validation cache (Redis when `config.redisUrl` is set, memory
 * otherwise), creates the CRL publisher and OCSP responder, and starts the
 * CRL timer. Raises `VALIDATION_CACHE_UNAVAILABLE` when Redis cannot be
 * reached.
 */
export async function startRevocation(
	deps: RevocationDeps,
): Promise<Revocation> {
	const { config, store, ca, logger } = deps;
	const cache: ValidationCache =
		config.redisUrl === undefined
			? new MemoryValidationCache()
			: await RedisValidationCache.connect({
					url: config.redisUrl,
					keyPrefix: config.redisKeyPrefix,
					logger,
				});
	logger.info(
		{
			backend: cache.backend,
			...(config.redisUrl === undefined
				? {}
				: { redis: describeRedisUrl(config.redisUrl) }),
		},
		"certificate validation cache ready",
	);

	const statuses = new CertificateStatusLookup({ store, cache });
	const crl = new CrlPublisher({
		store,
		ca,
		validityMs: config.crlValiditySeconds * 1000,
		logger,
	});
	const ocsp = new OcspResponder({
		ca,
		statuses,
		validityMs: config.ocspValiditySeconds * 1000,
		logger,
	});
	crl.start();

	const pending = new Set<Promise<void>>();
	const handleRevoked = async (serial: string): Promise<void> => {
		try {
			await statuses.invalidate(serial);
		} catch (error) {
			logger.error(
				{ err: error, serial },
				"could not remove a revoked certificate from the validation cache; its old status may be served for up to 5 minutes",
			);
		}
		try {
			const row = await store.findCertificate(serial);
			if (row !== undefined) {
				await crl.regenerate(row.issuerId);
			}
		} catch (error) {
			logger.error(
				{ err: error, serial },
				"CRL regeneration after a revocation failed; the next CRL request retries",
			);
		}
	};

	return {
		statuses,
		crl,
		ocsp,
		onCertificateRevoked(serial) {
			// Synchronous, so that no request after the caller's commit can be
			// served a CRL generated before it.
			crl.markStale();
			const work = handleRevoked(serial);
			pending.add(work);
			void work.finally(() => pending.delete(work));
		},
		async settled() {
			await Promise.all([...pending]);
		},
		async close() {
			await crl.stop();
			await Promise.all([...pending]);
			await cache.close();
		},
	};
}

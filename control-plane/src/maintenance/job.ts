/**
 * Periodic upkeep: expire agents whose certificate ran out, activate a
 * rotated signing key when its time comes, re-sign records before they
 * expire or when another key signed them, and drop spent proof nonces.
 *
 * @module
 */
import { expireAgents, type LifecycleDeps } from "../lifecycle/actions.ts";
import type { Logger } from "../logging/logger.ts";
import { resignDueRecords } from "../publication/resign-job.ts";
import type { SigningKeys } from "../signing-keys/signing-keys.ts";

/** Settings of {@link runMaintenance}. */
export interface MaintenanceOptions {
	lifecycle: LifecycleDeps;
	signingKeys: SigningKeys;
	logger: Logger;
	recordValiditySeconds: number;
}

/** Runs every upkeep step once. */
export async function runMaintenance(
	options: MaintenanceOptions,
	now = Date.now(),
): Promise<void> {
	const { lifecycle, logger } = options;
	const expired = await expireAgents(lifecycle, now);
	if (expired > 0) {
		logger.info(
			{ count: expired },
			"marked agents with expired certificates as expired",
		);
	}
	const activated = await options.signingKeys.activateDue(now);
	if (activated !== undefined) {
		logger.info({ kid: activated }, "activated the rotated signing key");
	}
	await resignDueRecords(
		{
			activeKid: options.signingKeys.activeKid(),
			store: lifecycle.store,
			publish: lifecycle.publish,
			logger,
			recordValiditySeconds: options.recordValiditySeconds,
			onChange: lifecycle.onChange,
		},
		now,
	);
	await lifecycle.store.purgeProofNonces(now);
}

/** Runs {@link runMaintenance} every `intervalMs`; returns a stop function. */
export function startMaintenance(
	options: MaintenanceOptions,
	intervalMs: number,
): () => void {
	let running = false;
	const timer = setInterval(() => {
		if (running) {
			return;
		}
		running = true;
		runMaintenance(options)
			.catch((error: unknown) =>
				options.logger.error({ err: error }, "maintenance run failed"),
			)
			.finally(() => {
				running = false;
			});
	}, intervalMs);
	timer.unref();
	return () => clearInterval(timer);
}

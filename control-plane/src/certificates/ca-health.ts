import type { x509 } from "@ans/shared/keys";

/** Days before a CA certificate's notAfter from which health reports a problem. */
export const EXPIRY_WARNING_DAYS = 30;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Health of the CA, as the health endpoint reports it. */
export interface CaHealth {
	/** False when a key is not loaded or a CA certificate has a validity problem. */
	ok: boolean;
	keysLoaded: boolean;
	root: { notAfter: string };
	intermediate: { id: string; notAfter: string };
	/** One sentence per problem found, empty when `ok` is true. */
	problems: string[];
}

/** Input of {@link checkCaHealth}. */
export interface CaHealthParams {
	root: x509.X509Certificate;
	intermediate: x509.X509Certificate;
	intermediateId: string;
	keysLoaded: boolean;
	now: Date;
}

/**
 * Checks the CA at time `now`. A CA certificate that is not yet valid, has
 * expired, or expires within {@link EXPIRY_WARNING_DAYS} days is a problem,
 * and so are keys that are not loaded.
 */
export function checkCaHealth(params: CaHealthParams): CaHealth {
	const { root, intermediate, now } = params;
	const problems: string[] = [];
	if (!params.keysLoaded) {
		problems.push("the CA private keys are not loaded");
	}
	checkValidity(problems, "root CA certificate", root, now);
	checkValidity(
		problems,
		`intermediate CA certificate ${params.intermediateId}`,
		intermediate,
		now,
	);
	return {
		ok: problems.length === 0,
		keysLoaded: params.keysLoaded,
		root: { notAfter: root.notAfter.toISOString() },
		intermediate: {
			id: params.intermediateId,
			notAfter: intermediate.notAfter.toISOString(),
		},
		problems,
	};
}

function checkValidity(
	problems: string[],
	label: string,
	certificate: x509.X509Certificate,
	now: Date,
): void {
	const { notBefore, notAfter } = certificate;
	if (now < notBefore) {
		problems.push(
			`${label} is not valid until ${notBefore.toISOString()}; check the system clock`,
		);
		return;
	}
	if (now > notAfter) {
		problems.push(`${label} expired on ${notAfter.toISOString()}`);
		return;
	}
	const remainingMs = notAfter.getTime() - now.getTime();
	if (remainingMs < EXPIRY_WARNING_DAYS * DAY_MS) {
		const days = Math.floor(remainingMs / DAY_MS);
		problems.push(
			`${label} expires on ${notAfter.toISOString()}, in ${days} ${days === 1 ? "day" : "days"}`,
		);
	}
}

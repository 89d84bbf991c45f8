import { AnsError } from "@ans/shared/errors";
import {
	type ExpectedName,
	onlineRevocationCheck,
	type ResolutionAnswer,
	verifyResolution,
} from "@ans/shared/verification";
import type { TrustBundle } from "./trust.ts";

/** Checks that a parsed JSON value has the shape of a resolution answer. */
export function asResolutionAnswer(
	value: unknown,
	source: string,
): ResolutionAnswer {
	const answer = value as Partial<ResolutionAnswer> | null;
	if (
		typeof answer?.record !== "string" ||
		typeof answer.certificate !== "string" ||
		!Array.isArray(answer.chain)
	) {
		throw new AnsError(
			"ANSWER_INVALID",
			`${source} must be JSON with record, certificate and chain`,
			{
				status: 400,
				field: "answer",
			},
		);
	}
	return answer as ResolutionAnswer;
}

/**
 * Verifies an answer against a trust bundle and returns what the CLI
 * prints: the record's claims and each check passed. Everything but the
 * revocation check runs offline; with `checkRevocation` the certificate's
 * status comes from its OCSP responder, falling back to its CRL, and the
 * result says which one answered.
 */
export async function verifyAnswer(
	answer: ResolutionAnswer,
	trust: TrustBundle,
	options: {
		expectedName?: ExpectedName | undefined;
		checkRevocation: boolean;
	},
) {
	const verified = await verifyResolution(answer, {
		jwks: trust.jwks,
		trustAnchors: trust.roots,
		...(options.expectedName === undefined
			? {}
			: { expectedName: options.expectedName }),
		...(options.checkRevocation
			? { checkRevocation: onlineRevocationCheck() }
			: {}),
	});
	return {
		verified: true,
		record: verified.payload,
		kid: verified.header.kid,
		certificate: {
			serial: verified.payload.certificate.serial,
			subject: verified.certificate.subject,
			notAfter: verified.certificate.notAfter.toISOString(),
		},
		revocation: verified.revocation,
		checks: verified.checks,
	};
}

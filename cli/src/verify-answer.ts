import { AnsError } from "@ans/shared/errors";
import {
	type ExpectedName,
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
 * Verifies an answer offline against a trust bundle and returns what the
 * CLI prints: the record's claims and each check passed.
 */
export async function verifyAnswer(
	answer: ResolutionAnswer,
	trust: TrustBundle,
	expectedName?: ExpectedName,
) {
	const verified = await verifyResolution(answer, {
		jwks: trust.jwks,
		trustAnchors: trust.roots,
		...(expectedName === undefined ? {} : { expectedName }),
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

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
 *
 * When the record's key is not in a trust file's JWKS
 * (`RECORD_KEY_UNKNOWN`), the error names the command that refreshes
 * `trustFile`.
 */
export async function verifyAnswer(
	answer: ResolutionAnswer,
	trust: TrustBundle,
	options: {
		expectedName?: ExpectedName | undefined;
		checkRevocation: boolean;
		/** The file `trust` was read from; undefined when it was fetched. */
		trustFile?: string | undefined;
	},
) {
	let verified: Awaited<ReturnType<typeof verifyResolution>>;
	try {
		verified = await verifyResolution(answer, {
			jwks: trust.jwks,
			trustAnchors: trust.roots,
			...(options.expectedName === undefined
				? {}
				: { expectedName: options.expectedName }),
			...(options.checkRevocation
				? { checkRevocation: onlineRevocationCheck() }
				: {}),
		});
	} catch (error) {
		throw withTrustFetchHint(error, trust, options.trustFile);
	}
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

/**
 * Adds to a `RECORD_KEY_UNKNOWN` error the command that refetches the trust
 * file, because a signing-key rotation after the file was saved is the
 * usual cause. Other errors are returned unchanged.
 */
function withTrustFetchHint(
	error: unknown,
	trust: TrustBundle,
	trustFile: string | undefined,
): unknown {
	if (
		trustFile === undefined ||
		!(error instanceof AnsError) ||
		error.code !== "RECORD_KEY_UNKNOWN"
	) {
		return error;
	}
	return new AnsError(
		error.code,
		`${error.message} If the registry rotated its signing key after ${trustFile} was saved, refresh the file with: ans trust fetch --out ${trustFile} --url ${trust.source}`,
		{
			status: error.status,
			...(error.field === undefined ? {} : { field: error.field }),
			cause: error,
		},
	);
}

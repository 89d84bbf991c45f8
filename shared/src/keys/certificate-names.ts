import { AnsError } from "../errors.ts";

/**
 * Maximum length in characters of a CN or O value: ub-common-name and
 * ub-organization-name in RFC 5280, Appendix A.
 */
export const MAX_SUBJECT_ATTRIBUTE_LENGTH = 64;

/**
 * Reports whether `value` contains a C0 control character or DEL. They have
 * no place in a name, and some tools print them unescaped.
 */
function containsControlCharacter(value: string): boolean {
	for (let i = 0; i < value.length; i++) {
		const code = value.charCodeAt(i);
		if (code < 0x20 || code === 0x7f) {
			return true;
		}
	}
	return false;
}

// A SubjectAltName URI is an IA5String (RFC 5280, 4.2.1.6), so it is limited
// to printable ASCII here, and it must have a scheme and an authority.
const SAN_URI = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[\u0021-\u007e]+$/;

/**
 * Raises `CERT_SUBJECT_INVALID` unless `value` can be a CN or O attribute:
 * not empty, at most {@link MAX_SUBJECT_ATTRIBUTE_LENGTH} characters, and
 * free of control characters.
 */
export function validateSubjectAttribute(
	value: unknown,
	field: string,
): string {
	if (typeof value !== "string" || value.length === 0) {
		throw new AnsError(
			"CERT_SUBJECT_INVALID",
			`${field} is missing or empty; pass a non-empty string`,
			{ status: 400, field },
		);
	}
	const length = [...value].length;
	if (length > MAX_SUBJECT_ATTRIBUTE_LENGTH) {
		throw new AnsError(
			"CERT_SUBJECT_INVALID",
			`${field} is ${length} characters long; a certificate subject attribute allows at most ${MAX_SUBJECT_ATTRIBUTE_LENGTH}`,
			{ status: 400, field },
		);
	}
	if (containsControlCharacter(value)) {
		throw new AnsError(
			"CERT_SUBJECT_INVALID",
			`${field} ${JSON.stringify(value)} contains a control character; remove it`,
			{ status: 400, field },
		);
	}
	return value;
}

/**
 * Raises `CERT_SAN_URI_INVALID` unless `value` can be a SubjectAltName URI:
 * printable ASCII without spaces, in the form `scheme://rest`.
 */
export function validateSanUri(value: unknown, field: string): string {
	if (typeof value !== "string" || !SAN_URI.test(value)) {
		throw new AnsError(
			"CERT_SAN_URI_INVALID",
			`${field} ${JSON.stringify(value)} is not a valid SubjectAltName URI; expected printable ASCII without spaces in the form scheme://host..., such as a2a://textprocessor.documenttranslation.acmecorp.v2.1.0.hipaa`,
			{ status: 400, field },
		);
	}
	return value;
}

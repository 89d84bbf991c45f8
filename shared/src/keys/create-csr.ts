import { AnsError } from "../errors.ts";
import { signingParams } from "./agent-key-type.ts";
import {
	validateSanUri,
	validateSubjectAttribute,
} from "./certificate-names.ts";
import { encodePem } from "./pem.ts";
import { x509 } from "./x509.ts";

/** Input of {@link createCsr}. */
export interface CreateCsrParams {
	/** Agent key pair; the private key signs the request as proof of possession. */
	keys: CryptoKeyPair;
	/** Canonical ANS name, placed in the SubjectAltName as a URI. */
	canonicalName: string;
	/** Agent id, placed in the subject as CN. */
	agentId: string;
}

/**
 * Creates a PKCS#10 certificate signing request and returns it as PEM
 * (`CERTIFICATE REQUEST`). The subject is `CN=<agentId>` and the request contains a
 * SubjectAltName extension request with the URI `canonicalName`. The CA ignores both and
 * sets them from the registered name, but keeping them in the request lets
 * `openssl req -text` show what the request is for.
 */
export async function createCsr(params: CreateCsrParams): Promise<string> {
	const agentId = validateSubjectAttribute(params.agentId, "agentId");
	const canonicalName = validateSanUri(params.canonicalName, "canonicalName");
	const { keys } = params;
	if (
		keys?.privateKey?.type !== "private" ||
		keys.publicKey?.type !== "public"
	) {
		throw new AnsError(
			"KEY_PAIR_INVALID",
			"keys must be a CryptoKeyPair with a private and a public key; use generateAgentKeyPair() or importKeyPairPem()",
			{ status: 400, field: "keys" },
		);
	}
	const request = await x509.Pkcs10CertificateRequestGenerator.create({
		name: [{ CN: [agentId] }],
		keys,
		signingAlgorithm: signingParams(keys.privateKey),
		extensions: [
			new x509.SubjectAlternativeNameExtension([
				{ type: "url", value: canonicalName },
			]),
		],
	});
	return encodePem(request.rawData, "CERTIFICATE REQUEST");
}

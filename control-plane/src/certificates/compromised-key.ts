/**
 * Rejection of CSRs for keys that were reported compromised.
 *
 * Only the reason `keyCompromise` blocks a key. The other reasons
 * (`superseded` by a renewal, `cessationOfOperation` at deregistration,
 * `affiliationChanged`, `privilegeWithdrawn`, `unspecified`) end the
 * certificate or the agent, but the holder still controls the private key
 * alone. A certificate for the same key may therefore be issued again, for
 * example when an operator registers a new version with the old key pair.
 *
 * @module
 */
import { AnsError } from "@ans/shared/errors";
import type { x509 } from "@ans/shared/keys";
import type { Store } from "../storage/types.ts";
import { publicKeySha256 } from "./public-key-hash.ts";

/**
 * Raises 400 `CSR_KEY_COMPROMISED` when any certificate for `publicKey`,
 * issued to any agent, was revoked with reason `keyCompromise`. Call it
 * before the CA signs, with the key of a CSR that passed `parseCsr`.
 *
 * NOTE: the check reads committed rows before the certificate is issued.
 * A keyCompromise revocation that commits between this read and the
 * registration's commit does not block that registration.
 */
export async function rejectCompromisedKey(
	store: Pick<Store, "listCertificatesByPublicKey">,
	publicKey: x509.PublicKey,
	field = "csr",
): Promise<void> {
	const hash = publicKeySha256(publicKey.rawData);
	const certificates = await store.listCertificatesByPublicKey(hash);
	const compromised = certificates.find(
		(certificate) => certificate.revocationReason === "keyCompromise",
	);
	if (compromised === undefined) {
		return;
	}
	throw new AnsError(
		"CSR_KEY_COMPROMISED",
		`the public key in ${field} (SHA-256 of its SubjectPublicKeyInfo ${hash}) was reported compromised when certificate ${compromised.serial} was revoked with reason keyCompromise, so it is never certified again; generate a new key pair and send a CSR for the new key`,
		{ status: 400, field },
	);
}

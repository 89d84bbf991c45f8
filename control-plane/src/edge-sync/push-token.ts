import type { ChangeEvent } from "@ans/shared/change-feed";
import { SignJWT } from "jose";

/** JWS header `typ` of a push, which edges require. */
export const PUSH_JWS_TYPE = "ans-push+jws";

/** Lifetime of a push, seconds; a retry signs a new one. */
export const PUSH_LIFETIME_SECONDS = 60;

/** Contents of one push besides the signature and times. */
export interface PushBatch {
	/** Control plane's public URL. */
	issuer: string;
	/** Edge id. */
	audience: string;
	/** Highest committed sequence when the batch was read. */
	head: number;
	/** Contiguous changes in sequence order; at least one. */
	changes: ChangeEvent[];
}

/**
 * Signs a push as a compact JWS (ES256, `typ` "ans-push+jws") with payload
 * `{typ: "ans-push", iss, aud, iat, exp, from, to, head, changes}`, where
 * `exp` is `iat` plus {@link PUSH_LIFETIME_SECONDS}.
 */
export async function signPush(
	batch: PushBatch,
	key: { kid: string; privateKey: CryptoKey },
	now = Date.now(),
): Promise<string> {
	const first = batch.changes[0];
	const last = batch.changes.at(-1);
	if (first === undefined || last === undefined) {
		throw new Error("a push needs at least one change");
	}
	const iat = Math.floor(now / 1000);
	return new SignJWT({
		typ: "ans-push",
		from: first.seq,
		to: last.seq,
		head: batch.head,
		changes: batch.changes,
	})
		.setProtectedHeader({ alg: "ES256", kid: key.kid, typ: PUSH_JWS_TYPE })
		.setIssuer(batch.issuer)
		.setAudience(batch.audience)
		.setIssuedAt(iat)
		.setExpirationTime(iat + PUSH_LIFETIME_SECONDS)
		.sign(key.privateKey);
}

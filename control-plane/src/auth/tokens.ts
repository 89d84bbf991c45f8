/**
 * Bearer tokens. A token is `ans_` plus 32 random bytes in base64url; the
 * database stores only its SHA-256, so a leaked database grants nothing.
 *
 * @module
 */
import {
	createHash,
	randomBytes,
	randomUUID,
	timingSafeEqual,
} from "node:crypto";
import { AnsError } from "@ans/shared/errors";
import type { Store } from "../storage/types.ts";

/** Scopes a token can carry. `admin` implies every other scope. */
export const scopes = ["admin", "register"] as const;
export type Scope = (typeof scopes)[number];

const tokenPrefix = "ans_";

/** Creates a random token secret. */
export function generateTokenSecret(): string {
	return tokenPrefix + randomBytes(32).toString("base64url");
}

/** Hex SHA-256 of a token, the form stored in the database. */
export function hashToken(token: string): string {
	return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Stores a new token and returns its secret, which is shown only once. */
export async function createToken(
	store: Store,
	options: {
		scopes: Scope[];
		label?: string;
		expiresAt?: number;
		now?: number;
	},
): Promise<{
	id: string;
	token: string;
	scopes: Scope[];
	expiresAt: number | null;
}> {
	const token = generateTokenSecret();
	const id = `tok_${randomUUID().replaceAll("-", "")}`;
	await store.insertToken({
		id,
		hash: hashToken(token),
		scopes: options.scopes.join(" "),
		label: options.label ?? null,
		createdAt: options.now ?? Date.now(),
		expiresAt: options.expiresAt ?? null,
		revokedAt: null,
	});
	return {
		id,
		token,
		scopes: options.scopes,
		expiresAt: options.expiresAt ?? null,
	};
}

/**
 * Resolves a presented token to its scopes. The configured admin token is
 * compared in constant time; others are looked up by hash.
 */
export async function authenticateToken(
	store: Store,
	adminTokenHash: string,
	token: string,
	now = Date.now(),
): Promise<Set<Scope>> {
	const hash = hashToken(token);
	if (
		timingSafeEqual(
			Buffer.from(hash, "hex"),
			Buffer.from(adminTokenHash, "hex"),
		)
	) {
		return new Set(scopes);
	}
	const row = await store.findTokenByHash(hash);
	if (row === undefined || row.revokedAt !== null) {
		throw new AnsError(
			"TOKEN_INVALID",
			"the bearer token is unknown or revoked",
			{ status: 401 },
		);
	}
	if (row.expiresAt !== null && row.expiresAt <= now) {
		throw new AnsError(
			"TOKEN_EXPIRED",
			"the bearer token has expired; create a new one",
			{
				status: 401,
			},
		);
	}
	const granted = new Set(row.scopes.split(" ").filter(Boolean) as Scope[]);
	if (granted.has("admin")) {
		return new Set(scopes);
	}
	return granted;
}

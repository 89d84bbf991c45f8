/**
 * Maps PostgreSQL unique violations (SQLSTATE 23505) to
 * {@link UniqueViolationError}, named as the SQLite store names them
 * (`table.column`), so callers such as registration can test
 * `constraint.startsWith("agents")` without knowing the dialect.
 *
 * @module
 */
import { UniqueViolationError } from "../types.ts";

/** SQLSTATE of unique_violation. */
const UNIQUE_VIOLATION = "23505";

/** PostgreSQL constraint or index name → the name callers see. */
const constraintNames: Record<string, string> = {
	agents_pkey: "agents.id",
	agents_base_key_version_unique: "agents.base_key_version",
	certificates_pkey: "certificates.serial",
	changes_pkey: "changes.seq",
	proof_nonces_pkey: "proof_nonces.jti",
	tokens_pkey: "tokens.id",
	tokens_hash_unique: "tokens.hash",
	signing_keys_pkey: "signing_keys.kid",
};

/**
 * Runs `write` and rethrows a unique violation as
 * {@link UniqueViolationError}; every other error passes through.
 */
export async function rethrowUniqueViolation<T>(
	write: () => Promise<T>,
): Promise<T> {
	try {
		return await write();
	} catch (error) {
		const constraint = uniqueViolationConstraint(error);
		if (constraint !== undefined) {
			throw new UniqueViolationError(constraint, { cause: error });
		}
		throw error;
	}
}

/**
 * Returns the caller-facing constraint name when `error`, or an error in
 * its `cause` chain (drizzle wraps driver errors), is a unique violation.
 */
function uniqueViolationConstraint(error: unknown): string | undefined {
	for (let current = error; current instanceof Error; current = current.cause) {
		const { code, constraint } = current as {
			code?: unknown;
			constraint?: unknown;
		};
		if (code === UNIQUE_VIOLATION) {
			const name = typeof constraint === "string" ? constraint : "";
			return constraintNames[name] ?? (name === "" ? "unknown" : name);
		}
	}
	return undefined;
}

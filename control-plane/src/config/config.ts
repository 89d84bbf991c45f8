/**
 * Control-plane configuration, read once from the environment at start
 * and validated so a bad value stops the process with the variable's name.
 *
 * @module
 */
import { resolve } from "node:path";
import { z } from "zod";
import { type EdgeTarget, parseEdgeList } from "../edge-sync/edge-list.ts";

/** Validated settings; every field has a default except secrets. */
export interface Config {
	host: string;
	port: number;
	/** Base URL clients use to reach this service; also the record issuer. */
	publicUrl: string;
	databaseUrl: string;
	/** Maximum number of pooled PostgreSQL connections; unused with libSQL. */
	databasePoolMax: number;
	/** Directory for CA keys, signing keys and the generated admin token. */
	dataDir: string;
	adminToken: string | undefined;
	keyPassphrase: string | undefined;
	allowLoopbackEndpoints: boolean;
	certificateValidityDays: number;
	/** Lifetime of a signed endpoint record (JWS `exp - iat`). */
	recordValiditySeconds: number;
	maxBodyBytes: number;
	/** Redis URL of the shared certificate validation cache; memory when undefined. */
	redisUrl: string | undefined;
	/** Prefix of the validation cache keys in Redis. */
	redisKeyPrefix: string;
	/** Time from a CRL's thisUpdate to its nextUpdate. */
	crlValiditySeconds: number;
	/** Time from an OCSP response's thisUpdate to its nextUpdate. */
	ocspValiditySeconds: number;
	/**
	 * Seconds a rotated signing key is published in the JWKS before it signs,
	 * at least the JWKS cache lifetime so every cache has seen it.
	 */
	signingKeyPublishSeconds: number;
	logLevel: string;
	/** Edges that receive pushed changes (`ANS_EDGES`). */
	edges: EdgeTarget[];
}

const flag = z
	.enum(["0", "1", "true", "false", ""])
	.default("0")
	.transform((value) => value === "1" || value === "true");

const envSchema = z.object({
	HOST: z.string().min(1).default("127.0.0.1"),
	PORT: z.coerce.number().int().min(0).max(65535).default(8080),
	ANS_PUBLIC_URL: z.url().optional(),
	ANS_DATA_DIR: z.string().min(1).default("data"),
	ANS_DATABASE_URL: z.string().min(1).optional(),
	ANS_DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(1000).default(10),
	ANS_ADMIN_TOKEN: z
		.string()
		.min(16, "must be at least 16 characters")
		.optional(),
	ANS_KEY_PASSPHRASE: z
		.string()
		.min(8, "must be at least 8 characters")
		.optional(),
	ANS_ALLOW_LOOPBACK_ENDPOINTS: flag,
	ANS_CERT_VALIDITY_DAYS: z.coerce.number().int().min(1).max(825).default(90),
	ANS_RECORD_VALIDITY_SECONDS: z.coerce
		.number()
		.int()
		.min(60)
		.max(30 * 86400)
		.default(86400),
	ANS_SIGNING_KEY_PUBLISH_SECONDS: z.coerce
		.number()
		.int()
		.min(0)
		.max(7 * 86400)
		.default(900),
	ANS_MAX_BODY_BYTES: z.coerce
		.number()
		.int()
		.min(1024)
		.max(16 * 1024 * 1024)
		.default(256 * 1024),
	ANS_EDGES: z
		.string()
		.default("")
		.transform((value, context) => {
			try {
				return parseEdgeList(value);
			} catch (error) {
				context.addIssue({ code: "custom", message: (error as Error).message });
				return z.NEVER;
			}
		}),
	ANS_REDIS_URL: z
		.url()
		.refine(
			(value) => /^rediss?:\/\//.test(value),
			"must be a redis:// or rediss:// URL",
		)
		.optional(),
	ANS_REDIS_KEY_PREFIX: z.string().min(1).max(100).default("ans:validation:"),
	ANS_CRL_VALIDITY_SECONDS: z.coerce
		.number()
		.int()
		.min(3600)
		.max(7 * 86400)
		.default(86400),
	// At least 10 minutes, so that a response built from a 5-minute-old
	// cached status is still fresh when the client checks it.
	ANS_OCSP_VALIDITY_SECONDS: z.coerce
		.number()
		.int()
		.min(600)
		.max(7 * 86400)
		.default(3600),
	ANS_LOG_LEVEL: z
		.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
		.default("info"),
});

/**
 * Reads the configuration from `env`. Throws an Error that lists every
 * invalid variable with the reason.
 */
export function loadConfig(
	env: Record<string, string | undefined> = process.env,
): Config {
	const defined = Object.fromEntries(
		Object.entries(env).filter(([, value]) => value !== undefined),
	);
	const parsed = envSchema.safeParse(defined);
	if (!parsed.success) {
		const problems = parsed.error.issues.map(
			(issue) => `${issue.path.join(".")}: ${issue.message}`,
		);
		throw new Error(`invalid configuration: ${problems.join("; ")}`);
	}
	const values = parsed.data;
	const dataDir = resolve(values.ANS_DATA_DIR);
	return {
		host: values.HOST,
		port: values.PORT,
		publicUrl: (
			values.ANS_PUBLIC_URL ??
			`http://${hostForUrl(values.HOST)}:${values.PORT}`
		).replace(/\/+$/, ""),
		databaseUrl:
			values.ANS_DATABASE_URL ?? `file:${resolve(dataDir, "ans.db")}`,
		databasePoolMax: values.ANS_DATABASE_POOL_MAX,
		dataDir,
		adminToken: values.ANS_ADMIN_TOKEN,
		keyPassphrase: values.ANS_KEY_PASSPHRASE,
		allowLoopbackEndpoints: values.ANS_ALLOW_LOOPBACK_ENDPOINTS,
		certificateValidityDays: values.ANS_CERT_VALIDITY_DAYS,
		recordValiditySeconds: values.ANS_RECORD_VALIDITY_SECONDS,
		maxBodyBytes: values.ANS_MAX_BODY_BYTES,
		redisUrl: values.ANS_REDIS_URL,
		redisKeyPrefix: values.ANS_REDIS_KEY_PREFIX,
		crlValiditySeconds: values.ANS_CRL_VALIDITY_SECONDS,
		ocspValiditySeconds: values.ANS_OCSP_VALIDITY_SECONDS,
		signingKeyPublishSeconds: values.ANS_SIGNING_KEY_PUBLISH_SECONDS,
		logLevel: values.ANS_LOG_LEVEL,
		edges: values.ANS_EDGES,
	};
}

function hostForUrl(host: string): string {
	if (host === "0.0.0.0" || host === "::") {
		return "127.0.0.1";
	}
	return host.includes(":") ? `[${host}]` : host;
}

import { AnsError } from "@ans/shared/errors";
import { createClient } from "redis";
import type { Logger } from "../logging/logger.ts";
import { LogLimiter } from "./log-limiter.ts";
import {
	type CacheLookup,
	type CertificateStatus,
	VALIDATION_CACHE_TTL_MS,
	type ValidationCache,
} from "./validation-cache.ts";

/** Default key prefix of {@link RedisValidationCache}. */
export const DEFAULT_REDIS_KEY_PREFIX = "ans:validation:";

/** Time to wait for a Redis reply before a lookup falls back to the database. */
const COMMAND_TIMEOUT_MS = 1000;

/** Time to wait for the first connection at start. */
const CONNECT_TIMEOUT_MS = 5000;

/** Token of a miss while Redis failed; `set` ignores it. */
const UNAVAILABLE_TOKEN = "unavailable";

/**
 * Writes the status (KEYS[1], ARGV[2], TTL ARGV[3] ms) only while the
 * serial's invalidation counter (KEYS[2]) still has the value that the
 * reader saw (ARGV[1], empty when the counter did not exist).
 */
const SET_IF_NOT_INVALIDATED = `
local current = redis.call('GET', KEYS[2]) or ''
if current == ARGV[1] then
	redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
	return 1
end
return 0
`;

type RedisClient = ReturnType<typeof createClient>;

/** Options of {@link RedisValidationCache.connect}. */
export interface RedisValidationCacheOptions {
	/** `redis://` or `rediss://` URL, possibly with credentials. */
	url: string;
	/** Prefix of every key. Defaults to {@link DEFAULT_REDIS_KEY_PREFIX}. */
	keyPrefix?: string;
	/** Defaults to {@link VALIDATION_CACHE_TTL_MS}. */
	ttlMs?: number;
	logger: Logger;
}

/**
 * A {@link ValidationCache} in Redis, shared by every control-plane process
 * that uses the same Redis and key prefix.
 *
 * Each serial has a status key and an invalidation counter key. `invalidate`
 * increments the counter and deletes the status, and `set` writes only while
 * the counter is unchanged since the `get` that missed. A write expires one
 * TTL after that `get` and is skipped when that time has passed. The counter
 * lives for two TTLs after an invalidation, so it outlives every write based
 * on a read from before the invalidation.
 *
 * Lookups that fail because Redis is down or slow count as misses, and they
 * are logged at most once a minute. `invalidate` raises its error to the
 * caller.
 */
export class RedisValidationCache implements ValidationCache {
	readonly backend = "redis" as const;
	readonly #client: RedisClient;
	readonly #prefix: string;
	readonly #ttlMs: number;
	readonly #logger: Logger;
	readonly #errorLog = new LogLimiter();

	private constructor(
		client: RedisClient,
		options: RedisValidationCacheOptions,
	) {
		this.#client = client;
		this.#prefix = options.keyPrefix ?? DEFAULT_REDIS_KEY_PREFIX;
		this.#ttlMs = options.ttlMs ?? VALIDATION_CACHE_TTL_MS;
		this.#logger = options.logger;
	}

	/**
	 * Connects to Redis. Raises `VALIDATION_CACHE_UNAVAILABLE` when the first
	 * connection fails or takes longer than 5 seconds. Later disconnects are
	 * retried in the background while lookups fall back to the database.
	 */
	static async connect(
		options: RedisValidationCacheOptions,
	): Promise<RedisValidationCache> {
		const target = describeRedisUrl(options.url);
		const client: RedisClient = createClient({
			url: options.url,
			disableOfflineQueue: true,
			commandOptions: { timeout: COMMAND_TIMEOUT_MS },
			socket: {
				connectTimeout: CONNECT_TIMEOUT_MS,
				reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 5000),
			},
		});
		const cache = new RedisValidationCache(client, options);

		// Until the first connection succeeds, an error fails the start at once
		// instead of entering the reconnect loop.
		let rejectStart: (error: unknown) => void = () => {};
		const startFailed = new Promise<never>((_, reject) => {
			rejectStart = reject;
		});
		let connected = false;
		client.on("error", (error: unknown) => {
			if (connected) {
				cache.#logError(error, "Redis connection error; retrying", {
					redis: target,
				});
			} else {
				rejectStart(error);
			}
		});

		let timer: NodeJS.Timeout | undefined;
		try {
			await Promise.race([
				client.connect(),
				startFailed,
				new Promise((_, reject) => {
					timer = setTimeout(
						() => reject(new Error("connection timed out")),
						CONNECT_TIMEOUT_MS,
					);
				}),
			]);
		} catch (error) {
			client.destroy();
			throw new AnsError(
				"VALIDATION_CACHE_UNAVAILABLE",
				`could not connect to Redis at ${target} (ANS_REDIS_URL): ${error instanceof Error ? error.message : String(error)}; start Redis or unset ANS_REDIS_URL to cache in memory`,
				{ status: 503, cause: error },
			);
		} finally {
			clearTimeout(timer);
		}
		connected = true;
		return cache;
	}

	async get(serial: string): Promise<CacheLookup> {
		const keys = this.#keys(serial);
		let values: (string | null)[];
		try {
			values = await this.#client.mGet([keys.status, keys.invalidations]);
		} catch (error) {
			this.#logError(error, "validation cache read failed", { serial });
			return { hit: false, token: UNAVAILABLE_TOKEN };
		}
		const [value, invalidations] = values;
		const status = value == null ? undefined : parseStatus(value, serial);
		if (status !== undefined) {
			return { hit: true, status };
		}
		return { hit: false, token: `${invalidations ?? ""}@${Date.now()}` };
	}

	async set(token: string, status: CertificateStatus): Promise<void> {
		const separator = token.lastIndexOf("@");
		if (token === UNAVAILABLE_TOKEN || separator < 0) {
			return;
		}
		const invalidations = token.slice(0, separator);
		const readAt = Number(token.slice(separator + 1));
		const remainingMs = Math.floor(readAt + this.#ttlMs - Date.now());
		if (!(remainingMs > 0)) {
			return;
		}
		const keys = this.#keys(status.serial);
		try {
			await this.#client.eval(SET_IF_NOT_INVALIDATED, {
				keys: [keys.status, keys.invalidations],
				arguments: [invalidations, JSON.stringify(status), String(remainingMs)],
			});
		} catch (error) {
			this.#logError(error, "validation cache write failed", {
				serial: status.serial,
			});
		}
	}

	async invalidate(serial: string): Promise<void> {
		const keys = this.#keys(serial);
		await this.#client
			.multi()
			.incr(keys.invalidations)
			.pExpire(keys.invalidations, 2 * this.#ttlMs)
			.del(keys.status)
			.exec();
	}

	async close(): Promise<void> {
		if (this.#client.isOpen) {
			await this.#client.close();
		}
	}

	/**
	 * Returns the keys of `serial`. The braces make both keys hash to the same
	 * Redis Cluster slot, which the set script needs.
	 */
	#keys(serial: string): { status: string; invalidations: string } {
		return {
			status: `${this.#prefix}{${serial}}:status`,
			invalidations: `${this.#prefix}{${serial}}:invalidations`,
		};
	}

	#logError(
		error: unknown,
		message: string,
		fields: Record<string, unknown>,
	): void {
		const suppressed = this.#errorLog.take();
		if (suppressed !== undefined) {
			this.#logger.error({ err: error, ...fields, suppressed }, message);
		}
	}
}

function parseStatus(
	value: string,
	serial: string,
): CertificateStatus | undefined {
	try {
		const parsed = JSON.parse(value) as CertificateStatus;
		return parsed.serial === serial ? parsed : undefined;
	} catch {
		return undefined;
	}
}

/** Returns the Redis URL without credentials, for messages and logs. */
export function describeRedisUrl(url: string): string {
	try {
		const parsed = new URL(url);
		return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
	} catch {
		return "(invalid URL)";
	}
}

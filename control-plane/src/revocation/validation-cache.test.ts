import { randomUUID } from "node:crypto";
import { pino } from "pino";
import { createClient } from "redis";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { RedisValidationCache } from "./redis-validation-cache.ts";
import {
	type CertificateStatus,
	MemoryValidationCache,
	type ValidationCache,
} from "./validation-cache.ts";

/**
 * Redis for the tests: `ANS_TEST_REDIS_URL`, by default the machine's own
 * Redis, or undefined when the variable is `skip`, which skips the Redis
 * cases. Tests use a key prefix of their own and delete their keys.
 */
const REDIS_URL = testRedisUrl(process.env.ANS_TEST_REDIS_URL);
const KEY_PREFIX = `ans-test-validation-${process.pid}-${randomUUID()}:`;
const logger = pino({ level: "silent" });

function status(
	serial: string,
	overrides: Partial<CertificateStatus> = {},
): CertificateStatus {
	return {
		serial,
		issuerId: "1",
		status: "good",
		notAfter: Date.now() + 86_400_000,
		checkedAt: Date.now(),
		...overrides,
	};
}

function testRedisUrl(configured: string | undefined): string | undefined {
	if (configured === "skip") {
		return undefined;
	}
	return configured === undefined || configured === ""
		? "redis://127.0.0.1:6379"
		: configured;
}

/** Deletes every key under the test prefix; SCAN is bounded to 1000 rounds. */
async function deleteTestKeys(): Promise<void> {
	if (REDIS_URL === undefined) {
		return;
	}
	const client = createClient({ url: REDIS_URL });
	await client.connect();
	try {
		let cursor = "0";
		for (let round = 0; round < 1000; round++) {
			const reply = await client.scan(cursor, {
				MATCH: `${KEY_PREFIX}*`,
				COUNT: 100,
			});
			if (reply.keys.length > 0) {
				await client.del(reply.keys);
			}
			cursor = reply.cursor;
			if (cursor === "0") {
				break;
			}
		}
	} finally {
		await client.close();
	}
}

afterAll(deleteTestKeys);

/** Cases every backend must pass. */
function describeCacheContract(
	name: string,
	open: (ttlMs?: number) => Promise<ValidationCache>,
): void {
	describe(name, () => {
		let cache: ValidationCache;
		let serialCount = 0;
		const newSerial = () => {
			serialCount++;
			return `0a${serialCount.toString(16).padStart(6, "0")}`;
		};

		beforeEach(async () => {
			cache = await open();
		});

		afterEach(async () => {
			await cache.close();
		});

		it("misses an unknown serial", async () => {
			const lookup = await cache.get(newSerial());
			expect(lookup.hit).toBe(false);
		});

		it("returns a stored status", async () => {
			const serial = newSerial();
			const miss = await cache.get(serial);
			expect(miss.hit).toBe(false);
			if (miss.hit) {
				return;
			}
			const stored = status(serial, {
				status: "revoked",
				revokedAt: 1_700_000_000_000,
				reason: "keyCompromise",
			});
			await cache.set(miss.token, stored);
			const hit = await cache.get(serial);
			expect(hit).toEqual({ hit: true, status: stored });
		});

		it("drops an entry on invalidation", async () => {
			const serial = newSerial();
			const miss = await cache.get(serial);
			if (miss.hit) {
				throw new Error("expected a miss");
			}
			await cache.set(miss.token, status(serial));
			expect((await cache.get(serial)).hit).toBe(true);

			await cache.invalidate(serial);
			expect((await cache.get(serial)).hit).toBe(false);
		});

		it("skips a write read before an invalidation", async () => {
			const serial = newSerial();
			const miss = await cache.get(serial);
			if (miss.hit) {
				throw new Error("expected a miss");
			}
			// The revocation commits and invalidates between the database read
			// and the cache write of a concurrent lookup.
			await cache.invalidate(serial);
			await cache.set(miss.token, status(serial, { status: "good" }));
			expect((await cache.get(serial)).hit).toBe(false);
		});

		it("accepts writes after an invalidation", async () => {
			const serial = newSerial();
			await cache.invalidate(serial);
			const miss = await cache.get(serial);
			if (miss.hit) {
				throw new Error("expected a miss");
			}
			await cache.set(miss.token, status(serial, { status: "revoked" }));
			const hit = await cache.get(serial);
			expect(hit.hit).toBe(true);
			expect(hit.hit ? hit.status.status : undefined).toBe("revoked");
		});

		it("expires entries after the TTL", async () => {
			const shortLived = await open(500);
			try {
				const serial = newSerial();
				const miss = await shortLived.get(serial);
				if (miss.hit) {
					throw new Error("expected a miss");
				}
				await shortLived.set(miss.token, status(serial));
				expect((await shortLived.get(serial)).hit).toBe(true);
				await new Promise((resolve) => setTimeout(resolve, 1100));
				expect((await shortLived.get(serial)).hit).toBe(false);
			} finally {
				await shortLived.close();
			}
		});
	});
}

describeCacheContract(
	"memory validation cache",
	async (ttlMs) =>
		new MemoryValidationCache(ttlMs === undefined ? {} : { ttlMs }),
);

if (REDIS_URL === undefined) {
	describe("Redis validation cache", () => {
		it.skip("runs only without ANS_TEST_REDIS_URL=skip", () => {});
	});
} else {
	const url = REDIS_URL;
	describeCacheContract("Redis validation cache", (ttlMs) =>
		RedisValidationCache.connect({
			url,
			keyPrefix: KEY_PREFIX,
			logger,
			...(ttlMs === undefined ? {} : { ttlMs }),
		}),
	);
}

describe("memory validation cache bound", () => {
	it("evicts the oldest entry beyond the maximum", async () => {
		const cache = new MemoryValidationCache({ maxEntries: 2 });
		for (const serial of ["01", "02", "03"]) {
			const miss = await cache.get(serial);
			if (miss.hit) {
				throw new Error("expected a miss");
			}
			await cache.set(miss.token, status(serial));
		}
		expect(cache.size).toBe(2);
		expect((await cache.get("01")).hit).toBe(false);
		expect((await cache.get("02")).hit).toBe(true);
		expect((await cache.get("03")).hit).toBe(true);
	});
});

describe.skipIf(REDIS_URL === undefined)("Redis validation cache keys", () => {
	it("keeps keys under the prefix with a TTL", async () => {
		const url = REDIS_URL ?? "";
		const cache = await RedisValidationCache.connect({
			url,
			keyPrefix: KEY_PREFIX,
			logger,
		});
		const client = createClient({ url });
		await client.connect();
		try {
			const miss = await cache.get("beef");
			if (miss.hit) {
				throw new Error("expected a miss");
			}
			await cache.set(miss.token, status("beef"));
			await cache.invalidate("feed");

			const statusTtl = await client.pTTL(`${KEY_PREFIX}{beef}:status`);
			expect(statusTtl).toBeGreaterThan(0);
			expect(statusTtl).toBeLessThanOrEqual(5 * 60 * 1000);
			const counterTtl = await client.pTTL(`${KEY_PREFIX}{feed}:invalidations`);
			expect(counterTtl).toBeGreaterThan(5 * 60 * 1000);
			expect(counterTtl).toBeLessThanOrEqual(10 * 60 * 1000);
		} finally {
			await client.close();
			await cache.close();
		}
	});
});

describe("Redis validation cache connection", () => {
	it("raises VALIDATION_CACHE_UNAVAILABLE for a closed port", async () => {
		const { createServer } = await import("node:net");
		const server = createServer();
		await new Promise<void>((resolve) =>
			server.listen(0, "127.0.0.1", resolve),
		);
		const address = server.address();
		const port =
			typeof address === "object" && address !== null ? address.port : 0;
		await new Promise<void>((resolve) => server.close(() => resolve()));

		await expect(
			RedisValidationCache.connect({
				url: `redis://user:secret@127.0.0.1:${port}`,
				logger,
			}),
		).rejects.toMatchObject({
			code: "VALIDATION_CACHE_UNAVAILABLE",
			message: expect.not.stringContaining("secret"),
		});
	});
});

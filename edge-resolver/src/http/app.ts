/**
 * The edge worker's HTTP routes: `GET /v1/resolve`, the push endpoint
 * `POST /internal/changes` and `GET /health`.
 *
 * @module
 */
import { AnsError, isAnsError } from "@ans/shared/errors";
import { parseResolutionQuery } from "@ans/shared/resolution";
import { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { type EdgeBindings, edgeConfig } from "../config/edge-config.ts";
import { IsolateAnswerCache } from "../isolate-cache/isolate-answer-cache.ts";
import { log } from "../logging/log.ts";
import { LogThrottle } from "../logging/log-throttle.ts";
import { verifyPush } from "../push/verify-push.ts";
import { ReplicaClient } from "../replica/replica-client.ts";
import { ParsedQueryCache } from "../resolution/parsed-query-cache.ts";
import { queryKey } from "../resolution/query-key.ts";
import {
	answerResponse,
	type TaggedAnswer,
	tagAnswer,
} from "./answer-response.ts";
import { singleQueryParameter } from "./query-parameter.ts";

/** Longest accepted push body, bytes; 500 changes with certificate chains fit well below it. */
const MAX_PUSH_BYTES = 16 * 1024 * 1024;

/** Longest `name` and `range`, as the control plane's resolve endpoint accepts them. */
const MAX_NAME_LENGTH = 300;
const MAX_RANGE_LENGTH = 256;

type AppEnv = { Bindings: EdgeBindings };

/** Answer cache of this isolate, created on the first request with the configured capacity. */
let isolateCache: IsolateAnswerCache<TaggedAnswer> | undefined;

function cacheFor(bindings: EdgeBindings): IsolateAnswerCache<TaggedAnswer> {
	if (isolateCache === undefined) {
		isolateCache = new IsolateAnswerCache(
			edgeConfig(bindings).isolateCacheMaxEntries,
		);
	}
	return isolateCache;
}

/**
 * Log rate limits of this isolate, by error code. A rejected push and a
 * failed request each log at most one line per code per minute.
 */
const pushRejectionLogs = new LogThrottle();
const requestFailureLogs = new LogThrottle();

/** Parsed queries of this isolate, with the answer cache's capacity. */
let parsedQueries: ParsedQueryCache | undefined;

function queriesFor(bindings: EdgeBindings): ParsedQueryCache {
	if (parsedQueries === undefined) {
		parsedQueries = new ParsedQueryCache(
			edgeConfig(bindings).isolateCacheMaxEntries,
		);
	}
	return parsedQueries;
}

/** Creates the worker's Hono app. */
export function createEdgeApp(): Hono<AppEnv> {
	const app = new Hono<AppEnv>();

	app.get("/v1/resolve", async (c) => {
		edgeConfig(c.env);
		const { query, key } = queriesFor(c.env).parse(c.req.url, () => {
			const name = singleQueryParameter(
				"name",
				c.req.queries("name"),
				MAX_NAME_LENGTH,
			);
			const range = singleQueryParameter(
				"range",
				c.req.queries("range"),
				MAX_RANGE_LENGTH,
			);
			const parsed = parseResolutionQuery(name, range);
			return { query: parsed, key: queryKey(parsed) };
		});
		const cache = cacheFor(c.env);
		// Created only when needed, because a cache hit within the replica
		// check interval never calls the replica.
		let replica: ReplicaClient | undefined;
		const replicaClient = () => {
			replica ??= new ReplicaClient(c.env.REPLICA);
			return replica;
		};

		const cached = await cache.get(key, Date.now(), (seq) =>
			replicaClient().changedSince(seq),
		);
		if (cached !== undefined) {
			return answerResponse(
				{ ...cached, cache: "hit", layer: "isolate" },
				c.req.header("if-none-match"),
				Date.now(),
			);
		}
		const answer = await tagAnswer(await replicaClient().resolve(query));
		cache.set(key, answer, Date.now());
		return answerResponse(answer, c.req.header("if-none-match"), Date.now());
	});

	app.post("/internal/changes", async (c) => {
		const config = edgeConfig(c.env);
		const length = Number(c.req.header("content-length") ?? "0");
		if (length > MAX_PUSH_BYTES) {
			const error = new AnsError(
				"PUSH_TOO_LARGE",
				`the push body has ${length} bytes; the limit is ${MAX_PUSH_BYTES}, so send smaller batches`,
				{ status: 413, field: "body" },
			);
			logPushRejection(error, config.edgeId);
			throw error;
		}
		const payload = await verifyPush(
			await c.req.text(),
			config.pushJwks,
			config.edgeId,
		).catch((error: unknown) => {
			logPushRejection(error, config.edgeId);
			throw error;
		});
		const result = await new ReplicaClient(c.env.REPLICA).push(payload);
		if (result.status === 200) {
			const cache = cacheFor(c.env);
			if ("pulled" in result.body && result.body.pulled) {
				// A pull may have changed any base name.
				cache.clear();
			} else {
				cache.purge(payload.changes.map((change) => change.baseKey));
			}
		}
		c.header("Cache-Control", "no-store");
		return c.json(result.body, result.status as ContentfulStatusCode);
	});

	app.get("/health", async (c) => {
		edgeConfig(c.env);
		const status = await new ReplicaClient(c.env.REPLICA).status();
		c.header("Cache-Control", "no-store");
		return c.json({ status: "ok", replica: status }, 200);
	});

	app.notFound((c) =>
		c.json(
			new AnsError(
				"ROUTE_NOT_FOUND",
				`no route for ${c.req.method} ${c.req.path}`,
				{ status: 404 },
			).toBody(),
			404,
		),
	);

	app.onError((error, c) => {
		if (isAnsError(error)) {
			const logged =
				error.status >= 500
					? requestFailureLogs.admit(error.code, Date.now())
					: undefined;
			if (logged !== undefined) {
				log("error", "request failed", {
					err: error,
					code: error.code,
					path: c.req.path,
					suppressed: logged.suppressed,
				});
			}
			c.header("Cache-Control", "no-store");
			return c.json(error.toBody(), error.status as ContentfulStatusCode);
		}
		log("error", "unhandled error", { err: error, path: c.req.path });
		c.header("Cache-Control", "no-store");
		return c.json(
			new AnsError("INTERNAL_ERROR", "internal error in the edge resolver", {
				status: 500,
			}).toBody(),
			500,
		);
	});

	return app;
}

/**
 * Logs a rejected push at warn, at most once per code per minute in this
 * isolate. A
 * rejected push may be an attack or a key mismatch, and both need an
 * operator, but a flood of them must not flood the log.
 */
function logPushRejection(error: unknown, edgeId: string): void {
	const code = isAnsError(error) ? error.code : "UNKNOWN";
	const logged = pushRejectionLogs.admit(code, Date.now());
	if (logged !== undefined) {
		log("warn", "push rejected", {
			code,
			edgeId,
			err: error,
			suppressed: logged.suppressed,
		});
	}
}

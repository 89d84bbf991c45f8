/**
 * Turns an answer into the HTTP response: the body bytes unchanged, with
 * `ETag`, `Cache-Control`, `Age` and `X-ANS-Cache`, or 304 when the client
 * already holds the same body.
 *
 * @module
 */
import { base64url } from "jose";
import type { EdgeAnswer } from "../replica/protocol.ts";

/**
 * Returns a strong ETag over the body bytes: the base64url SHA-256 digest
 * in quotes, so identical records get the same tag on every edge.
 */
export async function strongEtag(body: string): Promise<string> {
	const digest = await crypto.subtle.digest(
		"SHA-256",
		new TextEncoder().encode(body),
	);
	return `"${base64url.encode(new Uint8Array(digest))}"`;
}

/**
 * Reports whether an `If-None-Match` header value matches `etag`, with the
 * weak comparison RFC 9110 prescribes for this header.
 */
export function ifNoneMatchMatches(
	header: string | undefined,
	etag: string,
): boolean {
	if (header === undefined) {
		return false;
	}
	return header
		.split(",")
		.map((tag) => tag.trim())
		.some((tag) => tag === "*" || tag.replace(/^W\//, "") === etag);
}

/**
 * An answer with the strong ETag of its body. The isolate cache stores
 * answers in this form, so a cache hit does not hash the body again.
 */
export type TaggedAnswer = EdgeAnswer & { etag?: string };

/** Reports whether responses with `status` carry an ETag and cache headers. */
function isCacheableStatus(status: EdgeAnswer["status"]): boolean {
	return status !== 400 && status !== 503;
}

/** Returns `answer` with the ETag of its body, or unchanged for a status served without one. */
export async function tagAnswer(answer: EdgeAnswer): Promise<TaggedAnswer> {
	if (!isCacheableStatus(answer.status)) {
		return answer;
	}
	return { ...answer, etag: await strongEtag(answer.body) };
}

/**
 * Builds the response for `answer` at `now` (epoch ms). It uses
 * `answer.etag` when present, which must be the strong ETag of
 * `answer.body`, as {@link tagAnswer} sets it.
 */
export async function answerResponse(
	answer: TaggedAnswer,
	ifNoneMatch: string | undefined,
	now: number,
): Promise<Response> {
	const headers = new Headers({
		"Content-Type": "application/json",
		"X-ANS-Cache": answer.cache,
		"X-ANS-Cache-Layer": answer.layer,
	});
	if (!isCacheableStatus(answer.status)) {
		headers.set("Cache-Control", "no-store");
		return new Response(answer.body, { status: answer.status, headers });
	}

	const etag = answer.etag ?? (await strongEtag(answer.body));
	// max-age is the remaining freshness, not the full TTL, so a downstream
	// cache that ignores Age still stops serving when this edge would.
	const maxAge = Math.max(0, Math.floor((answer.freshUntil - now) / 1000));
	const age = Math.max(0, Math.floor((now - answer.confirmedAt) / 1000));
	headers.set("ETag", etag);
	headers.set("Cache-Control", `public, max-age=${maxAge}`);
	headers.set("Age", String(age));

	if (answer.status === 200 && ifNoneMatchMatches(ifNoneMatch, etag)) {
		headers.delete("Content-Type");
		return new Response(null, { status: 304, headers });
	}
	return new Response(answer.body, { status: answer.status, headers });
}

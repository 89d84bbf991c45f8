/**
 * Requests from an edge to the control plane (the origin): the resolve
 * endpoint on a miss and the change feed for catch-up pulls.
 *
 * @module
 */
import type { ChangeEvent, ChangePage } from "@ans/shared/change-feed";
import { changeEventProblem, isSequence } from "../change-feed/change-event.ts";

/** Largest page of the change feed the control plane serves. */
export const FEED_PAGE_LIMIT = 500;

/** A failed request to the origin: unreachable, timed out, or an unexpected reply. */
export class OriginError extends Error {
	override readonly name = "OriginError";
}

/** Reply of the origin's `GET /v1/resolve`, body kept as the exact bytes received. */
export interface OriginResolveReply {
	status: number;
	body: string;
}

/** Client of one control plane. */
export class OriginClient {
	readonly #baseUrl: string;

	/** Creates a client of the control plane at `baseUrl` (no trailing slash). */
	constructor(baseUrl: string) {
		this.#baseUrl = baseUrl;
	}

	/**
	 * Requests `GET /v1/resolve`. Returns 200, 400, 404 and 410 replies as
	 * they are; any other status counts as the origin being unavailable.
	 *
	 * @throws OriginError when the request fails, times out after
	 * `timeoutMs`, or returns another status.
	 */
	async resolve(
		name: string,
		range: string | undefined,
		timeoutMs: number,
	): Promise<OriginResolveReply> {
		const url = new URL(`${this.#baseUrl}/v1/resolve`);
		url.searchParams.set("name", name);
		if (range !== undefined) {
			url.searchParams.set("range", range);
		}
		const response = await this.#get(url, timeoutMs);
		const body = await readText(response, url);
		if (![200, 400, 404, 410].includes(response.status)) {
			throw new OriginError(
				`GET ${url.pathname} returned HTTP ${response.status}`,
			);
		}
		return { status: response.status, body };
	}

	/**
	 * Reads one page of the change feed after `after`.
	 *
	 * @throws OriginError when the request fails, times out or returns
	 * anything but a well-formed page.
	 */
	async changes(after: number, timeoutMs: number): Promise<ChangePage> {
		const url = new URL(`${this.#baseUrl}/v1/changes`);
		url.searchParams.set("after", String(after));
		url.searchParams.set("limit", String(FEED_PAGE_LIMIT));
		const response = await this.#get(url, timeoutMs);
		const text = await readText(response, url);
		if (response.status !== 200) {
			throw new OriginError(
				`GET ${url.pathname} returned HTTP ${response.status}`,
			);
		}
		return parsePage(text, after);
	}

	async #get(url: URL, timeoutMs: number): Promise<Response> {
		try {
			return await fetch(url, {
				headers: { accept: "application/json" },
				signal: AbortSignal.timeout(timeoutMs),
			});
		} catch (error) {
			const reason =
				(error as Error).name === "TimeoutError"
					? `timed out after ${timeoutMs} ms`
					: (error as Error).message;
			throw new OriginError(`GET ${url.pathname} failed: ${reason}`, {
				cause: error,
			});
		}
	}
}

async function readText(response: Response, url: URL): Promise<string> {
	try {
		return await response.text();
	} catch (error) {
		throw new OriginError(
			`reading the body of GET ${url.pathname} failed: ${(error as Error).message}`,
			{ cause: error },
		);
	}
}

function parsePage(text: string, after: number): ChangePage {
	let page: Partial<ChangePage>;
	try {
		page = JSON.parse(text) as Partial<ChangePage>;
	} catch {
		throw new OriginError("the change feed page is not JSON");
	}
	if (
		!isSequence(page.head) ||
		!isSequence(page.next) ||
		!Array.isArray(page.changes)
	) {
		throw new OriginError(
			"the change feed page lacks head, next or a changes array",
		);
	}
	let previous = after;
	page.changes.forEach((change: ChangeEvent, index) => {
		const problem = changeEventProblem(change, `changes[${index}]`);
		if (problem !== undefined) {
			throw new OriginError(`invalid change feed page: ${problem}`);
		}
		if (change.seq <= previous) {
			throw new OriginError(
				`invalid change feed page: changes[${index}].seq ${change.seq} is not above ${previous}`,
			);
		}
		previous = change.seq;
	});
	return page as ChangePage;
}

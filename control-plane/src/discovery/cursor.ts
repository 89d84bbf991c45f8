/**
 * Discovery cursors: base64url JSON `{"v":1,"c":createdAt,"i":id,"f":filters}`.
 * `c` and `i` are the sort key of the last agent a page covered. `f` is a
 * digest of the filters, so a cursor cannot be reused with other filters.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { AnsError } from "@ans/shared/errors";
import type { AgentSearchAfter } from "../storage/types.ts";

/** Maximum cursor length; the cursors this service issues have about 120 characters. */
const MAX_CURSOR_LENGTH = 512;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const AGENT_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Encodes the position after `last` for the filters whose digest is `filterKey`. */
export function encodeCursor(
	last: AgentSearchAfter,
	filterKey: string,
): string {
	const payload = { v: 1, c: last.createdAt, i: last.id, f: filterKey };
	return Buffer.from(JSON.stringify(payload), "utf8").toString("base64url");
}

/**
 * Decodes a cursor that {@link encodeCursor} made for the same filters.
 *
 * @throws AnsError CURSOR_INVALID (400, field `cursor`) when the cursor is
 * not one this service issued, and CURSOR_MISMATCH (400, field `cursor`)
 * when it was issued for other filters.
 */
export function decodeCursor(
	cursor: string,
	filterKey: string,
): AgentSearchAfter {
	if (cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) {
		throw invalidCursor();
	}
	let payload: unknown;
	try {
		payload = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
	} catch {
		throw invalidCursor();
	}
	if (typeof payload !== "object" || payload === null) {
		throw invalidCursor();
	}
	const { v, c, i, f } = payload as Record<string, unknown>;
	if (
		v !== 1 ||
		typeof c !== "number" ||
		!Number.isSafeInteger(c) ||
		c < 0 ||
		typeof i !== "string" ||
		!AGENT_ID.test(i) ||
		typeof f !== "string"
	) {
		throw invalidCursor();
	}
	if (f !== filterKey) {
		throw new AnsError(
			"CURSOR_MISMATCH",
			"The cursor belongs to a search with other filters. Repeat the request with the filters of the page that returned the cursor, or drop the cursor to start from the first page.",
			{ status: 400, field: "cursor" },
		);
	}
	return { createdAt: c, id: i };
}

function invalidCursor(): AnsError {
	return new AnsError(
		"CURSOR_INVALID",
		"The cursor is not valid. Pass the `next` value of a previous page unchanged, or drop the cursor to start from the first page.",
		{ status: 400, field: "cursor" },
	);
}

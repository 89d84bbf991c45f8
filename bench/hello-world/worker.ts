/**
 * Baseline worker of the edge benchmark: a Hono app whose only route
 * returns one JSON object built at the first request. Its throughput on
 * the same workerd build is the reference the edge's cache hits are
 * compared with.
 *
 * `HELLO_BODY_BYTES` pads the body to that many bytes, so the baseline
 * sends as much data per response as the resolution response it is compared
 * with. Unset or 0 returns `{"message":"hello"}`.
 *
 * @module
 */
import { Hono } from "hono";

type HelloEnv = { Bindings: { HELLO_BODY_BYTES?: string | null } };

const MESSAGE = "hello";

let body: { message: string; padding?: string } | undefined;

/** Builds a JSON object that serializes to `bytes` bytes, or the bare message for small sizes. */
function helloBody(bytes: number): { message: string; padding?: string } {
	const bare = { message: MESSAGE, padding: "" };
	const missing = bytes - JSON.stringify(bare).length;
	if (!Number.isInteger(bytes) || missing < 0) {
		return { message: MESSAGE };
	}
	return { message: MESSAGE, padding: "x".repeat(missing) };
}

const app = new Hono<HelloEnv>();

app.get("/", (c) => {
	body ??= helloBody(Number(c.env.HELLO_BODY_BYTES ?? 0));
	return c.json(body);
});

export default app;

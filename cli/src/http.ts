import { AnsError } from "@ans/shared/errors";

/**
 * Calls an ANS server and returns the parsed JSON body. A reply with an
 * error body becomes an {@link AnsError} carrying the server's code and
 * status; `accept` lists statuses to return instead of throwing. The body
 * is sent as `JSON.stringify(body)`, which a proof of possession signs.
 */
export async function callJson<T>(
	method: string,
	url: string,
	options: {
		token?: string;
		/** Whole Authorization header, used in place of `token`. */
		authorization?: string;
		body?: unknown;
		accept?: number[];
	} = {},
): Promise<{ status: number; body: T; headers: Headers }> {
	const headers: Record<string, string> = { accept: "application/json" };
	if (options.authorization !== undefined) {
		headers.authorization = options.authorization;
	} else if (options.token !== undefined) {
		headers.authorization = `Bearer ${options.token}`;
	}
	if (options.body !== undefined) {
		headers["content-type"] = "application/json";
	}
	let response: Response;
	try {
		response = await fetch(url, {
			method,
			headers,
			...(options.body === undefined
				? {}
				: { body: JSON.stringify(options.body) }),
			signal: AbortSignal.timeout(30_000),
		});
	} catch (error) {
		throw new AnsError(
			"SERVER_UNREACHABLE",
			`cannot reach ${new URL(url).origin}: ${(error as Error).message}`,
			{
				status: 503,
				cause: error,
			},
		);
	}
	const text = await response.text();
	let body: unknown;
	try {
		body = text === "" ? undefined : JSON.parse(text);
	} catch {
		throw new AnsError(
			"SERVER_REPLY_INVALID",
			`${method} ${url} returned non-JSON (status ${response.status})`,
			{
				status: 502,
			},
		);
	}
	if (response.ok || options.accept?.includes(response.status)) {
		return {
			status: response.status,
			body: body as T,
			headers: response.headers,
		};
	}
	const error = (
		body as
			| { error?: { code?: string; message?: string; field?: string } }
			| undefined
	)?.error;
	throw new AnsError(
		error?.code ?? `HTTP_${response.status}`,
		error?.message ?? `${method} ${url} failed with ${response.status}`,
		{
			status: response.status,
			...(error?.field === undefined ? {} : { field: error.field }),
		},
	);
}

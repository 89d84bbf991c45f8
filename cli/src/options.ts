import { AnsError } from "@ans/shared/errors";

/** Connection settings shared by commands that call a server. */
export interface ServerOptions {
	url?: string;
	token?: string;
}

/** Returns the server base URL from `--url` or `ANS_URL`, by default the local control plane. */
export function serverUrl(options: ServerOptions): string {
	const url = options.url ?? process.env.ANS_URL ?? "http://127.0.0.1:8080";
	try {
		return new URL(url).href.replace(/\/+$/, "");
	} catch (error) {
		throw new AnsError(
			"URL_INVALID",
			`server URL ${JSON.stringify(url)} is not a valid URL`,
			{
				status: 400,
				field: "url",
				cause: error,
			},
		);
	}
}

/** Returns the bearer token from `--token` or `ANS_TOKEN`, and throws when none is set. */
export function requireToken(options: ServerOptions): string {
	const token = options.token ?? process.env.ANS_TOKEN;
	if (token === undefined || token === "") {
		throw new AnsError(
			"TOKEN_MISSING",
			"this command needs a token: pass --token or set ANS_TOKEN",
			{
				status: 400,
				field: "token",
			},
		);
	}
	return token;
}

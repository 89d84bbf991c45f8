import { AnsError } from "@ans/shared/errors";
import { classifyHost } from "./endpoint-address.ts";

/** Options of {@link checkEndpointUrl}. */
export interface EndpointPolicyOptions {
	/**
	 * Whether loopback addresses and `localhost` names are accepted, over http
	 * or https. Intended for development (ANS_ALLOW_LOOPBACK_ENDPOINTS=1).
	 */
	allowLoopback: boolean;
}

const LOOPBACK_HINT =
	"Loopback endpoints are accepted only in development, when the control plane runs with ANS_ALLOW_LOOPBACK_ENDPOINTS=1.";

/**
 * Checks that an endpoint URL may be published and returns it parsed.
 *
 * The URL must be absolute https without user name or password. Its host
 * must not be a loopback, private, link-local, unique-local, unspecified,
 * carrier-grade NAT, multicast, broadcast, reserved or cloud metadata
 * address. Local names such as `localhost` or `*.internal` are rejected too.
 * With `allowLoopback`, loopback hosts are accepted over http or https.
 *
 * @param field Request field reported in the error, such as `endpoints[0].url`.
 * @throws AnsError with status 400 and code ENDPOINT_URL_INVALID,
 * ENDPOINT_SCHEME_FORBIDDEN, ENDPOINT_CREDENTIALS_FORBIDDEN or
 * ENDPOINT_ADDRESS_FORBIDDEN.
 */
export function checkEndpointUrl(
	url: string,
	field: string,
	options: EndpointPolicyOptions,
): URL {
	if (typeof url !== "string" || !URL.canParse(url)) {
		throw endpointError(
			"ENDPOINT_URL_INVALID",
			field,
			`${field} ${quoteRejectedUrl(url)} is not a valid absolute URL. Write it as https://host/path.`,
		);
	}
	const parsed = new URL(url);

	if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
		throw endpointError(
			"ENDPOINT_SCHEME_FORBIDDEN",
			field,
			`${field} uses the scheme "${parsed.protocol.slice(0, -1)}", but endpoints must use https.`,
		);
	}
	// The message shows only scheme and host, so the credentials are not echoed.
	const origin = `${parsed.protocol}//${parsed.host}`;
	if (parsed.username !== "" || parsed.password !== "") {
		throw endpointError(
			"ENDPOINT_CREDENTIALS_FORBIDDEN",
			field,
			`${field} for ${origin} contains a user name or password, which would be published in the agent record. Remove the "user:password@" part and authenticate another way.`,
		);
	}

	if (parsed.port === "0") {
		throw endpointError(
			"ENDPOINT_URL_INVALID",
			field,
			`${field} ${origin} names port 0, which no server listens on. Give the real port or leave it out.`,
		);
	}

	const host = classifyHost(parsed.hostname);
	if (host.verdict === "forbidden") {
		throw endpointError(
			"ENDPOINT_ADDRESS_FORBIDDEN",
			field,
			`${field} host ${parsed.hostname} is rejected: ${host.reason}. Other agents cannot reach it, so use a public host name or address.`,
		);
	}
	if (host.verdict === "loopback" && !options.allowLoopback) {
		throw endpointError(
			"ENDPOINT_ADDRESS_FORBIDDEN",
			field,
			`${field} host ${parsed.hostname} is rejected: ${host.reason}. ${LOOPBACK_HINT}`,
		);
	}
	if (parsed.protocol === "http:" && host.verdict !== "loopback") {
		throw endpointError(
			"ENDPOINT_SCHEME_FORBIDDEN",
			field,
			`${field} ${origin} uses http, but endpoints must use https. Plain http is accepted only for loopback hosts in development (ANS_ALLOW_LOOPBACK_ENDPOINTS=1).`,
		);
	}
	return parsed;
}

function endpointError(code: string, field: string, message: string): AnsError {
	return new AnsError(code, message, { status: 400, field });
}

/**
 * Quotes a rejected URL for a message, cut to 200 characters, with anything
 * between "//" and "@" masked because it may be a password.
 */
function quoteRejectedUrl(value: unknown): string {
	if (typeof value !== "string") {
		return `(${value === null ? "null" : typeof value})`;
	}
	const masked = value.replace(/\/\/[^/]*@/, "//***@");
	const excerpt = masked.length > 200 ? `${masked.slice(0, 200)}…` : masked;
	return JSON.stringify(excerpt);
}

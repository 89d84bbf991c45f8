import type { ExtractedEndpoint } from "@ans/shared/protocols";

/** The importer's verdict on the network endpoints of one document. */
export type EndpointCheck =
	| { verdict: "usable"; loopbackPointers: string[] }
	| { verdict: "none" }
	| { verdict: "unreachable"; message: string };

/** Hosts that only mean "every local interface", so no client can connect to them. */
const UNSPECIFIED_HOSTS: ReadonlySet<string> = new Set([
	"0.0.0.0",
	"[::]",
	"[0:0:0:0:0:0:0:0]",
]);

/**
 * Checks the endpoints that an adapter read from a document before any
 * request is sent. An entry is unreachable when any network endpoint is
 * empty, is not an absolute http(s) URL (such as the gRPC target
 * `localhost:11000`), or names the unspecified address `0.0.0.0` or `::`.
 * The control plane rejects every such URL, and it rejects a registration
 * as a whole, so one bad endpoint makes the entry unusable.
 *
 * Loopback hosts (`localhost`, 127.0.0.0/8, `::1`) are usable, but only a
 * control plane started with ANS_ALLOW_LOOPBACK_ENDPOINTS=1 accepts them,
 * so the result lists their JSON pointers. Other address rules (private ranges, http on a
 * public host) are left to the control plane, which states the reason.
 */
export function checkEndpoints(endpoints: ExtractedEndpoint[]): EndpointCheck {
	if (endpoints.length === 0) {
		return { verdict: "none" };
	}
	const loopbackPointers: string[] = [];
	for (const { kind, pointer, endpoint } of endpoints) {
		if (kind === "package") {
			continue;
		}
		const where = `${pointer} ${JSON.stringify(endpoint.url)}`;
		if (endpoint.url.trim() === "") {
			return { verdict: "unreachable", message: `${pointer} is empty` };
		}
		const url = URL.canParse(endpoint.url) ? new URL(endpoint.url) : undefined;
		if (url === undefined || !["http:", "https:"].includes(url.protocol)) {
			return {
				verdict: "unreachable",
				message: `${where} is not an absolute http or https URL`,
			};
		}
		if (UNSPECIFIED_HOSTS.has(url.hostname)) {
			return {
				verdict: "unreachable",
				message: `${where} names the unspecified address ${url.hostname}, which a server binds to but no client can connect to`,
			};
		}
		if (isLoopbackHost(url.hostname)) {
			loopbackPointers.push(pointer);
		}
	}
	return { verdict: "usable", loopbackPointers };
}

function isLoopbackHost(hostname: string): boolean {
	return (
		hostname === "localhost" ||
		hostname.endsWith(".localhost") ||
		hostname === "[::1]" ||
		/^127\.[0-9]+\.[0-9]+\.[0-9]+$/.test(hostname)
	);
}

import { slugLabel } from "./slug.ts";

/**
 * Public suffixes of two labels under which organizations register names,
 * so that `api.example.co.uk` gives `example` and not `co`.
 *
 * NOTE: a short list, not the Public Suffix List. A host under a
 * multi-label suffix missing here gives the label left of its last two
 * labels as the provider.
 */
const TWO_LABEL_SUFFIXES: ReadonlySet<string> = new Set([
	"ac.uk",
	"co.uk",
	"gov.uk",
	"org.uk",
	"com.au",
	"net.au",
	"org.au",
	"co.jp",
	"co.nz",
	"co.in",
	"co.kr",
	"co.za",
	"com.br",
	"com.cn",
	"com.mx",
	"com.tr",
	"github.io",
	"gitlab.io",
	"herokuapp.com",
	"netlify.app",
	"pages.dev",
	"vercel.app",
	"workers.dev",
]);

/**
 * Derives a provider label from the host of an endpoint URL: the label of
 * the registrable domain, so `https://georoute-agent.example.com/a2a`
 * gives `example`. Returns undefined for hosts that name no organization:
 * IP addresses, `localhost` and other single-label names, and URLs that do
 * not parse.
 */
export function providerFromHost(url: string): string | undefined {
	if (!URL.canParse(url)) {
		return undefined;
	}
	const hostname = new URL(url).hostname.replace(/\.$/, "");
	if (hostname.startsWith("[") || /^[0-9.]+$/.test(hostname)) {
		return undefined;
	}
	const labels = hostname.split(".");
	if (labels.length < 2 || labels.at(-1) === "localhost") {
		return undefined;
	}
	const lastTwo = labels.slice(-2).join(".");
	const suffixLength = TWO_LABEL_SUFFIXES.has(lastTwo) ? 2 : 1;
	const owner = labels.at(-1 - suffixLength);
	return owner === undefined ? undefined : slugLabel(owner);
}

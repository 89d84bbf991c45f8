import ipaddr from "ipaddr.js";

/**
 * Verdict on an endpoint host. `loopback` is separate from `forbidden`
 * because development mode accepts it. `reason` is a noun phrase for error
 * messages, such as "link-local address".
 */
export type HostVerdict =
	| { verdict: "public" }
	| { verdict: "loopback"; reason: string }
	| { verdict: "forbidden"; reason: string };

/**
 * Instance metadata services, which return cloud credentials to any local
 * caller: AWS, Google Cloud, Azure and Oracle Cloud use 169.254.169.254, AWS
 * also fd00:ec2::254 (IPv6) and 169.254.170.2 (ECS task credentials), and
 * Alibaba Cloud 100.100.100.200.
 */
const METADATA_ADDRESSES: ReadonlySet<string> = new Set(
	["169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254"].map(
		(address) => ipaddr.parse(address).toNormalizedString(),
	),
);

/** Host names of instance metadata services (Google Cloud, and AWS inside a VPC). */
const METADATA_HOST_NAMES: ReadonlySet<string> = new Set([
	"metadata.google.internal",
	"metadata",
	"instance-data",
]);

/** Suffixes of names that only resolve inside a site, with and without the leading dot. */
const INTERNAL_SUFFIXES = ["internal", "local", "localdomain", "home.arpa"];

/** IANA allocates global unicast IPv6 addresses only from 2000::/3. */
const GLOBAL_UNICAST: [ipaddr.IPv6, number] = [ipaddr.IPv6.parse("2000::"), 3];

/** Message wording for the range names of ipaddr.js 2.x. */
const RANGE_DESCRIPTIONS: Readonly<Record<string, string>> = {
	unspecified: "unspecified",
	broadcast: "broadcast",
	multicast: "multicast",
	linkLocal: "link-local",
	loopback: "loopback",
	carrierGradeNat: "carrier-grade NAT",
	private: "private",
	reserved: "reserved",
	uniqueLocal: "unique-local",
	deprecatedSiteLocal: "site-local",
	benchmarking: "benchmarking",
	discard: "discard-only",
	teredo: "Teredo",
	"6to4": "6to4",
	rfc6052: "NAT64",
	rfc6145: "IPv4-translated",
	amt: "AMT relay",
	as112: "AS112 DNS sink",
	as112v6: "AS112 DNS sink",
	orchid2: "ORCHID",
	deprecatedOrchid: "ORCHID",
	droneRemoteIdProtocolEntityTags: "drone remote ID",
	segmentRouting: "segment routing",
};

/**
 * Classifies the host of a URL parsed by WHATWG `new URL()`. The parser has
 * already rewritten numeric IPv4 forms (decimal, hex, octal, short) to dotted
 * decimal, lowercased names and put IPv6 literals in brackets.
 *
 * NOTE: names are judged by their text only, without DNS resolution, so a
 * public name that resolves to a private address (such as 127.0.0.1.nip.io)
 * passes. Registration may run without DNS access, and a lookup here would
 * race the later connection anyway. Whatever connects to an endpoint must
 * check the address it connects to.
 */
export function classifyHost(hostname: string): HostVerdict {
	if (hostname.startsWith("[") && hostname.endsWith("]")) {
		return classifyIPv6(ipaddr.IPv6.parse(hostname.slice(1, -1)));
	}
	if (ipaddr.IPv4.isValidFourPartDecimal(hostname)) {
		return classifyIPv4(ipaddr.IPv4.parse(hostname));
	}
	return classifyHostName(hostname);
}

function classifyHostName(hostname: string): HostVerdict {
	// A trailing dot marks a fully qualified name and does not change it.
	const name = hostname.endsWith(".") ? hostname.slice(0, -1) : hostname;
	if (name === "localhost" || name.endsWith(".localhost")) {
		return { verdict: "loopback", reason: "loopback name (localhost)" };
	}
	if (METADATA_HOST_NAMES.has(name)) {
		return { verdict: "forbidden", reason: "cloud metadata host name" };
	}
	for (const suffix of INTERNAL_SUFFIXES) {
		if (name === suffix || name.endsWith(`.${suffix}`)) {
			return {
				verdict: "forbidden",
				reason: `site-internal name (.${suffix})`,
			};
		}
	}
	if (!name.includes(".")) {
		return {
			verdict: "forbidden",
			reason:
				"single-label name, which resolvers complete with local search domains",
		};
	}
	return { verdict: "public" };
}

function classifyIPv4(address: ipaddr.IPv4): HostVerdict {
	if (METADATA_ADDRESSES.has(address.toNormalizedString())) {
		return { verdict: "forbidden", reason: "cloud metadata address" };
	}
	const range = address.range();
	if (range === "unicast") {
		return { verdict: "public" };
	}
	if (range === "loopback") {
		return { verdict: "loopback", reason: "loopback address" };
	}
	return { verdict: "forbidden", reason: `${describeRange(range)} address` };
}

function classifyIPv6(address: ipaddr.IPv6): HostVerdict {
	if (METADATA_ADDRESSES.has(address.toNormalizedString())) {
		return { verdict: "forbidden", reason: "cloud metadata address" };
	}
	const range = address.range();
	const parts = address.parts;

	// The operating system connects to an IPv4-mapped address over IPv4, so
	// it is judged exactly as the IPv4 address it maps.
	if (range === "ipv4Mapped") {
		return classifyIPv4(address.toIPv4Address());
	}
	if (range === "rfc6145") {
		return classifyEmbedded(
			embeddedIPv4(parts[6], parts[7]),
			"an IPv4-translated",
		);
	}
	if (range === "rfc6052") {
		return classifyEmbedded(embeddedIPv4(parts[6], parts[7]), "a NAT64");
	}
	if (range === "6to4") {
		// RFC 3056 puts the IPv4 address in bits 16–47.
		return classifyEmbedded(embeddedIPv4(parts[1], parts[2]), "a 6to4");
	}
	if (range === "loopback") {
		return { verdict: "loopback", reason: "loopback address" };
	}
	if (range !== "unicast") {
		return { verdict: "forbidden", reason: `${describeRange(range)} address` };
	}
	if (parts.slice(0, 6).every((part) => part === 0)) {
		// ::a.b.c.d, the IPv4-compatible form that RFC 4291 deprecates.
		return classifyEmbedded(
			embeddedIPv4(parts[6], parts[7]),
			"an IPv4-compatible",
		);
	}
	if (!address.match(GLOBAL_UNICAST)) {
		return {
			verdict: "forbidden",
			reason: "reserved address (outside global unicast 2000::/3)",
		};
	}
	return { verdict: "public" };
}

/**
 * Judges an IPv6 address that carries an IPv4 address. Such an address is
 * rejected even when the IPv4 part is public, because it is reachable only
 * through a translator or a deprecated mechanism.
 *
 * @param form Name of the IPv6 form with its article, such as "a NAT64".
 */
function classifyEmbedded(ipv4: ipaddr.IPv4, form: string): HostVerdict {
	const inner = classifyIPv4(ipv4);
	const embedded = `${ipv4.toString()} embedded in ${form} IPv6 address`;
	if (inner.verdict === "public") {
		return {
			verdict: "forbidden",
			reason: `public IPv4 address ${embedded}, so publish the IPv4 address itself`,
		};
	}
	return { verdict: "forbidden", reason: `${inner.reason} ${embedded}` };
}

function embeddedIPv4(
	high: number | undefined,
	low: number | undefined,
): ipaddr.IPv4 {
	const highBits = high ?? 0;
	const lowBits = low ?? 0;
	return new ipaddr.IPv4([
		highBits >> 8,
		highBits & 0xff,
		lowBits >> 8,
		lowBits & 0xff,
	]);
}

function describeRange(range: string): string {
	return RANGE_DESCRIPTIONS[range] ?? range;
}

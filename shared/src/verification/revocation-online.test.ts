import { createServer } from "node:net";
import {
	startTestControlPlane,
	type TestControlPlane,
} from "@ans/control-plane/testing";
import { BasicOCSPResponse, OCSPResponse } from "@peculiar/asn1-ocsp";
import { AsnConvert, OctetString } from "@peculiar/asn1-schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAnsError } from "../errors.ts";
import { createCsr, generateAgentKeyPair } from "../keys/index.ts";
import { createOcspRequest } from "./ocsp-client.ts";
import {
	checkRevocationOnline,
	type OnlineRevocationOptions,
	onlineRevocationCheck,
} from "./revocation-online.ts";
import { verifyResolution } from "./verify.ts";
import { x509 } from "./x509-provider.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

interface Agent {
	id: string;
	name: string;
	leaf: x509.X509Certificate;
	issuer: x509.X509Certificate;
}

let cp: TestControlPlane;
let otherCp: TestControlPlane;
let closedPort: number;
let goodAgent: Agent;
let revokedAgent: Agent;
let counter = 0;

async function register(target: TestControlPlane): Promise<Agent> {
	counter++;
	const agentId = `online${counter}`;
	const name = `a2a://${agentId}.testing.example.v1.0.0`;
	const keys = await generateAgentKeyPair("P-256");
	const response = await fetch(`${target.url}/v1/agents`, {
		method: "POST",
		headers: {
			authorization: `Bearer ${target.adminToken}`,
			"content-type": "application/json",
		},
		body: JSON.stringify({
			name,
			endpoints: [{ protocol: "a2a", url: "https://agents.example.com/a2a" }],
			metadata: {
				protocolVersion: "1.0",
				name: agentId,
				description: "Agent for online revocation tests",
				version: "1.0.0",
				capabilities: {},
				defaultInputModes: ["text/plain"],
				defaultOutputModes: ["text/plain"],
				skills: [{ id: "test", name: "Test", description: "Serves the tests" }],
			},
			csr: await createCsr({ keys, canonicalName: name, agentId }),
		}),
	});
	expect(response.status).toBe(201);
	const body = (await response.json()) as {
		id: string;
		certificate: string;
		chain: string[];
	};
	return {
		id: body.id,
		name,
		leaf: new x509.X509Certificate(body.certificate),
		issuer: new x509.X509Certificate(body.chain[0] ?? ""),
	};
}

async function revoke(agent: Agent, reason: string): Promise<void> {
	const response = await fetch(`${cp.url}/v1/agents/${agent.id}/revoke`, {
		method: "POST",
		headers: {
			authorization: `Bearer ${cp.adminToken}`,
			"content-type": "application/json",
		},
		body: JSON.stringify({ reason }),
	});
	expect(response.status).toBe(200);
}

/** Returns a port on 127.0.0.1 that nothing listens on. */
async function findClosedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	const address = server.address();
	const port =
		typeof address === "object" && address !== null ? address.port : 0;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

async function expectUnavailable(
	promise: Promise<unknown>,
	messagePart: RegExp,
): Promise<void> {
	const error = await promise.then(
		() => undefined,
		(caught: unknown) => caught,
	);
	expect(isAnsError(error)).toBe(true);
	expect((error as { code: string }).code).toBe("REVOCATION_UNAVAILABLE");
	expect((error as Error).message).toMatch(messagePart);
}

beforeAll(async () => {
	cp = await startTestControlPlane();
	otherCp = await startTestControlPlane();
	closedPort = await findClosedPort();
	goodAgent = await register(cp);
	revokedAgent = await register(cp);
	await revoke(revokedAgent, "keyCompromise");
});

afterAll(async () => {
	await cp?.stop();
	await otherCp?.stop();
});

describe("online revocation check over OCSP", () => {
	it("reports good from the certificate's OCSP URL", async () => {
		const result = await checkRevocationOnline(
			goodAgent.leaf,
			goodAgent.issuer,
		);
		expect(result.status).toBe("good");
		expect(result.source).toBe("ocsp");
		expect(result.url).toBe(`${cp.url}/v1/ca/ocsp`);
		expect(result.ocspFailure).toBeUndefined();
	});

	it("reports revoked with reason and time", async () => {
		const result = await checkRevocationOnline(
			revokedAgent.leaf,
			revokedAgent.issuer,
		);
		expect(result.status).toBe("revoked");
		expect(result.source).toBe("ocsp");
		expect(result.reason).toBe("keyCompromise");
		expect(result.revokedAt).toBeInstanceOf(Date);
	});

	it("plugs into verifyResolution", async () => {
		const answer = await (
			await fetch(
				`${cp.url}/v1/resolve?name=${encodeURIComponent(goodAgent.name)}`,
			)
		).json();
		const jwks = await (await fetch(`${cp.url}/.well-known/jwks.json`)).json();
		const verified = await verifyResolution(answer, {
			jwks,
			trustAnchors: [cp.controlPlane.services.ca.rootPem()],
			checkRevocation: onlineRevocationCheck(),
		});
		expect(verified.revocation.status).toBe("good");
		expect(verified.revocation.source).toBe("ocsp");
	});
});

describe("online revocation check with CRL fallback", () => {
	const unreachableOcsp = (): OnlineRevocationOptions => ({
		ocspUrl: `http://127.0.0.1:${closedPort}/v1/ca/ocsp`,
	});

	it("falls back to the CRL when OCSP is unreachable", async () => {
		const result = await checkRevocationOnline(
			goodAgent.leaf,
			goodAgent.issuer,
			unreachableOcsp(),
		);
		expect(result.status).toBe("good");
		expect(result.source).toBe("crl");
		expect(result.url).toBe(`${cp.url}/v1/ca/crl?issuer=1`);
		expect(result.ocspFailure).toContain(
			`OCSP at http://127.0.0.1:${closedPort}/v1/ca/ocsp failed`,
		);
	});

	it("finds a revocation on the CRL", async () => {
		const result = await checkRevocationOnline(
			revokedAgent.leaf,
			revokedAgent.issuer,
			unreachableOcsp(),
		);
		expect(result.status).toBe("revoked");
		expect(result.source).toBe("crl");
		expect(result.reason).toBe("keyCompromise");
		expect(result.revokedAt).toBeInstanceOf(Date);
	});

	it("falls back when an OCSP response is replayed", async () => {
		let recorded: ArrayBuffer | undefined;
		const replaying: typeof fetch = async (input, init) => {
			const response = await fetch(input, init);
			if (init?.method !== "POST") {
				return response;
			}
			recorded ??= await response.arrayBuffer();
			return new Response(recorded.slice(0), { status: 200 });
		};
		await checkRevocationOnline(goodAgent.leaf, goodAgent.issuer, {
			fetch: replaying,
		});
		const result = await checkRevocationOnline(
			goodAgent.leaf,
			goodAgent.issuer,
			{ fetch: replaying },
		);
		expect(result.source).toBe("crl");
		expect(result.ocspFailure).toContain("nonce differs");
	});

	it("falls back when the responder is not the issuer's", async () => {
		const foreign = await register(otherCp);
		const foreignAnswer: typeof fetch = async (_input, init) => {
			if (init?.method !== "POST") {
				return fetch(`${cp.url}/v1/ca/crl?issuer=1`, init);
			}
			// The other registry's responder signs a response about its own
			// certificate, which this issuer never authorized.
			const request = await createOcspRequest(foreign.leaf, foreign.issuer);
			return fetch(`${otherCp.url}/v1/ca/ocsp`, {
				method: "POST",
				headers: { "content-type": "application/ocsp-request" },
				body: request.der,
			});
		};
		const result = await checkRevocationOnline(
			goodAgent.leaf,
			goodAgent.issuer,
			{ fetch: foreignAnswer },
		);
		expect(result.source).toBe("crl");
		expect(result.ocspFailure).toContain("was not issued by");
	});

	it("falls back when the signature is altered", async () => {
		const tampering: typeof fetch = async (input, init) => {
			const response = await fetch(input, init);
			if (init?.method !== "POST") {
				return response;
			}
			const body = new Uint8Array(await response.arrayBuffer());
			const parsed = AsnConvert.parse(body, OCSPResponse);
			const bytes = parsed.responseBytes;
			if (bytes === undefined) {
				throw new Error("expected response bytes");
			}
			const basic = AsnConvert.parse(bytes.response.buffer, BasicOCSPResponse);
			const producedAt = basic.tbsResponseData.producedAt;
			basic.tbsResponseData.producedAt = new Date(producedAt.getTime() + 1000);
			basic.tbsResponseDataRaw = undefined;
			bytes.response = new OctetString(AsnConvert.serialize(basic));
			return new Response(AsnConvert.serialize(parsed), { status: 200 });
		};
		const result = await checkRevocationOnline(
			goodAgent.leaf,
			goodAgent.issuer,
			{ fetch: tampering },
		);
		expect(result.source).toBe("crl");
		expect(result.ocspFailure).toContain("signature does not verify");
	});
});

describe("online revocation check without a usable source", () => {
	it("raises REVOCATION_UNAVAILABLE when both are unreachable", async () => {
		await expectUnavailable(
			checkRevocationOnline(goodAgent.leaf, goodAgent.issuer, {
				ocspUrl: `http://127.0.0.1:${closedPort}/v1/ca/ocsp`,
				crlUrl: `http://127.0.0.1:${closedPort}/v1/ca/crl`,
			}),
			/OCSP at .+ failed: .+; CRL at .+ failed/,
		);
	});

	it("rejects a CRL and OCSP of another issuer", async () => {
		const foreign = await register(otherCp);
		await expectUnavailable(
			checkRevocationOnline(goodAgent.leaf, foreign.issuer),
			/unauthorized.+CRL at .+ failed: the CRL (is issued by|signature does not verify)/,
		);
	});

	it("rejects OCSP responses and CRLs past nextUpdate", async () => {
		await expectUnavailable(
			checkRevocationOnline(goodAgent.leaf, goodAgent.issuer, {
				now: new Date(Date.now() + 2 * DAY_MS),
			}),
			/OCSP at .+ failed: the response expired at its nextUpdate .+; CRL at .+ failed: the CRL expired at its nextUpdate/,
		);
	});

	it("rejects a thisUpdate in the future", async () => {
		await expectUnavailable(
			checkRevocationOnline(goodAgent.leaf, goodAgent.issuer, {
				now: new Date(Date.now() - DAY_MS),
			}),
			/thisUpdate .+ is in the future/,
		);
	});
});

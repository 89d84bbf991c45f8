import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createCsr, generateAgentKeyPair } from "@ans/shared/keys";
import { verifyResolution } from "@ans/shared/verification";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
	startTestControlPlane,
	type TestControlPlane,
} from "../testing/test-control-plane.ts";

let cp: TestControlPlane;
let work: string;

beforeAll(async () => {
	cp = await startTestControlPlane();
	work = mkdtempSync(join(tmpdir(), "ans-reg-"));
});

afterAll(async () => {
	await cp.stop();
	rmSync(work, { recursive: true, force: true });
});

async function csrFor(name: string, agentId = "agent"): Promise<string> {
	const keys = await generateAgentKeyPair("P-256");
	return createCsr({ keys, canonicalName: name.toLowerCase(), agentId });
}

async function register(
	body: Record<string, unknown>,
	token = cp.adminToken,
): Promise<Response> {
	return fetch(`${cp.url}/v1/agents`, {
		method: "POST",
		headers: {
			authorization: `Bearer ${token}`,
			"content-type": "application/json",
		},
		body: JSON.stringify(body),
	});
}

async function trust() {
	const jwks = await (await fetch(`${cp.url}/.well-known/jwks.json`)).json();
	const ca = (await (await fetch(`${cp.url}/v1/ca/certificates`)).json()) as {
		root: string;
	};
	return { jwks, trustAnchors: [ca.root] };
}

describe("registration API", () => {
	it("registers, resolves and verifies an openssl-made key", async () => {
		const keyPath = join(work, "openssl.key");
		const csrPath = join(work, "openssl.csr");
		execFileSync(
			"openssl",
			[
				"req",
				"-new",
				"-newkey",
				"ec",
				"-pkeyopt",
				"ec_paramgen_curve:P-384",
				"-nodes",
				"-keyout",
				keyPath,
				"-subj",
				"/CN=opensslAgent",
				"-out",
				csrPath,
			],
			{ stdio: "ignore" },
		);
		const name = "a2a://textProcessor.DocumentTranslation.AcmeCorp.v2.1.hipaa";

		const response = await register({
			name,
			endpoints: [{ protocol: "a2a", url: "https://agents.acme.example/a2a" }],
			metadata: {
				name: "Text processor",
				description: "Translates documents",
				url: "https://agents.acme.example/a2a",
				version: "2.1.0",
				capabilities: {},
				defaultInputModes: ["text/plain"],
				defaultOutputModes: ["text/plain"],
				skills: [
					{
						id: "translate",
						name: "Translate",
						description: "Translates a document",
						tags: ["translation"],
					},
				],
			},
			csr: readFileSync(csrPath, "utf8"),
		});
		expect(response.status).toBe(201);
		const registration = (await response.json()) as {
			name: string;
			certificate: string;
			chain: string[];
		};
		expect(registration.name).toBe(
			"a2a://textprocessor.documenttranslation.acmecorp.v2.1.0.hipaa",
		);

		const resolved = await fetch(
			`${cp.url}/v1/resolve?name=${encodeURIComponent("a2a://TextProcessor.documentTranslation.AcmeCorp")}&range=${encodeURIComponent("^2")}`,
		);
		expect(resolved.status).toBe(200);
		const answer = (await resolved.json()) as {
			record: string;
			certificate: string;
			chain: string[];
		};
		const verified = await verifyResolution(answer, {
			...(await trust()),
			expectedName: {
				base: "a2a://textprocessor.documenttranslation.acmecorp",
			},
		});
		expect(verified.payload.endpoints[0]?.url).toBe(
			"https://agents.acme.example/a2a",
		);
		expect(verified.payload.status).toBe("active");

		// The certified key is the one openssl generated.
		const certPath = join(work, "openssl.crt");
		writeFileSync(certPath, answer.certificate);
		const certKey = execFileSync("openssl", [
			"x509",
			"-in",
			certPath,
			"-noout",
			"-pubkey",
		]).toString();
		const ownKey = execFileSync("openssl", [
			"pkey",
			"-in",
			keyPath,
			"-pubout",
		]).toString();
		expect(certKey).toBe(ownKey);
	});

	it("rejects the same name in other case with 409", async () => {
		const name = "mcp://sentimentAnalyzer.textAnalysis.ExampleCorp.v1.0";
		const body = {
			name,
			endpoints: [{ protocol: "mcp", url: "https://mcp.example.com/" }],
			csr: await csrFor(name),
		};
		expect((await register(body)).status).toBe(201);

		const again = await register({
			...body,
			name: "MCP://SENTIMENTANALYZER.textanalysis.examplecorp.v1.0.0",
			csr: await csrFor(name),
		});
		expect(again.status).toBe(409);
		const error = (await again.json()) as {
			error: { code: string; field: string };
		};
		expect(error.error.code).toBe("NAME_TAKEN");
		expect(error.error.field).toBe("name");
	});

	it.each([
		["http scheme", "http://agents.example.com/"],
		["loopback", "https://127.0.0.1/"],
		["decimal loopback", "https://2130706433/"],
		["hex loopback", "https://0x7f000001/"],
		["IPv6-mapped loopback", "https://[::ffff:127.0.0.1]/"],
		["private", "https://10.1.2.3/"],
		["link-local", "https://169.254.10.10/"],
		["metadata", "https://169.254.169.254/latest/meta-data"],
		["localhost", "https://localhost:8443/"],
	])("rejects a %s endpoint and writes nothing", async (_kind, url) => {
		const name = `a2a://probe.endpoint.Example.v1.${Math.floor(Math.random() * 1e6)}`;
		const headBefore = await cp.controlPlane.services.store.headSeq();
		const response = await register({
			name,
			endpoints: [{ protocol: "a2a", url }],
			csr: await csrFor(name),
		});
		expect(response.status).toBe(400);
		const error = (await response.json()) as {
			error: { code: string; field: string };
		};
		expect(error.error.field).toBe("endpoints[0].url");
		expect(error.error.code).toMatch(/^ENDPOINT_/);
		expect(await cp.controlPlane.services.store.headSeq()).toBe(headBefore);
	});

	it("rejects a CSR with a flipped signature byte", async () => {
		const name = "a2a://flip.sig.Example.v1";
		const pem = await csrFor(name);
		const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ""), "base64");
		der[der.length - 5] = (der[der.length - 5] ?? 0) ^ 0x01;
		const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString("base64")}\n-----END CERTIFICATE REQUEST-----\n`;
		const response = await register({
			name,
			endpoints: [{ protocol: "a2a", url: "https://a.example.com/" }],
			csr: tampered,
		});
		expect(response.status).toBe(400);
		const error = (await response.json()) as {
			error: { code: string; field: string };
		};
		expect(error.error.code).toBe("CSR_SIGNATURE_INVALID");
		expect(error.error.field).toBe("csr");
	});

	it("needs a token with the register scope", async () => {
		const name = "a2a://scope.check.Example.v1";
		const body = {
			name,
			endpoints: [{ protocol: "a2a", url: "https://a.example.com/" }],
			csr: await csrFor(name),
		};
		expect((await register(body, "ans_not-a-real-token")).status).toBe(401);

		const created = await fetch(`${cp.url}/v1/tokens`, {
			method: "POST",
			headers: {
				authorization: `Bearer ${cp.adminToken}`,
				"content-type": "application/json",
			},
			body: JSON.stringify({ scopes: ["register"], label: "ci" }),
		});
		expect(created.status).toBe(201);
		const { token } = (await created.json()) as { token: string };
		expect((await register(body, token)).status).toBe(201);

		const asAdmin = await fetch(`${cp.url}/v1/tokens`, {
			method: "POST",
			headers: {
				authorization: `Bearer ${token}`,
				"content-type": "application/json",
			},
			body: JSON.stringify({ scopes: ["admin"] }),
		});
		expect(asAdmin.status).toBe(403);
	});

	it("rejects oversized bodies with 413", async () => {
		const response = await register({
			name: "a2a://big.body.Example.v1",
			endpoints: [],
			metadata: { pad: "x".repeat(300 * 1024) },
			csr: "x",
		});
		expect(response.status).toBe(413);
		expect(response.headers.get("connection")).toBe("close");
		expect(
			((await response.json()) as { error: { code: string } }).error.code,
		).toBe("BODY_TOO_LARGE");
	});

	it("names the missing field", async () => {
		const response = await register({
			name: "a2a://missing.field.Example.v1",
			csr: "x",
		});
		expect(response.status).toBe(400);
		const error = (await response.json()) as {
			error: { code: string; field: string };
		};
		expect(error.error).toMatchObject({
			code: "FIELD_REQUIRED",
			field: "endpoints",
		});
	});

	it("rejects deeply nested metadata and writes nothing", async () => {
		const name = "a2a://deep.nesting.Example.v1";
		// Written as text: JSON.stringify itself overflows the stack on 5,000 levels.
		const deep = `${"[".repeat(5000)}"leaf"${"]".repeat(5000)}`;
		const body = `{"name":${JSON.stringify(name)},"endpoints":[{"protocol":"a2a","url":"https://a.example.com/"}],"metadata":{"x-deep":${deep}},"csr":${JSON.stringify(await csrFor(name))}}`;
		const headBefore = await cp.controlPlane.services.store.headSeq();
		const response = await fetch(`${cp.url}/v1/agents`, {
			method: "POST",
			headers: {
				authorization: `Bearer ${cp.adminToken}`,
				"content-type": "application/json",
			},
			body,
		});
		expect(response.status).toBe(400);
		const error = (await response.json()) as {
			error: { code: string; field: string };
		};
		expect(error.error.code).toBe("METADATA_TOO_DEEP");
		expect(error.error.field).toBe("metadata");
		expect(await cp.controlPlane.services.store.headSeq()).toBe(headBefore);
	});

	it("folds an endpoint repeated in the card into one", async () => {
		const name = "a2a://fold.endpoints.Example.v1";
		const url = "https://fold.example.com/a2a";
		const response = await register({
			name,
			endpoints: [{ protocol: "a2a", url }],
			metadata: {
				name: "Fold",
				description: "Card repeating the request endpoint",
				url,
				preferredTransport: "JSONRPC",
				version: "1.0.0",
				capabilities: {},
				defaultInputModes: ["text/plain"],
				defaultOutputModes: ["text/plain"],
				skills: [{ id: "fold", name: "Fold", description: "Folds" }],
			},
			csr: await csrFor(name),
		});
		expect(response.status).toBe(201);
		const { record } = (await response.json()) as { record: string };
		const payload = JSON.parse(
			Buffer.from(record.split(".")[1] ?? "", "base64url").toString(),
		) as {
			endpoints: { url: string; transport?: string }[];
		};
		expect(payload.endpoints).toEqual([
			{ protocol: "a2a", url, transport: "JSONRPC" },
		]);
	});

	it.each([
		[
			"an unknown field",
			{ name: "a2a://x.y.Example.v1", endpoint: [], csr: "x" },
			"FIELD_UNKNOWN",
			"endpoint",
		],
		[
			"a wrong type",
			{ name: "a2a://x.y.Example.v1", endpoints: [], csr: 12 },
			"FIELD_INVALID",
			"csr",
		],
		["an array body", [1, 2], "BODY_NOT_OBJECT", "body"],
		[
			"an over-long name",
			{
				name: `a2a://${"a".repeat(250)}.y.Example.v1`,
				endpoints: [],
				csr: "x",
			},
			"NAME_TOO_LONG",
			"name",
		],
	])("names the field for %s", async (_case, body, code, field) => {
		const response = await register(body as Record<string, unknown>);
		expect(response.status).toBe(400);
		const error = (await response.json()) as {
			error: { code: string; field: string; message: string };
		};
		expect(error.error.code).toBe(code);
		expect(error.error.field).toBe(field);
		expect(error.error.message).not.toMatch(/Invalid input|Unrecognized key/);
	});

	it("rejects a body that is not JSON with 415", async () => {
		const response = await fetch(`${cp.url}/v1/agents`, {
			method: "POST",
			headers: {
				authorization: `Bearer ${cp.adminToken}`,
				"content-type": "text/plain",
			},
			body: "name=x",
		});
		expect(response.status).toBe(415);
		const error = (await response.json()) as {
			error: { code: string; field: string };
		};
		expect(error.error).toMatchObject({
			code: "CONTENT_TYPE_UNSUPPORTED",
			field: "content-type",
		});
	});

	it("rejects a repeated query parameter", async () => {
		const response = await fetch(
			`${cp.url}/v1/resolve?name=a2a://a.b.c&name=a2a://d.e.f`,
		);
		expect(response.status).toBe(400);
		const error = (await response.json()) as {
			error: { code: string; field: string };
		};
		expect(error.error).toMatchObject({
			code: "FIELD_REPEATED",
			field: "name",
		});
	});

	it("serves an OpenAPI document with the registration route", async () => {
		const document = (await (await fetch(`${cp.url}/openapi.json`)).json()) as {
			paths: Record<string, unknown>;
		};
		expect(Object.keys(document.paths)).toEqual(
			expect.arrayContaining([
				"/v1/agents",
				"/v1/resolve",
				"/v1/agents/{id}/revoke",
			]),
		);
	});
});

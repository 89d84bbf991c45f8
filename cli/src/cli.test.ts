import { execFile } from "node:child_process";
import {
	copyFileSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	statSync,
	writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import {
	startTestControlPlane,
	type TestControlPlane,
} from "@ans/control-plane/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const ansBin = new URL("../bin/ans.js", import.meta.url).pathname;

let cp: TestControlPlane;
let work: string;

beforeAll(async () => {
	cp = await startTestControlPlane();
	work = mkdtempSync(join(tmpdir(), "ans-cli-"));
});

afterAll(async () => {
	await cp.stop();
	rmSync(work, { recursive: true, force: true });
});

/** Runs `ans` with the control plane's URL and the admin token in the environment. */
async function ans(
	args: string[],
	env: Record<string, string> = {},
): Promise<{ code: number; json: unknown; stderr: string }> {
	try {
		const { stdout, stderr } = await run(process.execPath, [ansBin, ...args], {
			cwd: work,
			env: {
				...process.env,
				ANS_URL: cp.url,
				ANS_TOKEN: cp.adminToken,
				...env,
			},
		});
		return { code: 0, json: JSON.parse(stdout), stderr };
	} catch (error) {
		const failed = error as { code: number; stdout: string; stderr: string };
		return {
			code: failed.code,
			json: JSON.parse(failed.stdout),
			stderr: failed.stderr,
		};
	}
}

/** Registers an MCP agent with keys and outputs in directories named after `label`. */
async function registerMcpAgent(name: string, label: string): Promise<void> {
	const keygen = await ans(["keygen", name, "--out-dir", `${label}-keys`]);
	expect(keygen.code).toBe(0);
	const registered = await ans([
		"register",
		"--name",
		name,
		"--endpoint",
		`https://mcp.example.com/${label}`,
		"--transport",
		"streamable-http",
		"--csr",
		(keygen.json as { csr: string }).csr,
		"--out-dir",
		`${label}-out`,
	]);
	expect(registered.code).toBe(0);
}

interface TrustFile {
	source: string;
	fetchedAt: string;
	jwksFetchedAt?: string;
	jwks: { keys: { kid?: string }[] };
	roots: string[];
}

function readTrustFile(name: string): TrustFile {
	return JSON.parse(readFileSync(join(work, name), "utf8")) as TrustFile;
}

function trustKids(name: string): (string | undefined)[] {
	return readTrustFile(name).jwks.keys.map((key) => key.kid);
}

/** Returns the kid in the header of the record the control plane serves for `name`. */
async function servedKid(name: string): Promise<string | undefined> {
	const response = await fetch(
		`${cp.url}/v1/resolve?${new URLSearchParams({ name })}`,
	);
	const { record } = (await response.json()) as { record: string };
	const header = JSON.parse(
		Buffer.from(record.split(".")[0] ?? "", "base64url").toString("utf8"),
	) as { kid?: string };
	return header.kid;
}

/** Returns a loopback port that nothing listens on: it was bound, then closed. */
async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	const address = server.address();
	const port =
		typeof address === "object" && address !== null ? address.port : 0;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

describe("ans CLI", () => {
	it("parses a name or exits 2 with an error body", async () => {
		const ok = await ans([
			"name",
			"parse",
			"a2a://textProcessor.DocumentTranslation.AcmeCorp.v2.1.hipaa",
		]);
		expect(ok.code).toBe(0);
		expect(ok.json).toMatchObject({
			version: "2.1.0",
			extension: "hipaa",
			agentId: "textProcessor",
		});

		const bad = await ans(["name", "parse", "a2a://x..y.v1"]);
		expect(bad.code).toBe(2);
		expect(bad.json).toMatchObject({
			error: { code: "NAME_EMPTY_LABEL", field: "name" },
		});
	});

	it("runs keygen, register, resolve and verify", async () => {
		const name = "mcp://sentimentAnalyzer.textAnalysis.ExampleCorp.v1.0";
		const keygen = await ans([
			"keygen",
			name,
			"--key-type",
			"Ed25519",
			"--out-dir",
			"keys",
		]);
		expect(keygen.code).toBe(0);
		const files = keygen.json as { privateKey: string; csr: string };
		expect(statSync(join(work, files.privateKey)).mode & 0o777).toBe(0o600);

		const registered = await ans([
			"register",
			"--name",
			name,
			"--endpoint",
			"https://mcp.example.com/mcp",
			"--transport",
			"streamable-http",
			"--csr",
			files.csr,
			"--out-dir",
			"out",
		]);
		expect(registered.code).toBe(0);
		const { id } = registered.json as { id: string };

		expect((await ans(["trust", "fetch", "--out", "trust.json"])).code).toBe(0);
		const resolved = await ans([
			"resolve",
			"mcp://sentimentAnalyzer.textAnalysis.ExampleCorp",
			"--range",
			"~1.0",
			"--trust",
			"trust.json",
			"--save",
			"answer.json",
		]);
		expect(resolved.code).toBe(0);
		expect(resolved.json).toMatchObject({
			verified: true,
			record: {
				name: "mcp://sentimentanalyzer.textanalysis.examplecorp.v1.0.0",
			},
		});

		const verified = await ans([
			"verify",
			"answer.json",
			"--trust",
			"trust.json",
			"--name",
			name,
		]);
		expect(verified.code).toBe(0);
		expect(verified.json).toMatchObject({
			revocation: { status: "good", source: "ocsp" },
		});

		// One changed byte in the saved record makes verification fail with exit 1.
		const answer = JSON.parse(
			readFileSync(join(work, "answer.json"), "utf8"),
		) as { record: string };
		const [header, payload, signature] = answer.record.split(".");
		const bytes = Buffer.from(payload ?? "", "base64url");
		bytes[10] = (bytes[10] ?? 0) ^ 0x01;
		const tampered = {
			...answer,
			record: [header, bytes.toString("base64url"), signature].join("."),
		};
		writeFileSync(join(work, "tampered.json"), JSON.stringify(tampered));
		const rejected = await ans([
			"verify",
			"tampered.json",
			"--trust",
			"trust.json",
		]);
		expect(rejected.code).toBe(1);
		expect(rejected.json).toMatchObject({
			error: { code: "RECORD_SIGNATURE_INVALID" },
		});

		// The agent's own key revokes it; resolve then exits 1 with a verified tombstone.
		const revoked = await ans(
			[
				"agent",
				"revoke",
				id,
				"--key",
				files.privateKey,
				"--reason",
				"keyCompromise",
			],
			{ ANS_TOKEN: "" },
		);
		expect(revoked.code).toBe(0);
		const gone = await ans(["resolve", name, "--trust", "trust.json"]);
		expect(gone.code).toBe(1);
		expect(gone.json).toMatchObject({
			error: { code: "AGENT_REVOKED" },
			tombstone: { verified: true, record: { status: "revoked" } },
		});

		// The answer saved before the revocation now fails: OCSP reports the certificate revoked.
		const stale = await ans(["verify", "answer.json", "--trust", "trust.json"]);
		expect(stale.code).toBe(1);
		expect(stale.json).toMatchObject({ error: { code: "CERT_REVOKED" } });
		const offline = await ans([
			"verify",
			"answer.json",
			"--trust",
			"trust.json",
			"--no-revocation",
		]);
		expect(offline.code).toBe(0);
		expect(offline.json).toMatchObject({
			revocation: { status: "unknown", source: "none" },
		});
	});

	it("creates a register-scoped token", async () => {
		const created = await ans([
			"token",
			"create",
			"--scope",
			"register",
			"--label",
			"ci",
		]);
		expect(created.code).toBe(0);
		expect(created.json).toMatchObject({ scopes: ["register"] });
		const denied = await ans(["token", "create"], {
			ANS_TOKEN: (created.json as { token: string }).token,
		});
		expect(denied.code).toBe(2);
		expect(denied.json).toMatchObject({
			error: { code: "TOKEN_SCOPE_MISSING" },
		});
	});

	it("lists and revokes a token", async () => {
		const created = await ans([
			"token",
			"create",
			"--scope",
			"admin",
			"--label",
			"to revoke",
		]);
		expect(created.code).toBe(0);
		const { id, token } = created.json as { id: string; token: string };

		const listed = await ans(["token", "list"], { ANS_TOKEN: token });
		expect(listed.code).toBe(0);
		const { tokens } = listed.json as {
			tokens: { id: string; label: string; revokedAt: string | null }[];
		};
		expect(tokens.find((row) => row.id === id)).toMatchObject({
			label: "to revoke",
			revokedAt: null,
		});
		expect(JSON.stringify(listed.json)).not.toContain(token);

		const revoked = await ans(["token", "revoke", id]);
		expect(revoked.code).toBe(0);
		expect(revoked.json).toMatchObject({ id, revokedAt: expect.any(String) });

		const rejected = await ans(["token", "list"], { ANS_TOKEN: token });
		expect(rejected.code).toBe(2);
		expect(rejected.json).toMatchObject({ error: { code: "TOKEN_INVALID" } });

		const unknown = await ans(["token", "revoke", "tok_unknown"]);
		expect(unknown.code).toBe(2);
		expect(unknown.json).toMatchObject({
			error: { code: "TOKEN_NOT_FOUND", field: "id" },
		});
	});

	it("refreshes a JWKS older than 15 minutes", async () => {
		const name = "mcp://staleCheck.textAnalysis.ExampleCorp.v1.0";
		await registerMcpAgent(name, "stale");
		expect((await ans(["trust", "fetch", "--out", "stale.json"])).code).toBe(0);
		const stale = readTrustFile("stale.json");
		const sixteenMinutesAgo = new Date(Date.now() - 16 * 60 * 1000);
		stale.jwksFetchedAt = sixteenMinutesAgo.toISOString();
		stale.jwks.keys = [...stale.jwks.keys, { kid: "removed-by-refresh" }];
		writeFileSync(join(work, "stale.json"), JSON.stringify(stale, null, 2));

		const resolved = await ans(["resolve", name, "--trust", "stale.json"]);
		expect(resolved.code).toBe(0);
		const refreshed = readTrustFile("stale.json");
		expect(Date.parse(refreshed.jwksFetchedAt ?? "")).toBeGreaterThan(
			sixteenMinutesAgo.getTime(),
		);
		expect(refreshed.jwks.keys.map((key) => key.kid)).not.toContain(
			"removed-by-refresh",
		);
		expect(refreshed.roots).toEqual(stale.roots);
	});

	// Rotates the control plane's signing key, so it runs last in this file.
	it("refreshes a pinned JWKS after rotation", async () => {
		const name = "mcp://rotationCheck.textAnalysis.ExampleCorp.v1.0";
		await registerMcpAgent(name, "rotation");

		expect((await ans(["trust", "fetch", "--out", "old.json"])).code).toBe(0);
		const oldKid = await servedKid(name);
		expect(trustKids("old.json")).toEqual([oldKid]);
		// Copies made before the rotation, for the cases that must not refresh.
		for (const copy of ["pinned.json", "offline.json", "unreachable.json"]) {
			copyFileSync(join(work, "old.json"), join(work, copy));
		}
		const unreachable = readTrustFile("unreachable.json");
		unreachable.source = `http://127.0.0.1:${await closedPort()}`;
		writeFileSync(
			join(work, "unreachable.json"),
			JSON.stringify(unreachable, null, 2),
		);
		const unreachableText = readFileSync(
			join(work, "unreachable.json"),
			"utf8",
		);

		const rotated = await ans([
			"admin",
			"rotate-signing-key",
			"--activate-after",
			"0",
		]);
		expect(rotated.code).toBe(0);
		const newKid = (rotated.json as { kid: string }).kid;
		expect(newKid).not.toBe(oldKid);
		// The control plane re-signs every record in the background; 200 polls of 50 ms at most.
		for (let poll = 0; poll < 200; poll++) {
			if ((await servedKid(name)) === newKid) {
				break;
			}
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
		expect(await servedKid(name)).toBe(newKid);

		const resolved = await ans(["resolve", name, "--trust", "old.json"]);
		expect(resolved.code).toBe(0);
		expect(resolved.json).toMatchObject({ verified: true, kid: newKid });
		const refreshed = readTrustFile("old.json");
		expect(refreshed.jwks.keys.map((key) => key.kid)).toContain(newKid);
		expect(refreshed.roots).toEqual(readTrustFile("pinned.json").roots);
		expect(refreshed.fetchedAt).toBe(readTrustFile("pinned.json").fetchedAt);
		expect(refreshed.jwksFetchedAt).not.toBe(
			readTrustFile("pinned.json").jwksFetchedAt,
		);

		// Without refreshing, the old file lacks the new key and the error names the fix.
		const pinned = await ans([
			"resolve",
			name,
			"--trust",
			"pinned.json",
			"--no-refresh",
		]);
		expect(pinned.code).toBe(1);
		expect(pinned.json).toMatchObject({
			error: {
				code: "RECORD_KEY_UNKNOWN",
				message: expect.stringContaining("ans trust fetch --out pinned.json"),
			},
		});
		expect(trustKids("pinned.json")).toEqual([oldKid]);

		// ans verify never refreshes.
		expect(
			(
				await ans([
					"resolve",
					name,
					"--trust",
					"old.json",
					"--save",
					"new.json",
				])
			).code,
		).toBe(0);
		const offline = await ans([
			"verify",
			"new.json",
			"--trust",
			"offline.json",
		]);
		expect(offline.code).toBe(1);
		expect(offline.json).toMatchObject({
			error: {
				code: "RECORD_KEY_UNKNOWN",
				message: expect.stringContaining("ans trust fetch --out offline.json"),
			},
		});
		expect(trustKids("offline.json")).toEqual([oldKid]);

		// A refresh that fails leaves the file as it was.
		const failed = await ans(["resolve", name, "--trust", "unreachable.json"]);
		expect(failed.code).toBe(1);
		expect(failed.json).toMatchObject({
			error: { code: "RECORD_KEY_UNKNOWN" },
		});
		expect(failed.stderr).toContain("could not refresh the JWKS");
		expect(readFileSync(join(work, "unreachable.json"), "utf8")).toBe(
			unreachableText,
		);
	});
});

import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { createCsr, generateAgentKeyPair } from "@ans/shared/keys";
import { decodeRecord } from "@ans/shared/records";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "./config/config.ts";
import { runMaintenance } from "./maintenance/job.ts";
import { type RunningControlPlane, startControlPlane } from "./server.ts";

const dirs: string[] = [];
const running: RunningControlPlane[] = [];

afterEach(async () => {
	for (const controlPlane of running.splice(0)) {
		await controlPlane.close();
	}
	for (const dir of dirs.splice(0)) {
		rmSync(dir, { recursive: true, force: true });
	}
});

function tempDir(): string {
	const dir = mkdtempSync(join(tmpdir(), "ans-server-"));
	dirs.push(dir);
	return dir;
}

/** Starts a control plane whose JSON log lines are collected in `lines`. */
async function start(
	env: Record<string, string>,
	lines: string[] = [],
): Promise<RunningControlPlane> {
	const sink = new Writable({
		write(chunk, _encoding, done) {
			lines.push(String(chunk));
			done();
		},
	});
	const logger = pino({ level: "debug" }, sink);
	const controlPlane = await startControlPlane(
		loadConfig({ HOST: "127.0.0.1", PORT: "0", ...env }),
		{ logger },
	);
	running.push(controlPlane);
	return controlPlane;
}

async function register(
	controlPlane: RunningControlPlane,
	token: string,
	name: string,
) {
	const keys = await generateAgentKeyPair();
	return fetch(`${controlPlane.url}/v1/agents`, {
		method: "POST",
		headers: {
			authorization: `Bearer ${token}`,
			"content-type": "application/json",
		},
		body: JSON.stringify({
			name,
			endpoints: [{ protocol: "a2a", url: "https://agents.example.com/" }],
			csr: await createCsr({
				keys,
				canonicalName: name.toLowerCase(),
				agentId: "agent",
			}),
		}),
	});
}

describe("control plane start-up", () => {
	it("creates an admin token file with mode 0600 and logs its path", async () => {
		const dataDir = tempDir();
		const lines: string[] = [];
		const controlPlane = await start({ ANS_DATA_DIR: dataDir }, lines);
		const tokenPath = join(dataDir, "admin-token");
		expect(statSync(tokenPath).mode & 0o777).toBe(0o600);
		expect(statSync(join(dataDir, "ans.db")).mode & 0o777).toBe(0o600);
		const token = readFileSync(tokenPath, "utf8").trim();
		expect(lines.some((line) => line.includes(tokenPath))).toBe(true);
		expect(lines.some((line) => line.includes(token))).toBe(false);
		expect(
			(await register(controlPlane, token, "a2a://token.file.Example.v1"))
				.status,
		).toBe(201);
	});

	it("keeps its CA, keys and agents across a restart", async () => {
		const dataDir = tempDir();
		const env = {
			ANS_DATA_DIR: dataDir,
			ANS_ADMIN_TOKEN: "restart-admin-token-123456",
			ANS_KEY_PASSPHRASE: "correct horse battery",
		};
		const first = await start(env);
		const root = (
			(await (await fetch(`${first.url}/v1/ca/certificates`)).json()) as {
				root: string;
			}
		).root;
		const jwks = await (
			await fetch(`${first.url}/.well-known/jwks.json`)
		).json();
		expect(
			(
				await register(
					first,
					env.ANS_ADMIN_TOKEN,
					"a2a://restart.check.Example.v1",
				)
			).status,
		).toBe(201);
		await first.close();
		running.splice(running.indexOf(first), 1);

		const keyFile = readFileSync(join(dataDir, "ca", "root.key"), "utf8");
		expect(keyFile).toContain("ENCRYPTED PRIVATE KEY");

		const second = await start(env);
		expect(
			(
				(await (await fetch(`${second.url}/v1/ca/certificates`)).json()) as {
					root: string;
				}
			).root,
		).toBe(root);
		expect(
			await (await fetch(`${second.url}/.well-known/jwks.json`)).json(),
		).toEqual(jwks);
		const resolved = await fetch(
			`${second.url}/v1/resolve?name=${encodeURIComponent("a2a://restart.check.Example")}`,
		);
		expect(resolved.status).toBe(200);
	});

	it("never logs the token, the CSR or key material", async () => {
		const lines: string[] = [];
		const token = "secret-admin-token-never-logged";
		const controlPlane = await start(
			{ ANS_DATA_DIR: tempDir(), ANS_ADMIN_TOKEN: token },
			lines,
		);

		// One rejected registration (loopback endpoint) and one accepted.
		const keys = await generateAgentKeyPair();
		const csr = await createCsr({
			keys,
			canonicalName: "a2a://log.check.example.v1.0.0",
			agentId: "log",
		});
		await fetch(`${controlPlane.url}/v1/agents`, {
			method: "POST",
			headers: {
				authorization: `Bearer ${token}`,
				"content-type": "application/json",
			},
			body: JSON.stringify({
				name: "a2a://log.check.Example.v1",
				endpoints: [{ protocol: "a2a", url: "https://127.0.0.1/" }],
				csr,
			}),
		});
		await register(controlPlane, token, "a2a://log.check.Example.v2");

		const log = lines.join("");
		expect(log).toContain("request completed");
		expect(log).not.toContain(token);
		expect(log).not.toContain("CERTIFICATE REQUEST");
		expect(log).not.toContain("PRIVATE KEY");
	});

	it("answers every health endpoint with a JSON status", async () => {
		const controlPlane = await start({ ANS_DATA_DIR: tempDir() });
		for (const path of [
			"liveness",
			"readiness",
			"startup",
			"database",
			"certificate",
		]) {
			const response = await fetch(`${controlPlane.url}/health/${path}`);
			expect(response.status, path).toBe(200);
			expect(((await response.json()) as { status: string }).status, path).toBe(
				"ok",
			);
		}
	});

	it("reports the database unhealthy once it is closed", async () => {
		const controlPlane = await start({ ANS_DATA_DIR: tempDir() });
		await controlPlane.services.store.close();
		const response = await fetch(`${controlPlane.url}/health/database`);
		expect(response.status).toBe(503);
		expect(((await response.json()) as { status: string }).status).toBe("fail");
	});

	it("re-signs records in the last third of their validity", async () => {
		const token = "resign-admin-token-0123456";
		const controlPlane = await start({
			ANS_DATA_DIR: tempDir(),
			ANS_ADMIN_TOKEN: token,
			ANS_RECORD_VALIDITY_SECONDS: "3600",
		});
		const registered = (await (
			await register(controlPlane, token, "a2a://resign.check.Example.v1")
		).json()) as { record: string };
		const before = decodeRecord(registered.record).payload;

		await runMaintenance(
			controlPlane.services.maintenance,
			Date.now() + 30 * 60_000,
		);
		const notYet = await controlPlane.services.store.findAgentsByBaseKey(
			"a2a://resign.check.example",
		);
		expect(notYet[0]?.recordJws).toBe(registered.record);

		await runMaintenance(
			controlPlane.services.maintenance,
			Date.now() + 41 * 60_000,
		);
		const after = await controlPlane.services.store.findAgentsByBaseKey(
			"a2a://resign.check.example",
		);
		const payload = decodeRecord(after[0]?.recordJws ?? "").payload;
		expect(payload.seq).toBeGreaterThan(before.seq);
		expect(payload.exp).toBeGreaterThan(before.exp);
		const changes = await controlPlane.services.store.listChanges(
			before.seq,
			10,
		);
		expect(changes.map((change) => change.type)).toContain("agent.resigned");
	});
});

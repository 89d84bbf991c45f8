import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postRegistration } from "../../discovery/testing/register-agent.ts";
import { startTestControlPlane } from "../../testing/test-control-plane.ts";
import {
	createTestSchema,
	type TestSchema,
	testPostgresUrl,
} from "../postgresql/test-schema.ts";
import { copyDatabase, maskCredentials } from "./copy-database.ts";

const serverUrl = testPostgresUrl();
const mainScript = fileURLToPath(new URL("./main.ts", import.meta.url));
const tsx = fileURLToPath(
	new URL("../../../../node_modules/.bin/tsx", import.meta.url),
);

const NAMES = [
	"a2a://copyOne.Translation.AcmeCorp.v1.0.0",
	"a2a://copyTwo.Translation.AcmeCorp.v2.0.0",
	"mcp://copyThree.Weather.Example.v1.0.0",
];

interface Resolution {
	status: number;
	body: { record: string; certificate: string; chain: string[] };
}

async function resolveAll(url: string): Promise<Resolution[]> {
	const answers: Resolution[] = [];
	for (const name of NAMES) {
		const response = await fetch(
			`${url}/v1/resolve?name=${encodeURIComponent(name)}`,
		);
		answers.push({
			status: response.status,
			body: (await response.json()) as Resolution["body"],
		});
	}
	return answers;
}

async function changeFeed(url: string): Promise<unknown> {
	return (await fetch(`${url}/v1/changes?after=0`)).json();
}

/** Runs the db:copy script; returns its exit code and output. */
async function runCli(
	args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
	try {
		const { stdout, stderr } = await promisify(execFile)(tsx, [
			mainScript,
			...args,
		]);
		return { code: 0, stdout, stderr };
	} catch (error) {
		const failed = error as { code: number; stdout: string; stderr: string };
		return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
	}
}

async function execute(url: string, statement: string): Promise<void> {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		await client.query(statement);
	} finally {
		await client.end();
	}
}

describe.skipIf(serverUrl === undefined)("db:copy", () => {
	let dataDir: string;
	let sourceUrl: string;
	let schema: TestSchema;
	let before: Resolution[];
	let feedBefore: unknown;

	beforeAll(async () => {
		dataDir = mkdtempSync(join(tmpdir(), "ans-copy-"));
		sourceUrl = `file:${join(dataDir, "ans.db")}`;
		const cp = await startTestControlPlane({}, { dataDir });
		try {
			const ids: string[] = [];
			for (const name of NAMES) {
				const reply = await postRegistration(cp.url, cp.adminToken, name, {
					endpoints: [{ protocol: "a2a", url: "https://agents.example.com/a" }],
				});
				expect(reply.status).toBe(201);
				ids.push(reply.body.id as string);
			}
			const revoked = await fetch(`${cp.url}/v1/agents/${ids[1]}/revoke`, {
				method: "POST",
				headers: {
					authorization: `Bearer ${cp.adminToken}`,
					"content-type": "application/json",
				},
				body: JSON.stringify({ reason: "keyCompromise" }),
			});
			expect(revoked.status).toBe(200);
			before = await resolveAll(cp.url);
			feedBefore = await changeFeed(cp.url);
		} finally {
			await cp.stop();
		}
		schema = await createTestSchema(serverUrl ?? "");
	});

	afterAll(async () => {
		await schema?.drop();
		rmSync(dataDir, { recursive: true, force: true });
	});

	it("copies and verifies every table", async () => {
		const report = await copyDatabase({ from: sourceUrl, to: schema.url });
		expect(report.ok).toBe(true);
		expect(report.copied?.agents).toBe(3);
		expect(report.copied?.certificates).toBe(3);
		expect(report.copied?.changes).toBe(4);
		for (const check of report.tables) {
			expect(check.match, check.table).toBe(true);
			expect(check.target.rows, check.table).toBe(check.source.rows);
		}
		expect(report.sequence).toEqual({ counter: 4, head: 4, ok: true });
	});

	it("reports a changed row as a mismatch", async () => {
		const clean = await runCli([
			"--from",
			sourceUrl,
			"--to",
			schema.url,
			"--verify-only",
		]);
		expect(clean.code).toBe(0);
		expect(JSON.parse(clean.stdout).ok).toBe(true);

		await execute(
			schema.url,
			"UPDATE agents SET description = 'changed' WHERE id = (SELECT min(id) FROM agents)",
		);
		const result = await runCli([
			"--from",
			sourceUrl,
			"--to",
			schema.url,
			"--verify-only",
		]);
		expect(result.code).toBe(1);
		const report = JSON.parse(result.stdout) as {
			ok: boolean;
			copied: unknown;
			tables: { table: string; match: boolean }[];
		};
		expect(report.ok).toBe(false);
		expect(report.copied).toBeNull();
		const mismatched = report.tables
			.filter((check) => !check.match)
			.map((check) => check.table);
		expect(mismatched).toEqual(["agents"]);
	});

	it("rejects a non-empty target unless forced", async () => {
		const rejected = await runCli(["--from", sourceUrl, "--to", schema.url]);
		expect(rejected.code).toBe(2);
		expect(JSON.parse(rejected.stderr).error.code).toBe("TARGET_NOT_EMPTY");

		const forced = await runCli([
			"--from",
			sourceUrl,
			"--to",
			schema.url,
			"--force",
		]);
		expect(forced.code).toBe(0);
		expect(JSON.parse(forced.stdout).ok).toBe(true);
	});

	it("rejects a missing source file", async () => {
		const missing = `file:${join(dataDir, "missing.db")}`;
		await expect(
			copyDatabase({ from: missing, to: schema.url }),
		).rejects.toMatchObject({ code: "SOURCE_NOT_FOUND", field: "from" });
		await expect(
			copyDatabase({ from: schema.url, to: schema.url }),
		).rejects.toMatchObject({ code: "INVALID_SOURCE_URL", field: "from" });
		await expect(
			copyDatabase({ from: sourceUrl, to: sourceUrl }),
		).rejects.toMatchObject({ code: "INVALID_TARGET_URL", field: "to" });
	});

	it("pages through tables in key order", async () => {
		const report = await copyDatabase({
			from: sourceUrl,
			to: schema.url,
			force: true,
			pageSize: 1,
		});
		expect(report.ok).toBe(true);
		expect(report.copied?.agent_capabilities).toBeGreaterThan(1);
	});

	// Runs last: a control plane on the copy publishes CRLs, which
	// advances crl_numbers, so the copy no longer equals the source.
	it("serves the same signed records from the copy", async () => {
		const cp = await startTestControlPlane(
			{ ANS_DATABASE_URL: schema.url },
			{ dataDir },
		);
		try {
			expect(cp.controlPlane.services.store.dialect).toBe("postgresql");
			const after = await resolveAll(cp.url);
			expect(after.map((answer) => answer.status)).toEqual([200, 410, 200]);
			for (const [index, answer] of after.entries()) {
				expect(answer.body.record, NAMES[index]).toBe(
					before[index]?.body.record,
				);
				expect(answer.body.certificate, NAMES[index]).toBe(
					before[index]?.body.certificate,
				);
			}
			expect(await changeFeed(cp.url)).toEqual(feedBefore);
		} finally {
			await cp.stop();
		}
	});
});

describe("maskCredentials", () => {
	it("masks passwords and auth tokens", () => {
		expect(maskCredentials("postgres://ans:secret@db:5432/ans")).toBe(
			"postgres://ans:***@db:5432/ans",
		);
		expect(maskCredentials("libsql://db.example.com?authToken=abc")).toBe(
			"libsql://db.example.com?authToken=***",
		);
		expect(maskCredentials("file:data/ans.db")).toBe("file:data/ans.db");
	});
});

import { execFile } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import {
	startTestControlPlane,
	type TestControlPlane,
} from "@ans/control-plane/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const ansBin = new URL("../../bin/ans.js", import.meta.url).pathname;
const cards = new URL("../../../examples/data/a2a/", import.meta.url).pathname;

let cp: TestControlPlane;

beforeAll(async () => {
	cp = await startTestControlPlane({ ANS_ALLOW_LOOPBACK_ENDPOINTS: "1" });
});

afterAll(async () => {
	await cp.stop();
});

/** Runs the real `ans` binary and returns its exit code and output. */
async function ans(
	args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
	try {
		const { stdout, stderr } = await run(process.execPath, [ansBin, ...args], {
			env: { ...process.env, ANS_URL: cp.url, ANS_TOKEN: cp.adminToken },
		});
		return { code: 0, stdout, stderr };
	} catch (error) {
		const failed = error as { code: number; stdout: string; stderr: string };
		return failed;
	}
}

describe("ans import", () => {
	it("prints a table and verifies", async () => {
		const result = await ans([
			"import",
			"a2a",
			`${cards}hello-world-agent.json`,
			`${cards}airbnb-agent.json`,
			"--provider",
			"a2a-samples",
			"--verify-through",
			cp.url,
			"--format",
			"table",
		]);

		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(/^imported\s+1$/m);
		expect(result.stdout).toMatch(/^ {2}endpoint-unreachable\s+1$/m);
		expect(result.stdout).toContain(`${cp.url}  1 `);
		expect(result.stdout).toContain("airbnb-agent.json");
		// stderr is a pipe here, so no progress line is drawn.
		expect(result.stderr).toBe("");
	});

	it("prints JSON by default", async () => {
		const result = await ans([
			"import",
			"a2a",
			`${cards}hello-world-agent.json`,
			"--provider",
			"a2a-samples",
		]);

		expect(result.code).toBe(0);
		expect(JSON.parse(result.stdout)).toMatchObject({
			protocol: "a2a",
			alreadyRegistered: 1,
			results: [{ status: "already-registered" }],
		});
	});

	it.each([
		[["--concurrency", "0"], "concurrency"],
		[["--format", "yaml"], "format"],
		[["--key-type", "DSA"], "keyType"],
	])("rejects %j with exit 2", async (extra, field) => {
		const result = await ans(["import", "a2a", cards, ...extra]);

		expect(result.code).toBe(2);
		expect(JSON.parse(result.stdout)).toMatchObject({
			error: { code: "OPTION_INVALID", field },
		});
	});

	it("rejects an unsupported protocol with exit 2", async () => {
		const result = await ans(["import", "acp", cards]);

		expect(result.code).toBe(2);
		expect(JSON.parse(result.stdout)).toMatchObject({
			error: { code: "PROTOCOL_UNSUPPORTED", field: "protocol" },
		});
	});

	it("exits 1 when verification fails", async () => {
		// A resolver that has never heard of any agent.
		const empty = createServer((_request, response) => {
			response.writeHead(404, { "content-type": "application/json" });
			response.end(
				JSON.stringify({ error: { code: "NAME_NOT_FOUND", message: "no" } }),
			);
		});
		await new Promise<void>((resolve) => empty.listen(0, "127.0.0.1", resolve));
		const { port } = empty.address() as AddressInfo;
		try {
			const result = await ans([
				"import",
				"a2a",
				`${cards}hello-world-agent.json`,
				"--provider",
				"a2a-samples",
				"--verify-through",
				`http://127.0.0.1:${port}`,
			]);

			expect(result.code).toBe(1);
			expect(JSON.parse(result.stdout).verification[0]).toMatchObject({
				failed: 1,
				failures: [{ code: "NAME_NOT_FOUND" }],
			});
		} finally {
			await new Promise((resolve) => empty.close(resolve));
		}
	});
});

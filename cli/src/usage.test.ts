import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const ansBin = new URL("../bin/ans.js", import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "ans-usage-"));

afterAll(() => {
	rmSync(work, { recursive: true, force: true });
});

/** Runs `ans` offline and returns its exit code and parsed stdout. */
async function ans(args: string[]): Promise<{ code: number; json: unknown }> {
	try {
		const { stdout } = await run(process.execPath, [ansBin, ...args], {
			cwd: work,
		});
		return { code: 0, json: JSON.parse(stdout) };
	} catch (error) {
		const failed = error as { code: number; stdout: string };
		return { code: failed.code, json: JSON.parse(failed.stdout) };
	}
}

describe("ans usage errors", () => {
	it.each([
		["a missing required option", ["verify", "answer.json"]],
		["an unknown option", ["resolve", "a2a://a.b.c", "--bogus"]],
		["an unknown command", ["nosuch"]],
	])("reports %s as JSON with exit 2", async (_case, args) => {
		const result = await ans(args);
		expect(result.code).toBe(2);
		expect(result.json).toMatchObject({ error: { code: "USAGE_INVALID" } });
	});
});

describe("ans keygen", () => {
	it("keeps an existing key unless --force", async () => {
		const name = "a2a://keep.key.Example.v1";
		expect((await ans(["keygen", name, "--out-dir", "k"])).code).toBe(0);
		const keyPath = join(work, "k", "keep-1.0.0.key.pem");
		const original = readFileSync(keyPath, "utf8");

		const again = await ans(["keygen", name, "--out-dir", "k"]);
		expect(again.code).toBe(2);
		expect(again.json).toMatchObject({ error: { code: "KEY_FILE_EXISTS" } });
		expect(readFileSync(keyPath, "utf8")).toBe(original);

		expect(
			(await ans(["keygen", name, "--out-dir", "k", "--force"])).code,
		).toBe(0);
		expect(readFileSync(keyPath, "utf8")).not.toBe(original);
	});
});

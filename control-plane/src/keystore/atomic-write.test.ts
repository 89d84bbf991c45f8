import {
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	statSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeFileAtomic } from "./atomic-write.ts";

const workDir = mkdtempSync(join(tmpdir(), "ans-atomic-write-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe("writeFileAtomic", () => {
	it("creates file with mode and 0700 parents", async () => {
		const path = join(workDir, "nested", "deeper", "file.txt");
		await writeFileAtomic(path, "content", { mode: 0o600 });
		expect(readFileSync(path, "utf8")).toBe("content");
		expect(statSync(path).mode & 0o777).toBe(0o600);
		expect(statSync(join(workDir, "nested")).mode & 0o777).toBe(0o700);
		expect(statSync(join(workDir, "nested", "deeper")).mode & 0o777).toBe(
			0o700,
		);
	});

	it("keeps existing file without overwrite", async () => {
		const path = join(workDir, "keep.txt");
		await writeFileAtomic(path, "first", { mode: 0o600 });
		await expect(
			writeFileAtomic(path, "second", { mode: 0o600 }),
		).rejects.toMatchObject({ code: "EEXIST" });
		expect(readFileSync(path, "utf8")).toBe("first");
	});

	it("replaces existing file with overwrite", async () => {
		const path = join(workDir, "replace.txt");
		await writeFileAtomic(path, "first", { mode: 0o600 });
		await writeFileAtomic(path, "second", { mode: 0o600, overwrite: true });
		expect(readFileSync(path, "utf8")).toBe("second");
	});

	it("leaves no temporary files", async () => {
		const dir = join(workDir, "clean");
		await writeFileAtomic(join(dir, "a.txt"), "a", { mode: 0o600 });
		await writeFileAtomic(join(dir, "a.txt"), "b", { mode: 0o600 }).catch(
			() => undefined,
		);
		await writeFileAtomic(join(dir, "a.txt"), "c", {
			mode: 0o600,
			overwrite: true,
		});
		expect(readdirSync(dir)).toEqual(["a.txt"]);
	});
});

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isPostgresUrl, openStore } from "./open.ts";

describe("openStore", () => {
	it("opens PostgreSQL for postgres URLs", async () => {
		for (const url of [
			"postgres://ans@127.0.0.1:5432/ans",
			"postgresql://ans@127.0.0.1/ans?sslmode=require",
			"POSTGRES://ans@127.0.0.1/ans",
		]) {
			expect(isPostgresUrl(url), url).toBe(true);
			// The pool connects on first use, so nothing is sent here.
			const store = openStore(url, { poolMax: 1 });
			expect(store.dialect).toBe("postgresql");
			await store.close();
		}
	});

	it("opens libSQL for every other URL", async () => {
		for (const url of ["libsql://db.example.com", "http://127.0.0.1:8080"]) {
			expect(isPostgresUrl(url), url).toBe(false);
		}
		const dir = mkdtempSync(join(tmpdir(), "ans-open-"));
		try {
			const store = openStore(`file:${join(dir, "ans.db")}`);
			expect(store.dialect).toBe("sqlite");
			await store.close();
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});

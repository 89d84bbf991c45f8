import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeStoreContract } from "../store-contract.ts";
import { openSqliteStore } from "./store.ts";

describeStoreContract("libSQL store", async () => {
	const dir = mkdtempSync(join(tmpdir(), "ans-store-"));
	const store = openSqliteStore(`file:${join(dir, "ans.db")}`);
	return {
		store,
		cleanup: async () => {
			await store.close();
			rmSync(dir, { recursive: true, force: true });
		},
	};
});

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeSearchContract } from "../search-contract.ts";
import { describeStoreContract } from "../store-contract.ts";
import { openSqliteStore } from "./store.ts";

async function openTemporaryStore() {
	const dir = mkdtempSync(join(tmpdir(), "ans-store-"));
	const store = openSqliteStore(`file:${join(dir, "ans.db")}`);
	return {
		store,
		cleanup: async () => {
			await store.close();
			rmSync(dir, { recursive: true, force: true });
		},
	};
}

describeStoreContract("libSQL store", openTemporaryStore);
describeSearchContract("libSQL agent search", openTemporaryStore);

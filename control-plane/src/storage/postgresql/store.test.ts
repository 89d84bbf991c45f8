import { describe, it } from "vitest";
import { describeSearchContract } from "../search-contract.ts";
import { describeStoreContract } from "../store-contract.ts";
import { openPostgresStore } from "./store.ts";
import { createTestSchema, testPostgresUrl } from "./test-schema.ts";

const serverUrl = testPostgresUrl();

async function openTemporaryStore() {
	if (serverUrl === undefined) {
		throw new Error("PostgreSQL tests are turned off");
	}
	const schema = await createTestSchema(serverUrl);
	const store = openPostgresStore(schema.url, { poolMax: 5 });
	return {
		store,
		cleanup: async () => {
			await store.close();
			await schema.drop();
		},
	};
}

if (serverUrl === undefined) {
	describe("PostgreSQL store", () => {
		it.skip("runs only without ANS_TEST_POSTGRES_URL=skip", () => {});
	});
} else {
	describeStoreContract("PostgreSQL store", openTemporaryStore);
	describeSearchContract("PostgreSQL agent search", openTemporaryStore);
}

import { defineConfig } from "drizzle-kit";

export default defineConfig({
	dialect: "sqlite",
	schema: "./control-plane/src/storage/sqlite/schema.ts",
	out: "./drizzle/sqlite",
});

import { defineConfig } from "drizzle-kit";

export default defineConfig({
	dialect: "postgresql",
	schema: "./control-plane/src/storage/postgresql/schema.ts",
	out: "./drizzle/postgresql",
});

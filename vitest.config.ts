import { defineConfig } from "vitest/config";

export default defineConfig({
	test: {
		include: [
			"{shared,control-plane,cli,edge-resolver,deploy,test}/**/*.test.ts",
		],
		testTimeout: 30_000,
		hookTimeout: 60_000,
	},
});

/**
 * Bundles the baseline worker with the esbuild settings of the edge
 * bundle, so both workers are built the same way.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/** Path of the baseline worker's entry module. */
export const HELLO_WORLD_ENTRY = fileURLToPath(
	new URL("./worker.ts", import.meta.url),
);

/** Path of the baseline worker's workerd config template. */
export const HELLO_WORLD_CONFIG = fileURLToPath(
	new URL("./hello-world.capnp", import.meta.url),
);

/** Listening address in {@link HELLO_WORLD_CONFIG} that the benchmark replaces. */
export const HELLO_WORLD_TEMPLATE_ADDRESS = '"127.0.0.1:8080"';

/** Bundles the baseline worker and returns the module source. */
export async function bundleHelloWorld(): Promise<string> {
	const result = await build({
		entryPoints: [HELLO_WORLD_ENTRY],
		bundle: true,
		format: "esm",
		platform: "browser",
		conditions: ["workerd", "worker", "browser"],
		target: "es2022",
		write: false,
		logLevel: "silent",
	});
	const [output] = result.outputFiles;
	if (output === undefined) {
		throw new Error("esbuild produced no output for the baseline worker");
	}
	return output.text;
}

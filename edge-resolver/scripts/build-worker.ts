/**
 * Bundles the edge worker into one ES module with esbuild. Tests, the local
 * stack and the workerd config all load this bundle, so they run the same
 * code that a deployment runs.
 *
 * Run `npm run build:edge` to write `edge-resolver/dist/worker.js`.
 *
 * @module
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/** Path of the worker's entry module. */
export const EDGE_ENTRY = fileURLToPath(
	new URL("../src/index.ts", import.meta.url),
);

/** Default output path of {@link writeEdgeWorker}. */
export const EDGE_BUNDLE_PATH = fileURLToPath(
	new URL("../dist/worker.js", import.meta.url),
);

/** Module names the bundle must not contain; edges need no X.509 parser. */
const FORBIDDEN_MODULES = ["@peculiar/x509", "node_modules/pkijs"];

/**
 * Bundles the worker and returns the module source. Throws when the bundle
 * would contain a forbidden module, such as @peculiar/x509 pulled in by an
 * import of `@ans/shared` instead of one of its subpaths.
 */
export async function bundleEdgeWorker(): Promise<string> {
	const result = await build({
		entryPoints: [EDGE_ENTRY],
		bundle: true,
		format: "esm",
		platform: "browser",
		conditions: ["workerd", "worker", "browser"],
		target: "es2022",
		external: ["cloudflare:*"],
		metafile: true,
		write: false,
		logLevel: "silent",
	});
	const forbidden = Object.keys(result.metafile.inputs).filter((input) =>
		FORBIDDEN_MODULES.some((module) => input.includes(module)),
	);
	if (forbidden.length > 0) {
		throw new Error(
			`the edge bundle includes ${forbidden[0]}; import shared code by subpath (such as @ans/shared/resolution), never from @ans/shared`,
		);
	}
	const [output] = result.outputFiles;
	if (output === undefined) {
		throw new Error("esbuild produced no output for the edge worker");
	}
	return output.text;
}

/** Bundles the worker and writes it to `path`; returns the path. */
export async function writeEdgeWorker(
	path = EDGE_BUNDLE_PATH,
): Promise<string> {
	const source = await bundleEdgeWorker();
	await mkdir(dirname(path), { recursive: true });
	await writeFile(path, source);
	return path;
}

if (
	process.argv[1] !== undefined &&
	resolve(process.argv[1]) === fileURLToPath(import.meta.url)
) {
	const path = await writeEdgeWorker(process.argv[2] ?? EDGE_BUNDLE_PATH);
	console.log(`wrote ${path}`);
}

/**
 * Starts a real control plane for tests: a temporary data directory with
 * its own libSQL file and CA, port 0 on 127.0.0.1, logging silenced.
 * For tests only.
 *
 * @module
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../config/config.ts";
import { type RunningControlPlane, startControlPlane } from "../server.ts";

/** A control plane started by {@link startTestControlPlane}. */
export interface TestControlPlane {
	controlPlane: RunningControlPlane;
	url: string;
	adminToken: string;
	dataDir: string;
	/** Closes the control plane and deletes its data directory. */
	stop(): Promise<void>;
}

/**
 * Starts a control plane. `env` overrides environment settings such as
 * `ANS_ALLOW_LOOPBACK_ENDPOINTS`; `dataDir` reuses a directory (for
 * restart tests), which `stop` then leaves in place.
 */
export async function startTestControlPlane(
	env: Record<string, string> = {},
	options: { dataDir?: string } = {},
): Promise<TestControlPlane> {
	const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "ans-cp-"));
	const adminToken = env.ANS_ADMIN_TOKEN ?? "test-admin-token-0123456789";
	const config = loadConfig({
		HOST: "127.0.0.1",
		PORT: "0",
		ANS_DATA_DIR: dataDir,
		ANS_LOG_LEVEL: "silent",
		ANS_ADMIN_TOKEN: adminToken,
		...env,
	});
	const controlPlane = await startControlPlane(config);
	return {
		controlPlane,
		url: controlPlane.url,
		adminToken,
		dataDir,
		stop: async () => {
			await controlPlane.close();
			if (options.dataDir === undefined) {
				rmSync(dataDir, { recursive: true, force: true });
			}
		},
	};
}

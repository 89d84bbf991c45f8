/**
 * Helpers for the revocation tests: register and revoke agents on a test
 * control plane, write PEM files, and run the openssl binary. For tests only.
 *
 * @module
 */
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { registerTestAgent as registerAgent } from "../testing/test-agents.ts";
import type { TestControlPlane } from "../testing/test-control-plane.ts";

/** An agent registered by {@link registerTestAgent}. */
export interface TestAgent {
	id: string;
	name: string;
	certificatePem: string;
	/** Issuer chain PEMs, intermediate first and root last. */
	chain: string[];
}

/** Registers a new agent version with the admin token. */
export async function registerTestAgent(
	cp: TestControlPlane,
): Promise<TestAgent> {
	const agent = await registerAgent(cp, { capability: "revocationTesting" });
	return {
		id: agent.id,
		name: agent.name,
		certificatePem: agent.certificate,
		chain: agent.chain,
	};
}

/**
 * Revokes an agent through `POST /v1/agents/{id}/revoke`, then waits until
 * the control plane has handled the revocation (cache and CRL).
 */
export async function revokeTestAgent(
	cp: TestControlPlane,
	agent: TestAgent,
	reason: string,
): Promise<void> {
	const response = await fetch(`${cp.url}/v1/agents/${agent.id}/revoke`, {
		method: "POST",
		headers: {
			authorization: `Bearer ${cp.adminToken}`,
			"content-type": "application/json",
		},
		body: JSON.stringify({ reason }),
	});
	if (response.status !== 200) {
		throw new Error(
			`revocation of ${agent.id} failed with ${response.status}: ${await response.text()}`,
		);
	}
	await cp.controlPlane.services.revocation.settled();
}

/** Result of an openssl run. */
export interface OpensslResult {
	status: number | null;
	stdout: string;
	stderr: string;
}

/**
 * Runs openssl with a 30-second limit and returns its exit status and output.
 * It runs asynchronously, because openssl may call a server in this process.
 */
export function runOpenssl(args: string[]): Promise<OpensslResult> {
	return new Promise((resolve, reject) => {
		execFile(
			"openssl",
			args,
			{ encoding: "utf8", timeout: 30_000 },
			(error, stdout, stderr) => {
				const code = (error as { code?: unknown } | null)?.code;
				if (error !== null && typeof code !== "number") {
					reject(error);
					return;
				}
				resolve({
					status: typeof code === "number" ? code : 0,
					stdout,
					stderr,
				});
			},
		);
	});
}

/** Writes `contents` to `name` in `dir` and returns the path. */
export function writeTestFile(
	dir: string,
	name: string,
	contents: string | Uint8Array,
): string {
	const path = join(dir, name);
	writeFileSync(path, contents);
	return path;
}

/** Returns the serial number of a PEM certificate as openssl prints it: uppercase hex. */
export async function opensslSerial(
	dir: string,
	certificatePem: string,
): Promise<string> {
	const path = writeTestFile(dir, "serial-input.pem", certificatePem);
	const result = await runOpenssl(["x509", "-noout", "-serial", "-in", path]);
	return result.stdout.trim().replace(/^serial=/, "");
}

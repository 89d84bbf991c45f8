import {
	existsSync,
	mkdirSync,
	readFileSync,
	renameSync,
	writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { generateTokenSecret } from "./tokens.ts";

/**
 * Returns the admin token: `configured` when set, else the one stored in
 * `<dataDir>/admin-token`, created with mode 0600 on first start.
 */
export function loadOrCreateAdminToken(
	dataDir: string,
	configured: string | undefined,
): { token: string; path: string | undefined; created: boolean } {
	if (configured !== undefined) {
		return { token: configured, path: undefined, created: false };
	}
	const path = join(dataDir, "admin-token");
	if (existsSync(path)) {
		return { token: readFileSync(path, "utf8").trim(), path, created: false };
	}
	mkdirSync(dataDir, { recursive: true, mode: 0o700 });
	const token = generateTokenSecret();
	const temporary = `${path}.${process.pid}.tmp`;
	writeFileSync(temporary, `${token}\n`, { mode: 0o600, flag: "wx" });
	renameSync(temporary, path);
	return { token, path, created: true };
}

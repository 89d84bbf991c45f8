import { randomUUID } from "node:crypto";
import { link, mkdir, open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** Options of {@link writeFileAtomic}. */
export interface AtomicWriteOptions {
	/** Permission bits of the new file. The process umask can only clear bits. */
	mode: number;
	/** Whether to replace an existing file. When false, an existing file raises `EEXIST` and stays as it was. */
	overwrite?: boolean;
}

/**
 * Writes `data` to `path` so that a crash leaves either the old file, no file,
 * or the complete new file, never a partial one. The data goes to a temporary
 * file in the same directory, is flushed to disk, and is then renamed (or,
 * without `overwrite`, hard-linked, which fails if `path` exists) into place.
 * Missing parent directories are created with mode 0700.
 *
 * Raises the Node file system error (with `code` such as `EEXIST` or `EACCES`)
 * when a step fails, after removing the temporary file.
 */
export async function writeFileAtomic(
	path: string,
	data: string | Uint8Array,
	options: AtomicWriteOptions,
): Promise<void> {
	const directory = dirname(path);
	await mkdir(directory, { recursive: true, mode: 0o700 });
	const tempPath = join(directory, `.${basename(path)}.${randomUUID()}.tmp`);

	try {
		const handle = await open(tempPath, "wx", options.mode);
		try {
			await handle.writeFile(data);
			await handle.sync();
		} finally {
			await handle.close();
		}
		if (options.overwrite === true) {
			await rename(tempPath, path);
		} else {
			await link(tempPath, path);
		}
	} finally {
		// After a rename the temporary name is gone already, so force ignores it.
		await rm(tempPath, { force: true });
	}
	await syncDirectory(directory);
}

/** Flushes a directory entry change (a new or renamed file) to disk. */
async function syncDirectory(directory: string): Promise<void> {
	const handle = await open(directory, "r");
	try {
		await handle.sync();
	} finally {
		await handle.close();
	}
}

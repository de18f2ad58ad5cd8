/** Small file helpers for the certs I/O layer. @internal */
import { readFile } from "node:fs/promises";
import { writeFileAtomic } from "../internal/atomic-write.js";

/** File contents, or undefined when the file does not exist. */
export async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

/** Private keys: 0600 in 0700 directories. */
export const writeKey = (path: string, data: string, signal?: AbortSignal): Promise<void> =>
  writeFileAtomic(path, data, { mode: 0o600, dirMode: 0o700, ...(signal ? { signal } : {}) });

/** Certificates: 0644 (public), directories still 0700 since keys sit beside them. */
export const writeCert = (path: string, data: string, signal?: AbortSignal): Promise<void> =>
  writeFileAtomic(path, data, { mode: 0o644, dirMode: 0o700, ...(signal ? { signal } : {}) });

/** Small file helpers for the certs I/O layer. @internal */
import { readFile, rm } from "node:fs/promises";
import { KitError } from "../errors/index.js";
import { type AtomicWriteOptions, writeFileAtomic } from "../internal/atomic-write.js";

/** A run that writes many files at once (see `AtomicWriteOptions.batch`). */
export type WriteBatch = NonNullable<AtomicWriteOptions["batch"]>;

/** File contents, or undefined when the file does not exist. Other failures are `READ_FAILED`. */
export async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new KitError("READ_FAILED", `cannot read ${path}: ${(err as Error).message}`, { value: path, cause: err });
  }
}

/** Removes a file (missing is fine); failures are `WRITE_FAILED`. The caller checked containment. */
export async function removeFile(path: string): Promise<void> {
  try {
    await rm(path, { force: true });
  } catch (err) {
    throw new KitError("WRITE_FAILED", `cannot remove ${path}: ${(err as Error).message}`, { value: path, cause: err });
  }
}

/** An atomic writer for files of one mode, in 0700 directories, never through a link out of `root`. */
const writerFor =
  (mode: number) =>
  (path: string, data: string, root: string, signal?: AbortSignal, batch?: WriteBatch): Promise<void> =>
    writeFileAtomic(path, data, { mode, dirMode: 0o700, root, ...(signal ? { signal } : {}), ...(batch ? { batch } : {}) });

/** Private keys: 0600 (the temp file too). */
export const writeKey = writerFor(0o600);

/** Certificates: 0644 (public); their directories are still 0700 since keys sit beside them. */
export const writeCert = writerFor(0o644);

/** Kubeconfigs and other 0600 files that are not keys. */
export const writeSecretFile = writeKey;

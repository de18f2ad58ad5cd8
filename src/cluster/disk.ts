/**
 * The bootstrap files in a K3s data dir: read them as K3s's `bootstrap.ReadFromDisk` does, write them as
 * `WriteToDiskFromStorage` does (0600 files, 0700 dirs, mtime set to the stored timestamp), and reconcile them
 * with datastore data by K3s's `ReconcileBootstrapData` rules. Thin I/O over the pure {@link planReconcile}.
 */
import { readdir, readFile, stat, utimes } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../internal/atomic-write.js";
import type { BootstrapData } from "./codec.js";
import { ClusterError } from "./errors.js";
import { BOOTSTRAP_FIELD_PATHS, type BootstrapField, CERT_DIRS, bootstrapFields } from "./fields.js";
import { formatRfc3339, parseRfc3339, unixSeconds } from "./time.js";

/** Options shared by the disk functions. */
export interface BootstrapDiskOptions {
  /** K3s data dir (the files live under `<dataDir>/server`). */
  dataDir: string;
  /** `--secrets-encryption`: carry `EncryptionConfig` / `EncryptionHash` too. Default false, as K3s. */
  secretsEncryption?: boolean;
}

/** K3s's allowed clock skew between a file's mtime and its datastore timestamp (seconds). */
export const SYSTEM_TIME_SKEW_SECONDS = 3;

const serverDir = (dataDir: string) => join(dataDir, "server");

/** Absolute path of each field K3s carries for these options. Pure. */
export function bootstrapPaths(options: BootstrapDiskOptions): Partial<Record<BootstrapField, string>> {
  const out: Partial<Record<BootstrapField, string>> = {};
  for (const f of bootstrapFields(options))
    out[f] = join(serverDir(options.dataDir), BOOTSTRAP_FIELD_PATHS[f]);
  return out;
}

/**
 * Reads the bootstrap files of a data dir; a file that does not exist is left out (K3s warns and goes on).
 * Timestamps are the files' mtimes, nanosecond-exact, in UTC.
 * @example
 * ```ts
 * const data = await readBootstrapFromDisk({ dataDir: "/var/lib/rancher/k3s" });
 * ```
 * @throws ClusterError `CLUSTER_BOOTSTRAP_READ`
 */
export async function readBootstrapFromDisk(options: BootstrapDiskOptions): Promise<BootstrapData> {
  const out: BootstrapData = {};
  for (const [field, path] of Object.entries(bootstrapPaths(options))) {
    let mtimeNs: bigint;
    try {
      mtimeNs = (await stat(path, { bigint: true })).mtimeNs;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") continue;
      throw readError(path, e);
    }
    try {
      out[field] = { timestamp: formatRfc3339(mtimeNs), content: await readFile(path) };
    } catch (e) {
      throw readError(path, e);
    }
  }
  return out;
}

function readError(path: string, cause: unknown): ClusterError {
  return new ClusterError("CLUSTER_BOOTSTRAP_READ", `cannot read ${path}: ${(cause as Error).message}`, {
    value: path,
    cause,
  });
}

/**
 * Writes every known field of `data` to its file (atomic, 0600, dirs 0700) and sets the file's mtime to the
 * field's timestamp, as K3s does. Unknown fields, and the encryption files without `secretsEncryption`, are
 * skipped. Returns the paths written.
 * @example
 * ```ts
 * await writeBootstrapToDisk({ dataDir }, data);
 * ```
 * @throws KitError `WRITE_FAILED`
 */
export async function writeBootstrapToDisk(
  options: BootstrapDiskOptions,
  data: BootstrapData,
): Promise<string[]> {
  const paths = bootstrapPaths(options) as Record<string, string | undefined>;
  const written: string[] = [];
  for (const [field, file] of Object.entries(data)) {
    const path = paths[field];
    if (path === undefined) continue;
    await writeFileAtomic(path, file.content, { mode: 0o600, dirMode: 0o700 });
    // Seconds as a double: microsecond-exact for present-day times (K3s compares whole seconds).
    const t = Number(parseRfc3339(file.timestamp) / 1000n) / 1e6;
    await utimes(path, t, t);
    written.push(path);
  }
  return written;
}

/** What one file on disk looks like to the reconciler: absent, or its bytes and mtime. */
export type DiskFile = { content: Uint8Array; mtimeNs: bigint } | undefined;

/** The decision of {@link planReconcile}. */
export interface ReconcilePlan {
  /** Write every file from the datastore (K3s rewrites all of them when any needs it). */
  writeDisk: boolean;
  /** Why: `cert-dirs-missing` (a cert dir is missing or empty), `files-differ`, or `in-sync`. */
  reason: "cert-dirs-missing" | "files-differ" | "in-sync";
  /** Fields missing on disk or older than the datastore's copy. */
  updated: string[];
  /** Paths whose content differs and whose mtime is ≥ 3 s newer than the datastore's timestamp (K3s stops). */
  newerOnDisk: string[];
}

/**
 * K3s's `ReconcileBootstrapData` decision, pure. When a cert dir (`cred`, `tls`, `tls/etcd`) is missing or
 * empty, everything is written from the datastore. Otherwise each datastore field with a path is compared with
 * its file: missing → update; same bytes → nothing; different and the file's mtime (whole seconds) is at least
 * {@link SYSTEM_TIME_SKEW_SECONDS} after the stored timestamp → "newer on disk" (K3s exits: "newer than
 * datastore and could cause a cluster outage"); otherwise → update from the datastore.
 * @example
 * ```ts
 * planReconcile({ certDirsPresent: true, datastore, disk, paths }).writeDisk;
 * ```
 */
export function planReconcile(input: {
  certDirsPresent: boolean;
  datastore: BootstrapData;
  disk: Record<string, DiskFile>;
  paths: Record<string, string | undefined>;
}): ReconcilePlan {
  if (!input.certDirsPresent)
    return {
      writeDisk: true,
      reason: "cert-dirs-missing",
      updated: Object.keys(input.datastore),
      newerOnDisk: [],
    };
  const updated: string[] = [];
  const newerOnDisk: string[] = [];
  for (const [field, file] of Object.entries(input.datastore)) {
    const path = input.paths[field];
    if (path === undefined) continue;
    const disk = input.disk[field];
    if (disk === undefined) {
      updated.push(field);
      continue;
    }
    if (Buffer.from(disk.content).equals(file.content)) continue;
    if (unixSeconds(disk.mtimeNs) - unixSeconds(parseRfc3339(file.timestamp)) >= SYSTEM_TIME_SKEW_SECONDS)
      newerOnDisk.push(path);
    else updated.push(field);
  }
  const writeDisk = updated.length > 0 || newerOnDisk.length > 0;
  return { writeDisk, reason: writeDisk ? "files-differ" : "in-sync", updated, newerOnDisk };
}

async function dirNonEmpty(path: string): Promise<boolean> {
  try {
    return (await readdir(path)).length > 0;
  } catch {
    return false;
  }
}

/**
 * Reconciles datastore bootstrap data with a data dir by K3s's rules ({@link planReconcile}) and writes the
 * files when they need it. Nothing is written when a file is newer on disk.
 * @example
 * ```ts
 * const { data } = await readBootstrapFromDatastore(client, token);
 * await reconcileBootstrapWithDisk({ dataDir }, data);
 * ```
 * @throws ClusterError `CLUSTER_BOOTSTRAP_NEWER_ON_DISK` (value: the paths), `CLUSTER_BOOTSTRAP_READ`;
 * KitError `WRITE_FAILED`
 */
export async function reconcileBootstrapWithDisk(
  options: BootstrapDiskOptions,
  datastore: BootstrapData,
): Promise<ReconcilePlan & { written: string[] }> {
  const paths = bootstrapPaths(options) as Record<string, string | undefined>;
  let certDirsPresent = true;
  for (const d of CERT_DIRS)
    if (!(await dirNonEmpty(join(serverDir(options.dataDir), d)))) certDirsPresent = false;
  const disk: Record<string, DiskFile> = {};
  if (certDirsPresent) {
    for (const field of Object.keys(datastore)) {
      const path = paths[field];
      if (path === undefined) continue;
      try {
        const st = await stat(path, { bigint: true });
        disk[field] = { content: await readFile(path), mtimeNs: st.mtimeNs };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw readError(path, e);
      }
    }
  }
  const plan = planReconcile({ certDirsPresent, datastore, disk, paths });
  if (plan.newerOnDisk.length > 0)
    throw new ClusterError(
      "CLUSTER_BOOTSTRAP_NEWER_ON_DISK",
      `${plan.newerOnDisk.join(", ")} newer than datastore and could cause a cluster outage. Remove the file(s) from disk and restart to be recreated from datastore.`,
      { value: plan.newerOnDisk },
    );
  const written = plan.writeDisk ? await writeBootstrapToDisk(options, datastore) : [];
  return { ...plan, written };
}

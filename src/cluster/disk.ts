/**
 * The bootstrap files in a K3s data dir: read them as K3s's `bootstrap.ReadFromDisk` does, write them as
 * `WriteToDiskFromStorage` does (0600 files, 0700 dirs, mtime set to the stored timestamp), and reconcile them
 * with datastore data by K3s's `ReconcileBootstrapData` rules. Thin I/O over the pure {@link planReconcile}.
 */
import { readdir, readFile, stat, utimes } from "node:fs/promises";
import { dirname, join } from "node:path";
import { removeStaleTemps, writeFileAtomic } from "../internal/atomic-write.js";
import { is } from "../internal/options.js";
import { assertInside } from "../internal/paths.js";
import { k3sLayout } from "../layout/index.js";
import type { BootstrapData } from "./data.js";
import { ClusterError } from "./errors.js";
import { BOOTSTRAP_FIELD_PATHS, type BootstrapField, CERT_DIRS, fieldsFor } from "./fields.js";
import { arg, bootstrapData, bytes, copyData, diskSpec, options } from "./options.js";
import { formatTimestamp, parseTimestamp, unixSeconds } from "./time.js";

/** Options shared by the disk functions. */
export interface BootstrapDiskOptions {
  /** K3s data dir (the files live under `<dataDir>/server`). */
  dataDir: string;
  /** `--secrets-encryption`: carry `EncryptionConfig` / `EncryptionHash` too. Default false, as K3s. */
  secretsEncryption?: boolean;
  /** Aborts between files (nothing half-written: each file is replaced atomically). */
  signal?: AbortSignal;
}

/** Checks the disk options of `what` (dataDir required and absolute). @internal */
export function diskOptions(value: unknown, what: string): BootstrapDiskOptions {
  return options<BootstrapDiskOptions>(value, { ...diskSpec, signal: is.signal }, what, ["dataDir"]);
}

/** K3s's allowed clock skew between a file's mtime and its datastore timestamp (seconds). */
export const SYSTEM_TIME_SKEW_SECONDS = 3;

/**
 * Absolute path of each field K3s carries for these options. Pure.
 * @example
 * ```ts
 * bootstrapPaths({ dataDir: "/var/lib/rancher/k3s" }).ServerCA; // "/var/lib/rancher/k3s/server/tls/server-ca.crt"
 * ```
 * @throws ClusterError `CLUSTER_OPTION_INVALID`
 */
export function bootstrapPaths(options: BootstrapDiskOptions): Partial<Record<BootstrapField, string>> {
  return pathsFor(diskOptions(options, "bootstrapPaths"));
}

/** {@link bootstrapPaths} on checked options; a null-prototype map, so only real field names find a path. */
function pathsFor(options: BootstrapDiskOptions): Partial<Record<BootstrapField, string>> {
  const out = Object.create(null) as Partial<Record<BootstrapField, string>>;
  const server = k3sLayout(options.dataDir).server.dir;
  for (const f of fieldsFor(options.secretsEncryption === true)) out[f] = join(server, BOOTSTRAP_FIELD_PATHS[f]);
  return out;
}

/** The path of `field`, only when it is one of `paths`' own keys (never `constructor` or `__proto__`). */
const pathOf = (paths: Record<string, string | undefined>, field: string): string | undefined =>
  Object.hasOwn(paths, field) ? paths[field] : undefined;

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
  return readFromDisk(diskOptions(options, "readBootstrapFromDisk"));
}

/** {@link readBootstrapFromDisk} on checked options. @internal */
export async function readFromDisk(options: BootstrapDiskOptions): Promise<BootstrapData> {
  const out = Object.create(null) as BootstrapData;
  for (const [field, path] of Object.entries(pathsFor(options))) {
    options.signal?.throwIfAborted();
    let mtimeNs: bigint;
    try {
      mtimeNs = (await stat(path, { bigint: true })).mtimeNs;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") continue;
      throw readError(path, e);
    }
    try {
      out[field] = { timestamp: formatTimestamp(mtimeNs), content: await readFile(path) };
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
 * @throws ClusterError `CLUSTER_OPTION_INVALID`, `CLUSTER_BOOTSTRAP_JSON` (a timestamp that is not RFC 3339;
 * checked before anything is written); KitError `WRITE_FAILED`, `PATH_UNSAFE` (a link out of the data dir)
 */
export async function writeBootstrapToDisk(
  options: BootstrapDiskOptions,
  data: BootstrapData,
): Promise<string[]> {
  const what = "writeBootstrapToDisk";
  const o = diskOptions(options, what);
  return writeToDisk(o, copyData(arg<BootstrapData>(data, bootstrapData, "data", what)));
}

/** {@link writeBootstrapToDisk} on checked values. @internal */
export async function writeToDisk(options: BootstrapDiskOptions, data: BootstrapData): Promise<string[]> {
  const paths = pathsFor(options) as Record<string, string | undefined>;
  const plan: { path: string; content: Uint8Array; seconds: number }[] = [];
  for (const [field, file] of Object.entries(data)) {
    const path = pathOf(paths, field);
    if (path === undefined) continue;
    // Seconds as a double: microsecond-exact for present-day times (K3s compares whole seconds).
    plan.push({ path, content: file.content, seconds: Number(parseTimestamp(file.timestamp) / 1000n) / 1e6 });
  }
  const root = options.dataDir;
  for (const dir of new Set(plan.map((f) => dirname(f.path)))) {
    await assertInside(root, dir);
    await removeStaleTemps(dir);
  }
  const written: string[] = [];
  for (const { path, content, seconds: t } of plan) {
    await writeFileAtomic(path, content, { mode: 0o600, dirMode: 0o700, root, ...(options.signal ? { signal: options.signal } : {}) });
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
 * @throws ClusterError `CLUSTER_OPTION_INVALID`, `CLUSTER_BOOTSTRAP_JSON` (a stored timestamp that is not RFC 3339)
 */
export function planReconcile(input: {
  certDirsPresent: boolean;
  datastore: BootstrapData;
  disk: Record<string, DiskFile>;
  paths: Record<string, string | undefined>;
}): ReconcilePlan {
  const o = options<PlanInput>(
    input,
    { certDirsPresent: is.boolean, datastore: bootstrapData, disk: diskFiles, paths: pathMap },
    "planReconcile",
    ["certDirsPresent", "datastore", "disk", "paths"],
  );
  return plan(o);
}

type PlanInput = Parameters<typeof planReconcile>[0];

const diskFiles = (v: unknown): string | undefined => {
  if (is.record(v) !== undefined) return "must be an object of field name → { content, mtimeNs } or undefined";
  for (const [name, f] of Object.entries(v as Record<string, unknown>)) {
    if (f === undefined) continue;
    if (is.record(f) !== undefined || bytes((f as DiskFile & object).content) !== undefined || typeof (f as { mtimeNs?: unknown }).mtimeNs !== "bigint")
      return `has a bad entry for ${JSON.stringify(name.slice(0, 60))} (must be { content: bytes, mtimeNs: bigint })`;
  }
  return undefined;
};

const pathMap = (v: unknown): string | undefined => {
  if (is.record(v) !== undefined) return "must be an object of field name → path";
  for (const p of Object.values(v as Record<string, unknown>))
    if (p !== undefined && (typeof p !== "string" || p.length > 4096)) return "must map field names to path strings";
  return undefined;
};

/** {@link planReconcile} on checked input. @internal */
export function plan(input: PlanInput): ReconcilePlan {
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
    const path = pathOf(input.paths, field);
    if (path === undefined) continue;
    const disk = Object.hasOwn(input.disk, field) ? input.disk[field] : undefined;
    if (disk === undefined) {
      updated.push(field);
      continue;
    }
    if (Buffer.from(disk.content).equals(file.content)) continue;
    if (unixSeconds(disk.mtimeNs) - unixSeconds(parseTimestamp(file.timestamp)) >= SYSTEM_TIME_SKEW_SECONDS)
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
 * @throws ClusterError `CLUSTER_OPTION_INVALID`, `CLUSTER_BOOTSTRAP_NEWER_ON_DISK` (value: the paths),
 * `CLUSTER_BOOTSTRAP_READ`, `CLUSTER_BOOTSTRAP_JSON`; KitError `WRITE_FAILED`, `PATH_UNSAFE`
 */
export async function reconcileBootstrapWithDisk(
  options: BootstrapDiskOptions,
  datastore: BootstrapData,
): Promise<ReconcilePlan & { written: string[] }> {
  const what = "reconcileBootstrapWithDisk";
  const o = diskOptions(options, what);
  return reconcileWithDisk(o, copyData(arg<BootstrapData>(datastore, bootstrapData, "datastore", what)));
}

/** {@link reconcileBootstrapWithDisk} on checked values. @internal */
export async function reconcileWithDisk(
  options: BootstrapDiskOptions,
  datastore: BootstrapData,
): Promise<ReconcilePlan & { written: string[] }> {
  const paths = pathsFor(options) as Record<string, string | undefined>;
  const server = k3sLayout(options.dataDir).server.dir;
  let certDirsPresent = true;
  for (const d of CERT_DIRS) if (!(await dirNonEmpty(join(server, d)))) certDirsPresent = false;
  const disk = Object.create(null) as Record<string, DiskFile>;
  if (certDirsPresent) {
    for (const field of Object.keys(datastore)) {
      const path = pathOf(paths, field);
      if (path === undefined) continue;
      try {
        const st = await stat(path, { bigint: true });
        disk[field] = { content: await readFile(path), mtimeNs: st.mtimeNs };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw readError(path, e);
      }
    }
  }
  const decided = plan({ certDirsPresent, datastore, disk, paths });
  if (decided.newerOnDisk.length > 0)
    throw new ClusterError(
      "CLUSTER_BOOTSTRAP_NEWER_ON_DISK",
      `${decided.newerOnDisk.join(", ")} newer than datastore and could cause a cluster outage. Remove the file(s) from disk and restart to be recreated from datastore.`,
      { value: decided.newerOnDisk },
    );
  const written = decided.writeDisk ? await writeToDisk(options, datastore) : [];
  return { ...decided, written };
}

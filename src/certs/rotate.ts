/**
 * `rotateCertificates`: `k3s certificate rotate` (§1.5): back up, then remove the selected leaf files so K3s
 * (or {@link ensureServerCertificates}) re-issues them. CAs are untouched.
 *
 * The backup holds file CONTENTS, never links: a link in `server/tls` (or `server/tls` itself) that
 * stays inside the data dir is copied as the file it leads to, and one that leads out of the data
 * dir is refused (`PATH_UNSAFE`) before anything is written or removed — so the certificates a
 * rotation removes always survive in `tls-<unix>`.
 */
import { lstat, readdir, readFile, realpath, stat, utimes } from "node:fs/promises";
import { join } from "node:path";
import { KitError } from "../errors/index.js";
import { ensureDir, isTempName, removeStaleTemps, writeFileAtomic } from "../internal/atomic-write.js";
import { is } from "../internal/options.js";
import { absolutePath, assertInside, confineName, confineRelative, isUnder } from "../internal/paths.js";
import { k3sLayout } from "../layout/index.js";
import { CertError } from "./errors.js";
import { removeFile } from "./io.js";
import { options as opts } from "./options.js";
import { servicesFor, serviceFiles } from "./services.js";

export interface RotateCertificatesResult {
  /** `<dd>/server/tls-<unix>` or `<dd>/agent/tls-<unix>`. */
  backupDir: string;
  /** Removed files (absolute). */
  removed: string[];
}

const isDir = (p: string): Promise<boolean> =>
  stat(p).then(
    (s) => s.isDirectory(),
    () => false,
  );
const exists = (p: string): Promise<boolean> =>
  lstat(p).then(
    () => true,
    () => false,
  );

/**
 * Backs up `<dd>/server/tls` to `<dd>/server/tls-<unix>` (agents: the agent files into `<dd>/agent/tls-<unix>`),
 * writes `dynamic-cert-regenerate` when `k3s-server` is selected, then deletes the selected cert/key files.
 * The backup copies file contents (links are followed inside the data dir; a link leading out of it is
 * refused before any write).
 *
 * @example
 * ```ts
 * await rotateCertificates("/var/lib/rancher/k3s", { services: ["api-server"] });
 * await ensureServerCertificates({ dataDir: "/var/lib/rancher/k3s", nodeName: "server-1" }); // re-issues
 * ```
 * @throws CertError `CERT_SERVICE_UNKNOWN`, `CERT_OPTION_INVALID` (bad options, a dir where K3s never ran);
 * KitError `PATH_UNSAFE` (a relative `dataDir` or one with `..` parts, a link out of the data dir), `READ_FAILED`, `WRITE_FAILED`
 */
export async function rotateCertificates(
  dataDir: string,
  options: { services?: string[]; now?: Date } = {},
): Promise<RotateCertificatesResult> {
  const what = "rotateCertificates";
  // Backups and removals happen under dataDir: a relative one, or one with ".." parts, would act
  // somewhere other than it seems to (PATH_UNSAFE).
  const dd = absolutePath(dataDir, `${what}: dataDir`);
  const o = opts<{ services?: string[]; now?: Date }>(options, { services: is.stringArray, now: is.date }, what);
  return rotate(dd, o);
}

interface CopyPlan {
  dirs: string[];
  files: { from: string; to: string; mode: number; atime: Date; mtime: Date }[];
}

async function rotate(dataDir: string, options: { services?: string[]; now?: Date }): Promise<RotateCertificatesResult> {
  const layout = k3sLayout(dataDir);
  const root = layout.dataDir;
  const isServer = await isDir(layout.server.dir);
  // Nothing to rotate where K3s never ran: do not make `agent/tls-<unix>` in a stranger's directory.
  if (!isServer && !(await isDir(layout.agent.dir)))
    throw new CertError("CERT_OPTION_INVALID", `rotateCertificates: ${root} is not a K3s data dir (no server/ or agent/)`, { value: root });
  const services = servicesFor(options.services, isServer);
  const stamp = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const tls = layout.server.tlsDir;
  const agent = layout.agent.tlsDir;
  const backupDir = isServer ? confineName(layout.server.dir, `tls-${stamp}`) : confineName(agent, `tls-${stamp}`);
  const victims: string[] = [];
  for (const s of services) {
    const f = serviceFiles(s);
    if (isServer) for (const b of f.server) victims.push(confineRelative(tls, `${b}.crt`), confineRelative(tls, `${b}.key`));
    for (const b of f.agent) victims.push(confineName(agent, `${b}.crt`), confineName(agent, `${b}.key`));
  }
  const regenerate = isServer && services.includes("k3s-server") ? confineName(tls, "dynamic-cert-regenerate") : undefined;

  // Everything this run reads, writes or removes is checked before the first write.
  await Promise.all([backupDir, ...victims, ...(regenerate ? [regenerate] : [])].map((p) => assertInside(root, p)));
  const realRoot = await realpath(root);
  const plan: CopyPlan = { dirs: [], files: [] };
  if (isServer && (await exists(tls))) await planCopy(tls, backupDir, realRoot, plan, new Set(), 0);
  // Agent files are copied into the backup dir (K3s does this on agents and servers alike).
  for (const v of victims) {
    if (v.startsWith(`${agent}/`) && (await exists(v))) await planCopy(v, join(backupDir, v.slice(agent.length + 1)), realRoot, plan, new Set(), 0);
  }

  if (regenerate) await removeStaleTemps(tls);
  await ensureDir(backupDir, 0o700, root); // it holds private keys
  for (const d of plan.dirs) await ensureDir(d, 0o700, root);
  for (const f of plan.files) {
    let data: Buffer;
    try {
      data = await readFile(f.from);
    } catch (err) {
      throw new KitError("READ_FAILED", `cannot read ${f.from}: ${(err as Error).message}`, { value: f.from, cause: err });
    }
    await writeFileAtomic(f.to, data, { mode: f.mode, dirMode: 0o700, root });
    await utimes(f.to, f.atime, f.mtime).catch(() => {});
  }
  if (regenerate) await writeFileAtomic(regenerate, "", { mode: 0o600, dirMode: 0o700, root });
  const removed: string[] = [];
  for (const v of victims) {
    if (await exists(v)) {
      await removeFile(v);
      removed.push(v);
    }
  }
  return { backupDir, removed };
}

/**
 * Plans the content copy of `from` (a file, a directory or a link) to `to`. Links are resolved:
 * their target must be inside the data dir (`realRoot`), else `PATH_UNSAFE`. Temp files of
 * in-flight or killed writes are not backed up; sockets and other special files are skipped.
 */
async function planCopy(from: string, to: string, realRoot: string, plan: CopyPlan, seen: Set<string>, depth: number): Promise<void> {
  let st = await lstatOrRead(from);
  let source = from;
  if (st.isSymbolicLink()) {
    let target: string;
    try {
      target = await realpath(from);
    } catch {
      return; // a dangling link holds nothing to back up
    }
    if (!isUnder(realRoot, target))
      throw new KitError("PATH_UNSAFE", `${from} is a symlink to ${target}, outside the data dir ${realRoot}; refusing to back it up`, { value: from });
    source = target;
    st = await lstatOrRead(target);
  }
  if (st.isDirectory()) {
    const real = await realpath(source);
    if (seen.has(real) || depth > 32) return; // a link cycle: each directory once
    seen.add(real);
    plan.dirs.push(to);
    let names: string[];
    try {
      names = await readdir(source);
    } catch (err) {
      throw new KitError("READ_FAILED", `cannot list ${source}: ${(err as Error).message}`, { value: source, cause: err });
    }
    for (const n of names.sort()) {
      if (isTempName(n)) continue;
      await planCopy(join(source, n), join(to, n), realRoot, plan, seen, depth + 1);
    }
  } else if (st.isFile()) {
    plan.files.push({ from: source, to, mode: st.mode & 0o777, atime: st.atime, mtime: st.mtime });
  }
}

async function lstatOrRead(p: string): Promise<import("node:fs").Stats> {
  try {
    return await lstat(p);
  } catch (err) {
    throw new KitError("READ_FAILED", `cannot read ${p}: ${(err as Error).message}`, { value: p, cause: err });
  }
}

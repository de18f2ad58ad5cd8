/**
 * `rotateCertificates`: `k3s certificate rotate` (§1.5): back up, then remove the selected leaf files so K3s
 * (or {@link ensureServerCertificates}) re-issues them. CAs are untouched.
 */
import { k3sLayout } from "../layout/index.js";
import { chmod, cp, mkdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../internal/atomic-write.js";
import { absolutePath } from "../internal/paths.js";
import { CertError } from "./errors.js";
import { resolveServices, serviceFiles } from "./services.js";

export interface RotateCertificatesResult {
  /** `<dd>/server/tls-<unix>` or `<dd>/agent/tls-<unix>`. */
  backupDir: string;
  /** Removed files (absolute). */
  removed: string[];
}

const exists = (p: string): Promise<boolean> =>
  stat(p).then(
    () => true,
    () => false,
  );

/**
 * Backs up `<dd>/server/tls` to `<dd>/server/tls-<unix>` (agents: the agent files into `<dd>/agent/tls-<unix>`),
 * writes `dynamic-cert-regenerate` when `k3s-server` is selected, then deletes the selected cert/key files.
 *
 * @example
 * ```ts
 * await rotateCertificates("/var/lib/rancher/k3s", { services: ["api-server"] });
 * await ensureServerCertificates({ dataDir: "/var/lib/rancher/k3s", nodeName: "server-1" }); // re-issues
 * ```
 * @throws CertError `CERT_SERVICE_UNKNOWN`; KitError `WRITE_FAILED`
 */
export async function rotateCertificates(
  dataDirArg: string,
  options: { services?: string[]; now?: Date } = {},
): Promise<RotateCertificatesResult> {
  // Backups and removals happen under dataDir: a relative one would act wherever the process runs.
  const dataDir = absolutePath(dataDirArg, "rotateCertificates: dataDir");
  const layout = k3sLayout(dataDir);
  const isServer = await exists(layout.server.dir);
  // Nothing to rotate where K3s never ran: do not make `agent/tls-<unix>` in a stranger's directory.
  if (!isServer && !(await exists(layout.agent.dir)))
    throw new CertError("CERT_OPTION_INVALID", `rotateCertificates: ${dataDir} is not a K3s data dir (no server/ or agent/)`, {
      value: dataDir,
    });
  const services = resolveServices(options.services, isServer);
  const stamp = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const tls = layout.server.tlsDir;
  const agent = layout.agent.dir;
  // The backup sits beside what it backs up, as K3s puts it: server/tls-<unix> or agent/tls-<unix>.
  const backupDir = isServer ? join(layout.server.dir, `tls-${stamp}`) : join(agent, `tls-${stamp}`);
  if (isServer && (await exists(tls)))
    await cp(tls, backupDir, { recursive: true, preserveTimestamps: true });
  const victims: string[] = [];
  for (const s of services) {
    const f = serviceFiles(s);
    if (isServer) for (const b of f.server) victims.push(join(tls, `${b}.crt`), join(tls, `${b}.key`));
    for (const b of f.agent) victims.push(join(agent, `${b}.crt`), join(agent, `${b}.key`));
  }
  // Agent files are copied into the backup dir (K3s does this on agents and servers alike).
  await mkdir(backupDir, { recursive: true, mode: 0o700 });
  await chmod(backupDir, 0o700); // it holds private keys
  for (const v of victims) {
    if (v.startsWith(agent) && (await exists(v)))
      await cp(v, join(backupDir, v.slice(agent.length + 1)), { preserveTimestamps: true });
  }
  if (isServer && services.includes("k3s-server")) {
    await writeFileAtomic(join(tls, "dynamic-cert-regenerate"), "", { mode: 0o600, dirMode: 0o700 });
  }
  const removed: string[] = [];
  for (const v of victims) {
    if (await exists(v)) {
      await rm(v, { force: true });
      removed.push(v);
    }
  }
  return { backupDir, removed };
}

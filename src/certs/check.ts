/**
 * `checkCertificates`: `k3s certificate check` (§1.5) as data and as `text | table | json | yaml`.
 */
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { CertError } from "./errors.js";
import { readIfExists } from "./io.js";
import { parseCertificate } from "./parse.js";
import { certificateDers } from "./pem.js";
import { type CertService, resolveServices, serviceFiles } from "./services.js";

const DAY = 86_400_000;

export type CertStatus = "OK" | "WARNING" | "EXPIRED" | "NOT YET VALID";

export interface CertificateCheckEntry {
  service: CertService;
  file: string;
  /** Position in the file (0 = the leaf; chain certs follow). */
  index: number;
  subject: string;
  issuer: string;
  usages: string[];
  notBefore: Date;
  notAfter: Date;
  /** Days until NotAfter (negative when expired), rounded down. */
  residualDays: number;
  status: CertStatus;
}

/**
 * K3s status rule: NOT YET VALID, EXPIRED, WARNING (NotAfter before now + window), OK.
 * @example
 * ```ts
 * certStatus(info.notBefore, info.notAfter, new Date(), 90); // "OK"
 * ```
 */
export function certStatus(notBefore: Date, notAfter: Date, now: Date, warnWithinDays: number): CertStatus {
  if (now < notBefore) return "NOT YET VALID";
  if (now > notAfter) return "EXPIRED";
  if (notAfter.getTime() < now.getTime() + warnWithinDays * DAY) return "WARNING";
  return "OK";
}

const EKU_NAMES: Record<string, string> = { "1.3.6.1.5.5.7.3.1": "ServerAuth", "1.3.6.1.5.5.7.3.2": "ClientAuth" };

export interface CheckCertificatesOptions {
  /** Service names (§1.5). Default: All on a server (`<dd>/server` exists), the agent list otherwise. */
  services?: string[];
  now?: Date;
  /** WARNING window in days. Default 90 (the page); K3s source: 120. */
  warnWithinDays?: number;
}

/**
 * Lists every certificate (chains included) of the selected services with its status.
 *
 * @example
 * ```ts
 * const entries = await checkCertificates("/var/lib/rancher/k3s");
 * console.log(formatCertificateCheck(entries, "table"));
 * ```
 * @throws CertError `CERT_SERVICE_UNKNOWN`, `CERT_PEM_INVALID` (naming the file)
 */
export async function checkCertificates(dataDir: string, options: CheckCertificatesOptions = {}): Promise<CertificateCheckEntry[]> {
  const now = options.now ?? new Date();
  const warn = options.warnWithinDays ?? 90;
  const isServer = await stat(join(dataDir, "server")).then(
    (s) => s.isDirectory(),
    () => false,
  );
  const out: CertificateCheckEntry[] = [];
  for (const service of resolveServices(options.services, isServer)) {
    const files = serviceFiles(service);
    const paths = [...(isServer ? files.server.map((f) => join(dataDir, "server", "tls", `${f}.crt`)) : []), ...files.agent.map((f) => join(dataDir, "agent", `${f}.crt`))];
    for (const file of paths) {
      const text = await readIfExists(file);
      if (text === undefined) continue;
      certificateDers(text, file).forEach((der, index) => {
        const c = parseCertificate(der, file);
        out.push({
          service,
          file,
          index,
          subject: c.commonName,
          issuer: c.issuerCommonName,
          usages: c.isCA ? ["CertSign"] : c.extKeyUsage.map((u) => EKU_NAMES[u] ?? u),
          notBefore: c.notBefore,
          notAfter: c.notAfter,
          residualDays: Math.floor((c.notAfter.getTime() - now.getTime()) / DAY),
          status: certStatus(c.notBefore, c.notAfter, now, warn),
        });
      });
    }
  }
  return out;
}

export type CheckFormat = "text" | "table" | "json" | "yaml";

/**
 * Renders check results like `k3s certificate check -o <format>`.
 *
 * @example
 * ```ts
 * formatCertificateCheck(entries, "json");
 * ```
 * @throws CertError `CERT_FORMAT_UNKNOWN` for any other format
 */
export async function formatCertificateCheck(entries: readonly CertificateCheckEntry[], format: CheckFormat = "text"): Promise<string> {
  const plain = entries.map((e) => ({ ...e, notBefore: e.notBefore.toISOString(), notAfter: e.notAfter.toISOString() }));
  switch (format) {
    case "json":
      return `${JSON.stringify(plain, null, 2)}\n`;
    case "yaml":
      return (await import("yaml")).stringify(plain);
    case "text":
      return entries
        .map((e) => `${e.file}: certificate ${e.subject} (issuer=${e.issuer}) is ${e.status}: valid ${e.notBefore.toISOString()} to ${e.notAfter.toISOString()}\n`)
        .join("");
    case "table": {
      const head = ["FILENAME", "SUBJECT", "USAGES", "EXPIRES", "RESIDUAL TIME", "STATUS"];
      const rows = entries.map((e) => [e.file, e.subject, e.usages.join(",") || "-", e.notAfter.toISOString(), `${e.residualDays}d`, e.status]);
      const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
      return [head, ...rows].map((r) => `${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ").trimEnd()}\n`).join("");
    }
    default:
      throw new CertError("CERT_FORMAT_UNKNOWN", `invalid output format ${String(format)}`, { value: format });
  }
}

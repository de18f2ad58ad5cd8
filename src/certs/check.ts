/**
 * `checkCertificates`: `k3s certificate check` (§1.5) as data and as `text | table | json | yaml`.
 */
import { stat } from "node:fs/promises";
import { is } from "../internal/options.js";
import { confineName, confineRelative } from "../internal/paths.js";
import { k3sLayout } from "../layout/index.js";
import { CertError } from "./errors.js";
import { arg, options as opts, shape } from "./options.js";
import { readIfExists } from "./io.js";
import { parseDer } from "./parse.js";
import { derCerts } from "./pem.js";
import { type CertService, serviceFiles, servicesFor } from "./services.js";

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
  const what = "certStatus";
  return statusOf(
    arg<Date>(notBefore, is.date, "notBefore", what),
    arg<Date>(notAfter, is.date, "notAfter", what),
    arg<Date>(now, is.date, "now", what),
    arg<number>(warnWithinDays, is.finite, "warnWithinDays", what),
  );
}

function statusOf(notBefore: Date, notAfter: Date, now: Date, warnWithinDays: number): CertStatus {
  if (now < notBefore) return "NOT YET VALID";
  if (now > notAfter) return "EXPIRED";
  if (notAfter.getTime() < now.getTime() + warnWithinDays * DAY) return "WARNING";
  return "OK";
}

const EKU_NAMES: Record<string, string> = {
  "1.3.6.1.5.5.7.3.1": "ServerAuth",
  "1.3.6.1.5.5.7.3.2": "ClientAuth",
};

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
export async function checkCertificates(
  dataDir: string,
  options: CheckCertificatesOptions = {},
): Promise<CertificateCheckEntry[]> {
  const what = "checkCertificates";
  const dd = arg<string>(dataDir, is.absolutePath, "dataDir", what);
  const o = opts<CheckCertificatesOptions>(options, { services: is.stringArray, now: is.date, warnWithinDays: is.finite }, what);
  return check(dd, o);
}

async function check(dataDir: string, options: CheckCertificatesOptions): Promise<CertificateCheckEntry[]> {
  const layout = k3sLayout(dataDir);
  const now = options.now ?? new Date();
  const warn = options.warnWithinDays ?? 90;
  const isServer = await stat(layout.server.dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  const out: CertificateCheckEntry[] = [];
  for (const service of servicesFor(options.services, isServer)) {
    const files = serviceFiles(service);
    const paths = [
      ...(isServer ? files.server.map((f) => confineRelative(layout.server.tlsDir, `${f}.crt`)) : []),
      ...files.agent.map((f) => confineName(layout.agent.tlsDir, `${f}.crt`)),
    ];
    for (const file of paths) {
      const text = await readIfExists(file);
      if (text === undefined) continue;
      derCerts(text, file).forEach((der, index) => {
        const c = parseDer(der, file);
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
          status: statusOf(c.notBefore, c.notAfter, now, warn),
        });
      });
    }
  }
  return out;
}

export type CheckFormat = "text" | "table" | "json" | "yaml";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const rfc3339 = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, "Z");
/** Go layout "Jan 02, 2006 15:04 MST" in UTC. */
const tableTime = (d: Date): string =>
  `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, "0")}, ${d.getUTCFullYear()} ${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")} UTC`;
/** Rough go-humanize RelTime: the largest whole unit. */
function relTime(days: number): string {
  const abs = Math.abs(days);
  const [n, unit] =
    abs >= 730
      ? [Math.floor(abs / 365), "years"]
      : abs >= 365
        ? [1, "year"]
        : abs >= 60
          ? [Math.floor(abs / 30), "months"]
          : abs >= 2
            ? [Math.floor(abs), "days"]
            : [1, "day"];
  return `${n} ${unit}`;
}
const baseName = (f: string): string => f.slice(f.lastIndexOf("/") + 1);
/** K3s shows NotBefore as the "expiry" of a cert that is not valid yet. */
const shownTime = (e: CertificateCheckEntry): Date =>
  e.status === "NOT YET VALID" ? e.notBefore : e.notAfter;

/**
 * Renders check results like `k3s certificate check -o <format>` (`pkg/cli/cert`): text lines
 * `<file>: certificate <CN> (<usages>) is ok, expires at <RFC3339>` (or `will expire within <n> days at`,
 * `expired at`, `is not valid before`), a FILENAME/SUBJECT/USAGES/EXPIRES/RESIDUAL TIME/STATUS table, and
 * JSON/YAML of `{ Certificates: [{ Filename, Subject, Issuer, Usages, ExpiryTime, ResidualTime, Status }] }`
 * (YAML keys lower-cased, as yaml.v2 writes them; ResidualTime in nanoseconds, as Go's Duration).
 *
 * @example
 * ```ts
 * formatCertificateCheck(entries, "json");
 * ```
 * @throws CertError `CERT_FORMAT_UNKNOWN` for any other format (`invalid output format <x>`)
 */
export async function formatCertificateCheck(
  entries: readonly CertificateCheckEntry[],
  format: CheckFormat = "text",
  options: { now?: Date; warnWithinDays?: number } = {},
): Promise<string> {
  const what = "formatCertificateCheck";
  const list = arg<CertificateCheckEntry[]>(entries, is.arrayOf(entry), "entries", what);
  if (format !== undefined && typeof format !== "string")
    throw new CertError("CERT_FORMAT_UNKNOWN", `invalid output format (a ${typeof format})`, { value: typeof format });
  const o = opts<{ now?: Date; warnWithinDays?: number }>(options, { now: is.date, warnWithinDays: is.finite }, what);
  return formatCheck(list, format ?? "text", o);
}

/** One entry as {@link checkCertificates} returns it. */
const entry = shape({
  service: is.string,
  file: is.string,
  index: is.integer(0),
  subject: is.string,
  issuer: is.string,
  usages: is.stringArray,
  notBefore: is.date,
  notAfter: is.date,
  residualDays: is.finite,
  status: is.oneOf("OK", "WARNING", "EXPIRED", "NOT YET VALID"),
});

async function formatCheck(
  entries: readonly CertificateCheckEntry[],
  format: CheckFormat,
  options: { now?: Date; warnWithinDays?: number },
): Promise<string> {
  const now = options.now ?? new Date();
  const warn = options.warnWithinDays ?? 90;
  const k3s = entries.map((e) => ({
    Filename: baseName(e.file),
    Subject: e.subject,
    Issuer: e.issuer,
    Usages: e.usages,
    ExpiryTime: rfc3339(shownTime(e)),
    ResidualTime: (e.notAfter.getTime() - now.getTime()) * 1_000_000,
    Status: e.status,
  }));
  switch (format) {
    case "json":
      return `${JSON.stringify({ Certificates: k3s })}\n`;
    case "yaml": {
      const lower = k3s.map((c) =>
        Object.fromEntries(Object.entries(c).map(([k, v]) => [k.toLowerCase(), v])),
      );
      return (await import("yaml")).stringify({ certificates: lower });
    }
    case "text":
      return entries
        .map((e) => {
          const head = `${baseName(e.file)}: certificate ${e.subject} (${e.usages.join(",")})`;
          const t = rfc3339(shownTime(e));
          if (e.status === "NOT YET VALID") return `${head} is not valid before ${t}\n`;
          if (e.status === "EXPIRED") return `${head} expired at ${t}\n`;
          if (e.status === "WARNING") return `${head} will expire within ${warn} days at ${t}\n`;
          return `${head} is ok, expires at ${t}\n`;
        })
        .join("");
    case "table": {
      const head = ["FILENAME", "SUBJECT", "USAGES", "EXPIRES", "RESIDUAL TIME", "STATUS"];
      const rule = head.map((h) => "-".repeat(h.length));
      const rows = entries.map((e) => [
        baseName(e.file),
        e.subject,
        e.usages.join(","),
        tableTime(shownTime(e)),
        relTime(e.residualDays),
        e.status,
      ]);
      const all = [head, rule, ...rows];
      const widths = head.map((_h, i) => Math.max(...all.map((r) => (r[i] ?? "").length)));
      return `\n${all.map((r) => `${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd((widths[i] ?? 0) + 3))).join("")}\n`).join("")}`;
    }
    default:
      throw new CertError("CERT_FORMAT_UNKNOWN", `invalid output format ${String(format).slice(0, 80)}`, {
        value: String(format).slice(0, 80),
      });
  }
}

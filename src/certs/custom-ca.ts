/**
 * Custom CA bundles for `k3s certificate rotate-ca` and K3s's validation of them (§1.5).
 */
import { createPrivateKey, createPublicKey, X509Certificate } from "node:crypto";
import { removeStaleTemps } from "../internal/atomic-write.js";
import { is } from "../internal/options.js";
import { assertInside, confineName, confineRelative } from "../internal/paths.js";
import { k3sLayout } from "../layout/index.js";
import { CertError } from "./errors.js";
import { type CertificateAuthority, makeCA, readCA } from "./generate.js";
import { readIfExists, writeCert, writeKey } from "./io.js";
import { generateRsaKeyPem } from "./rsa.js";
import { arg, days, options as opts, required } from "./options.js";
import { parseDer } from "./parse.js";
import { derCerts, splitPem, toPem } from "./pem.js";

/** The rotatable CA files (fields tagged `rotate:"true"`), relative to `tls/`. */
export const ROTATABLE_CAS = [
  { cert: "server-ca.crt", key: "server-ca.key", type: "server" },
  { cert: "client-ca.crt", key: "client-ca.key", type: "client" },
  { cert: "request-header-ca.crt", key: "request-header-ca.key", type: "request-header" },
  { cert: "etcd/server-ca.crt", key: "etcd/server-ca.key", type: "etcd-server" },
  { cert: "etcd/peer-ca.crt", key: "etcd/peer-ca.key", type: "etcd-peer" },
] as const;

export interface GenerateCustomCAOptions {
  /** Output dir; files go to `<outDir>/tls/...` (the layout `rotate-ca --path` reads). */
  outDir: string;
  /** Reuse the root of an earlier bundle (`<dir>/tls/root-ca.pem` + `.key`) so the result can replace it. */
  reuseRootFrom?: string;
  /** A current K3s data dir: its `server/tls/service.key` is carried over (rotation requires the old key). */
  currentDataDir?: string;
  now?: Date;
  /** Defaults follow `generate-custom-ca-certs.sh`: root 7300 days, intermediate and CAs 3700 days. */
  rootDays?: number;
  intermediateDays?: number;
  caDays?: number;
}

/**
 * Writes a root + intermediate + five per-purpose CAs (each CA file is CA + intermediate + root) and
 * `service.key`. Unlike K3s's shell script (RSA-4096 root/intermediate), every CA here is P-256.
 *
 * @example
 * ```ts
 * await generateCustomCA({ outDir: "/tmp/new-ca", reuseRootFrom: "/tmp/old-ca", currentDataDir: "/var/lib/rancher/k3s" });
 * ```
 * @throws CertError `CERT_PEM_INVALID`, `CERT_KEY_MISMATCH`, `CERT_OPTION_INVALID`; KitError `WRITE_FAILED`
 */
export async function generateCustomCA(
  options: GenerateCustomCAOptions,
): Promise<{ tlsDir: string; rootPem: string }> {
  const what = "generateCustomCA";
  const o = opts<GenerateCustomCAOptions>(
    options,
    {
      outDir: is.absolutePath,
      reuseRootFrom: is.absolutePath,
      currentDataDir: is.absolutePath,
      now: is.date,
      rootDays: days,
      intermediateDays: days,
      caDays: days,
    },
    what,
  );
  required(o, ["outDir"], what);
  return customCA(o);
}

async function customCA(options: GenerateCustomCAOptions): Promise<{ tlsDir: string; rootPem: string }> {
  const now = options.now ?? new Date();
  const ts = Math.floor(now.getTime() / 1000);
  const root = options.outDir;
  const tls = confineName(root, "tls");
  let rootCA: CertificateAuthority;
  if (options.reuseRootFrom) {
    const from = confineName(options.reuseRootFrom, "tls");
    const c = confineName(from, "root-ca.pem");
    const k = confineName(from, "root-ca.key");
    const [crt, key] = await Promise.all([readIfExists(c), readIfExists(k)]);
    if (crt === undefined) throw new CertError("CERT_PEM_INVALID", `${c} does not exist`, { value: c });
    if (key === undefined) throw new CertError("CERT_CA_KEY_MISSING", `${k} does not exist`, { value: k });
    rootCA = readCA(crt, key, { certFile: c, keyFile: k });
  } else rootCA = makeCA({ commonName: `k3s-root-ca@${ts}`, now, days: options.rootDays ?? 7300 });
  const inter = makeCA({
    commonName: `k3s-intermediate-ca@${ts}`,
    now,
    days: options.intermediateDays ?? 3700,
    issuer: rootCA,
  });
  // Everything is made in memory first, so a bad input or clock writes nothing.
  const out: { path: string; data: string; key: boolean }[] = [
    { path: "root-ca.key", data: rootCA.keyPem, key: true },
    { path: "root-ca.pem", data: rootCA.certPem, key: false },
    { path: "intermediate-ca.key", data: inter.keyPem, key: true },
    { path: "intermediate-ca.pem", data: inter.bundlePem, key: false },
  ];
  for (const spec of ROTATABLE_CAS) {
    const ca = makeCA({
      commonName: `k3s-${spec.type}-ca@${ts}`,
      now,
      days: options.caDays ?? 3700,
      issuer: inter,
    });
    out.push({ path: spec.key, data: ca.keyPem, key: true }, { path: spec.cert, data: ca.bundlePem, key: false });
  }
  const old = options.currentDataDir
    ? await readIfExists(confineName(k3sLayout(options.currentDataDir).server.tlsDir, "service.key"))
    : undefined;
  out.push({ path: "service.key", data: old ?? (await generateRsaKeyPem()), key: true });
  const targets = out.map((f) => ({ ...f, path: confineRelative(tls, f.path) }));
  const dirs = [tls, confineName(tls, "etcd")];
  await Promise.all([...dirs, ...targets.map((t) => t.path)].map((p) => assertInside(root, p)));
  await Promise.all(dirs.map((d) => removeStaleTemps(d)));
  for (const t of targets) await (t.key ? writeKey : writeCert)(t.path, t.data, root);
  return { tlsDir: tls, rootPem: rootCA.certPem };
}

/** A DER certificate as node:crypto reads it, or `CERT_PEM_INVALID` naming the file. */
function x509(der: Buffer, file: string): X509Certificate {
  try {
    return new X509Certificate(der);
  } catch (cause) {
    throw new CertError("CERT_PEM_INVALID", `${file}: certificate does not parse`, { value: file, cause });
  }
}

function isRoot(der: Buffer): boolean {
  const info = parseDer(der);
  return (
    !info.authorityKeyId || (info.subjectKeyId !== undefined && info.authorityKeyId.equals(info.subjectKeyId))
  );
}

/** Does `leaf` chain to one of `roots` through `inters` at `now` (any EKU)? */
function chains(
  leaf: X509Certificate,
  roots: X509Certificate[],
  inters: X509Certificate[],
  now: Date,
): boolean {
  const valid = (c: X509Certificate): boolean => new Date(c.validFrom) <= now && now <= new Date(c.validTo);
  const signed = (child: X509Certificate, parent: X509Certificate): boolean => {
    try {
      return parent.ca && child.checkIssued(parent) && child.verify(parent.publicKey) && valid(parent);
    } catch {
      return false;
    }
  };
  const walk = (c: X509Certificate, depth: number): boolean => {
    if (roots.some((r) => r.raw.equals(c.raw) || signed(c, r))) return true;
    return depth < 8 && inters.some((i) => !i.raw.equals(c.raw) && signed(c, i) && walk(i, depth + 1));
  };
  return valid(leaf) && walk(leaf, 0);
}

export interface CARotationResult {
  errors: string[];
  warnings: string[];
}

/**
 * K3s `validateBootstrap` for `rotate-ca` (§1.5): each new CA bundle must hold more than one cert and its first
 * cert must verify against roots from the **current** bundle (certs with no AKID or AKID==SKID) plus
 * intermediates from the current bundle and new certs #2..n; each new CA cert+key must be a pair; the first key
 * of the current `service.key` must be among the new keys. Missing/empty new files fall back to the current
 * ones (not validated). With `force`, errors become warnings.
 *
 * @example
 * ```ts
 * validateCARotation("/var/lib/rancher/k3s", "/tmp/new-ca", { force: false });
 * ```
 * @throws CertError `CERT_ROTATION_INVALID` (value: the error list) unless `force`
 */
export async function validateCARotation(
  currentDataDir: string,
  newPath: string,
  options: { force?: boolean; now?: Date } = {},
): Promise<CARotationResult> {
  const what = "validateCARotation";
  const cur = arg<string>(currentDataDir, is.absolutePath, "currentDataDir", what);
  const next = arg<string>(newPath, is.absolutePath, "newPath", what);
  const o = opts<{ force?: boolean; now?: Date }>(options, { force: is.boolean, now: is.date }, what);
  return validateRotation(cur, next, o);
}

async function validateRotation(
  currentDataDir: string,
  newPath: string,
  options: { force?: boolean; now?: Date },
): Promise<CARotationResult> {
  const now = options.now ?? new Date();
  const cur = k3sLayout(currentDataDir).server.tlsDir;
  const nxt = confineName(newPath, "tls");
  const errors: string[] = [];
  if (cur !== nxt) {
    for (const spec of ROTATABLE_CAS) {
      const newCrt = await readIfExists(confineRelative(nxt, spec.cert));
      if (!newCrt?.trim()) continue;
      const file = confineRelative(nxt, spec.cert);
      const oldCrt = await readIfExists(confineRelative(cur, spec.cert));
      const newDers = derCerts(newCrt, file);
      if (newDers.length === 1) {
        errors.push(
          `${file}: new CA bundle contains only a single certificate but should include root or intermediate CA certificates`,
        );
      } else if (oldCrt !== undefined) {
        const oldDers = derCerts(oldCrt, confineRelative(cur, spec.cert));
        const oldCerts = oldDers.map((d) => x509(d, confineRelative(cur, spec.cert)));
        const roots = oldCerts.filter((_c, i) => isRoot(oldDers[i] as Buffer));
        const inters = [
          ...oldCerts.filter((c) => !roots.includes(c)),
          ...newDers.slice(1).map((d) => x509(d, file)),
        ];
        if (!chains(x509(newDers[0] as Buffer, file), roots, inters, now)) {
          errors.push(
            `${file}: new CA certificate does not chain to a root of the current CA ${confineRelative(cur, spec.cert)}`,
          );
        }
      }
      const keyFile = (await readIfExists(confineRelative(nxt, spec.key)))?.trim()
        ? confineRelative(nxt, spec.key)
        : confineRelative(cur, spec.key);
      const keyPem = await readIfExists(keyFile);
      try {
        if (keyPem === undefined)
          throw new CertError("CERT_CA_KEY_MISSING", `${keyFile} does not exist`, { value: keyFile });
        readCA(newCrt, keyPem, { certFile: file, keyFile });
      } catch (e) {
        errors.push(`${file}: ${(e as Error).message}`);
      }
    }
    const newSvc = (await readIfExists(confineName(nxt, "service.key")))?.trim();
    const oldSvc = await readIfExists(confineName(cur, "service.key"));
    if (newSvc && oldSvc) {
      const pub = (pem: string): string =>
        createPublicKey(createPrivateKey(pem)).export({ type: "spki", format: "der" }).toString("hex");
      const keys = (text: string): string[] =>
        splitPem(text)
          .filter((b) => b.type.endsWith("PRIVATE KEY"))
          .map((b) => toPem(b.type, b.der));
      const [first] = keys(oldSvc);
      try {
        if (first && !keys(newSvc).map(pub).includes(pub(first)))
          errors.push(`${confineName(nxt, "service.key")}: does not contain the current service account key`);
      } catch (e) {
        errors.push(`${confineName(nxt, "service.key")}: ${(e as Error).message}`);
      }
    }
  }
  if (errors.length && !options.force) {
    throw new CertError("CERT_ROTATION_INVALID", `CA rotation validation failed: ${errors.join("; ")}`, {
      value: errors,
    });
  }
  return options.force ? { errors: [], warnings: errors } : { errors, warnings: [] };
}

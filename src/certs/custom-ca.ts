/**
 * Custom CA bundles for `k3s certificate rotate-ca` and K3s's validation of them (§1.5).
 */
import { k3sLayout } from "../layout/index.js";
import { createPrivateKey, createPublicKey, X509Certificate } from "node:crypto";
import { join } from "node:path";
import { CertError } from "./errors.js";
import { type CertificateAuthority, createCA, loadCA } from "./generate.js";
import { readIfExists, writeCert, writeKey } from "./io.js";
import { generateRsaKeyPem } from "./keys.js";
import { parseCertificate } from "./parse.js";
import { certificateDers, pemBlocks, toPem } from "./pem.js";

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
  const now = options.now ?? new Date();
  const ts = Math.floor(now.getTime() / 1000);
  const tls = join(options.outDir, "tls");
  let root: CertificateAuthority;
  if (options.reuseRootFrom) {
    const c = join(options.reuseRootFrom, "tls", "root-ca.pem");
    const k = join(options.reuseRootFrom, "tls", "root-ca.key");
    const [crt, key] = await Promise.all([readIfExists(c), readIfExists(k)]);
    if (crt === undefined) throw new CertError("CERT_PEM_INVALID", `${c} does not exist`, { value: c });
    if (key === undefined) throw new CertError("CERT_CA_KEY_MISSING", `${k} does not exist`, { value: k });
    root = loadCA(crt, key, { certFile: c, keyFile: k });
  } else root = createCA({ commonName: `k3s-root-ca@${ts}`, now, days: options.rootDays ?? 7300 });
  const inter = createCA({
    commonName: `k3s-intermediate-ca@${ts}`,
    now,
    days: options.intermediateDays ?? 3700,
    issuer: root,
  });
  await writeKey(join(tls, "root-ca.key"), root.keyPem);
  await writeCert(join(tls, "root-ca.pem"), root.certPem);
  await writeKey(join(tls, "intermediate-ca.key"), inter.keyPem);
  await writeCert(join(tls, "intermediate-ca.pem"), inter.bundlePem);
  for (const spec of ROTATABLE_CAS) {
    const ca = createCA({
      commonName: `k3s-${spec.type}-ca@${ts}`,
      now,
      days: options.caDays ?? 3700,
      issuer: inter,
    });
    await writeKey(join(tls, spec.key), ca.keyPem);
    await writeCert(join(tls, spec.cert), ca.bundlePem);
  }
  const old = options.currentDataDir
    ? await readIfExists(join(k3sLayout(options.currentDataDir).server.tlsDir, "service.key"))
    : undefined;
  await writeKey(join(tls, "service.key"), old ?? (await generateRsaKeyPem()));
  return { tlsDir: tls, rootPem: root.certPem };
}

function isRoot(der: Buffer): boolean {
  const info = parseCertificate(der);
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
  const now = options.now ?? new Date();
  const cur = k3sLayout(currentDataDir).server.tlsDir;
  const nxt = join(newPath, "tls");
  const errors: string[] = [];
  if (cur !== nxt) {
    for (const spec of ROTATABLE_CAS) {
      const newCrt = await readIfExists(join(nxt, spec.cert));
      if (!newCrt?.trim()) continue;
      const file = join(nxt, spec.cert);
      const oldCrt = await readIfExists(join(cur, spec.cert));
      const newDers = certificateDers(newCrt, file);
      if (newDers.length === 1) {
        errors.push(
          `${file}: new CA bundle contains only a single certificate but should include root or intermediate CA certificates`,
        );
      } else if (oldCrt !== undefined) {
        const oldDers = certificateDers(oldCrt, join(cur, spec.cert));
        const oldCerts = oldDers.map((d) => new X509Certificate(d));
        const roots = oldCerts.filter((_c, i) => isRoot(oldDers[i] as Buffer));
        const inters = [
          ...oldCerts.filter((c) => !roots.includes(c)),
          ...newDers.slice(1).map((d) => new X509Certificate(d)),
        ];
        if (!chains(new X509Certificate(newDers[0] as Buffer), roots, inters, now)) {
          errors.push(
            `${file}: new CA certificate does not chain to a root of the current CA ${join(cur, spec.cert)}`,
          );
        }
      }
      const keyFile = (await readIfExists(join(nxt, spec.key)))?.trim()
        ? join(nxt, spec.key)
        : join(cur, spec.key);
      const keyPem = await readIfExists(keyFile);
      try {
        if (keyPem === undefined)
          throw new CertError("CERT_CA_KEY_MISSING", `${keyFile} does not exist`, { value: keyFile });
        loadCA(newCrt, keyPem, { certFile: file, keyFile });
      } catch (e) {
        errors.push(`${file}: ${(e as Error).message}`);
      }
    }
    const newSvc = (await readIfExists(join(nxt, "service.key")))?.trim();
    const oldSvc = await readIfExists(join(cur, "service.key"));
    if (newSvc && oldSvc) {
      const pub = (pem: string): string =>
        createPublicKey(createPrivateKey(pem)).export({ type: "spki", format: "der" }).toString("hex");
      const keys = (text: string): string[] =>
        pemBlocks(text)
          .filter((b) => b.type.endsWith("PRIVATE KEY"))
          .map((b) => toPem(b.type, b.der));
      const [first] = keys(oldSvc);
      try {
        if (first && !keys(newSvc).map(pub).includes(pub(first)))
          errors.push(`${join(nxt, "service.key")}: does not contain the current service account key`);
      } catch (e) {
        errors.push(`${join(nxt, "service.key")}: ${(e as Error).message}`);
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

/**
 * `ensureServerCertificates`: lays out and maintains `<dataDir>/server/tls` like K3s `GenServerDeps`
 * (§1.2) with K3s's renewal rules (§1.3). Decisions live in plan.ts / layout.ts; this file does the I/O.
 */
import { createPrivateKey } from "node:crypto";
import { existsSync } from "node:fs";
import { ensureDir, removeStaleTemps, syncDirs } from "../internal/atomic-write.js";
import { emit, type EventListener, type KitEventBase } from "../internal/events.js";
import { type Check, is } from "../internal/options.js";
import { assertAllInside, confineRelative } from "../internal/paths.js";
import { k3sLayout } from "../layout/index.js";
import { CertError } from "./errors.js";
import { type CertificateAuthority, makeCA, makeLeaf, readCA } from "./generate.js";
import { readIfExists, removeFile, type WriteBatch, writeCert, writeKey, writeSecretFile } from "./io.js";
import { generateEcKey, parseEcKey, p256Spki } from "./keys.js";
import { generateRsaKeyPem } from "./rsa.js";
import { renderKubeconfig } from "./kubeconfig.js";
import {
  LEGACY_REMOVED_CERTS,
  LEGACY_SHARED_KEYS,
  type LeafSpec,
  leafSpecs,
  SANS_SPEC,
  sanListOf,
  SERVER_CAS,
  type ServerCAName,
} from "./layout.js";
import { days, options as opts, required, san } from "./options.js";
import { parseDer } from "./parse.js";
import { derCerts, toPem } from "./pem.js";
import { decide, type RenewReason } from "./plan.js";

/** Renewal window of the documentation page. K3s source uses 120 since 2025 (`CertificateRenewDays`). */
export const DEFAULT_RENEW_WITHIN_DAYS = 90;
/** The K3s source's renewal window (§1.3). */
export const K3S_SOURCE_RENEW_WITHIN_DAYS = 120;

/** A progress event of {@link ensureServerCertificates}. */
export interface CertEvent extends KitEventBase {
  type: "certs.created" | "certs.renewed" | "certs.kept" | "certs.removed";
  /** Path relative to `<dataDir>/server/tls`. */
  file: string;
  reasons?: RenewReason[];
}

export interface EnsureServerCertificatesOptions {
  /** K3s data dir, e.g. `/var/lib/rancher/k3s`. Files go to `<dataDir>/server/tls`. */
  dataDir: string;
  /** Node name (a SAN and part of the SAN list). Required. */
  nodeName: string;
  /** Extra SANs, like `--tls-san`. */
  sans?: string[];
  nodeIPs?: string[];
  nodeExternalIPs?: string[];
  hostname?: string;
  advertiseIP?: string;
  /** Default `cluster.local`. */
  clusterDomain?: string;
  /** Default `10.43.0.0/16`; its first IP becomes a SAN. */
  serviceCIDR?: string;
  /** Skip `etcd/server-client.crt` (`--disable-etcd`). */
  disableEtcd?: boolean;
  /** Clock. Default `new Date()`. */
  now?: Date;
  /** Renew leaves expiring within this many days. Default 90 (the page); K3s source: 120. */
  renewWithinDays?: number;
  /** Leaf validity in days. Default 365. */
  leafDays?: number;
  /** Regenerate these CAs (new key and cert), or all with `true`. CAs are otherwise never replaced. */
  regenerateCAs?: boolean | ServerCAName[];
  /** Port in the `cred/*.kubeconfig` server URL. Default 6443. */
  apiServerPort?: number;
  onEvent?: EventListener<CertEvent>;
  signal?: AbortSignal;
}

export interface CertReportEntry {
  /** Path relative to `<dataDir>/server/tls`. */
  file: string;
  kind: "ca" | "leaf" | "key";
  action: "created" | "renewed" | "kept";
  reasons: RenewReason[];
}

/** What {@link ensureServerCertificates} did. File lists hold cert paths relative to the tls dir. */
export interface CertReport {
  tlsDir: string;
  created: string[];
  renewed: string[];
  kept: string[];
  entries: CertReportEntry[];
}

/**
 * Creates or refreshes the full K3s server PKI under `<dataDir>/server/tls`: five CAs, every leaf of §1.2,
 * `service.key`, `*.nochain.crt`, the legacy shared keys and the `cred/*.kubeconfig` files. Valid material is
 * reused; a leaf is regenerated with a new key when its CA was just created, it expires within
 * `renewWithinDays`, its CN/O/SANs/issuer changed, or its key no longer matches. CAs are never replaced unless
 * `regenerateCAs` says so. Every write is atomic; keys are 0600 in 0700 directories; a CA key is written
 * before its certificate, so an interrupted run never loses one.
 *
 * @example
 * ```ts
 * const report = await ensureServerCertificates({ dataDir: "/var/lib/rancher/k3s", nodeName: "server-1", sans: ["k3s.example.com"] });
 * console.log(report.created, report.renewed);
 * ```
 * @throws CertError `CERT_PEM_INVALID`, `CERT_KEY_INVALID`, `CERT_KEY_MISMATCH`, `CERT_CA_KEY_MISSING` (all naming
 * the file), `CERT_OPTION_INVALID`; KitError `WRITE_FAILED`; AbortError when `signal` aborts
 */
export async function ensureServerCertificates(
  options: EnsureServerCertificatesOptions,
): Promise<CertReport> {
  const what = "ensureServerCertificates";
  const o = opts<EnsureServerCertificatesOptions>(options, SERVER_SPEC, what);
  required(o, ["dataDir", "nodeName"], what);
  return ensure(o);
}

const CA_NAMES = SERVER_CAS.map((c) => c.name);
const SERVER_SPEC: { readonly [K in keyof EnsureServerCertificatesOptions]-?: Check } = {
  dataDir: is.absolutePath,
  nodeName: SANS_SPEC.nodeName,
  sans: SANS_SPEC.tlsSans,
  nodeIPs: SANS_SPEC.nodeIPs,
  nodeExternalIPs: SANS_SPEC.nodeExternalIPs,
  hostname: SANS_SPEC.hostname,
  advertiseIP: SANS_SPEC.advertiseIP,
  clusterDomain: san,
  serviceCIDR: SANS_SPEC.serviceCIDR,
  disableEtcd: is.boolean,
  now: is.date,
  renewWithinDays: is.nonNegative,
  leafDays: days,
  regenerateCAs: is.either(is.boolean, is.arrayOf(is.oneOf(...CA_NAMES))),
  apiServerPort: is.port,
  onEvent: is.function,
  signal: is.signal,
};

/** The directories under `<dataDir>/server/tls` K3s keeps its PKI in. */
const TLS_SUBDIRS = ["etcd", "kube-scheduler", "kube-controller-manager", "temporary-certs"] as const;

async function ensure(options: EnsureServerCertificatesOptions): Promise<CertReport> {
  // Every path is checked (phase 0) and every directory made (phase 2) once for the whole run, and
  // each directory is fsynced once when the run ends, not once per file (~40 files; issue 17).
  const batch: WriteBatch = { directoriesSynced: new Set() };
  try {
    return await ensureIn(options, batch);
  } finally {
    await syncDirs(batch.directoriesSynced);
  }
}

async function ensureIn(options: EnsureServerCertificatesOptions, batch: WriteBatch): Promise<CertReport> {
  const { dataDir, signal, onEvent } = options;
  const now = options.now ?? new Date();
  const renewWithinDays = options.renewWithinDays ?? DEFAULT_RENEW_WITHIN_DAYS;
  const port = options.apiServerPort ?? 6443;
  const sans = sanListOf({
    nodeName: options.nodeName,
    ...(options.sans ? { tlsSans: options.sans } : {}),
    ...(options.nodeIPs ? { nodeIPs: options.nodeIPs } : {}),
    ...(options.nodeExternalIPs ? { nodeExternalIPs: options.nodeExternalIPs } : {}),
    ...(options.hostname ? { hostname: options.hostname } : {}),
    ...(options.serviceCIDR ? { serviceCIDR: options.serviceCIDR } : {}),
    ...(options.advertiseIP ? { advertiseIP: options.advertiseIP } : {}),
  });
  const leaves = leafSpecs({
    sans,
    clusterDomain: options.clusterDomain ?? "cluster.local",
    disableEtcd: options.disableEtcd ?? false,
  });
  const layout = k3sLayout(dataDir);
  const root = layout.dataDir;
  const tls = layout.server.tlsDir;
  const p = (rel: string): string => confineRelative(tls, rel);
  const serverPath = (rel: string): string => confineRelative(layout.server.dir, rel);
  signal?.throwIfAborted();

  // --- Phase 0: containment and leftovers. No directory or file this run writes may sit behind a link
  // leading out of the data dir (PATH_UNSAFE before the first write); then the temp files a killed run left
  // in those directories (they may hold complete keys) are removed.
  const dirs = [layout.server.dir, tls, ...TLS_SUBDIRS.map(p), layout.server.credDir];
  const files = [
    ...SERVER_CAS.flatMap((c) => [c.cert, c.key, ...(c.nochain ? [c.nochain] : [])]),
    ...leaves.flatMap((l) => [l.cert, l.key]),
    ...LEGACY_SHARED_KEYS,
    ...LEGACY_REMOVED_CERTS,
    "service.key",
    "service.current.key",
  ].map(p);
  const kubeconfigs = leaves.flatMap((l) => (l.kubeconfig ? [serverPath(l.kubeconfig)] : []));
  await assertAllInside(root, [...dirs, ...files, ...kubeconfigs]);
  await Promise.all(dirs.map((d) => removeStaleTemps(d)));

  // The slow RSA key goes to the thread pool first so it overlaps the ECDSA work: a synchronous
  // existence check (one stat) starts it before the first asynchronous read returns.
  const serviceKeyPath = p("service.key");
  let rsaPending = existsSync(serviceKeyPath) ? undefined : generateRsaKeyPem();
  // An unhandled rejection must not escape when we throw before awaiting it.
  rsaPending?.catch(() => {});
  const currentKeyRead = readIfExists(p("service.current.key"));
  currentKeyRead.catch(() => {});
  const existingServiceKey = await readIfExists(serviceKeyPath);
  // Created between the stat and the read: keep it (the generated key is then unused).
  if (existingServiceKey !== undefined) rsaPending = undefined;
  else rsaPending ??= generateRsaKeyPem();
  rsaPending?.catch(() => {});
  const existingCurrent =
    existingServiceKey === undefined ? undefined : firstKeyPem(existingServiceKey, serviceKeyPath);

  const entries: CertReportEntry[] = [];
  const record = (
    file: string,
    kind: CertReportEntry["kind"],
    action: CertReportEntry["action"],
    reasons: RenewReason[] = [],
  ): void => {
    entries.push({ file, kind, action, reasons });
    emit(onEvent, { type: `certs.${action}` as CertEvent["type"], file, reasons });
  };

  // --- Phase 1: read and validate everything before the first write, so bad input never half-applies ---
  const regen = options.regenerateCAs;
  const caState = await Promise.all(
    SERVER_CAS.map(async (spec) => {
      const [crt, key] = await Promise.all([readIfExists(p(spec.cert)), readIfExists(p(spec.key))]);
      const forced = regen === true || (Array.isArray(regen) && regen.includes(spec.name));
      let loaded: CertificateAuthority | undefined;
      if (forced) {
        // replaced below; its current files are not validated
      } else if (crt !== undefined && key !== undefined) {
        loaded = readCA(crt, key, { certFile: p(spec.cert), keyFile: p(spec.key) });
      } else if (crt !== undefined) {
        throw new CertError(
          "CERT_CA_KEY_MISSING",
          `${p(spec.key)} is missing for the existing CA ${p(spec.cert)}; restore it or regenerate the CA`,
          {
            value: p(spec.key),
          },
        );
      } else if (key !== undefined) {
        keyOrThrow(key, p(spec.key));
      }
      return { spec, key, forced, loaded };
    }),
  );
  const leafState = await Promise.all(
    leaves.map(async (spec) => {
      const [crt, key] = await Promise.all([readIfExists(p(spec.cert)), readIfExists(p(spec.key))]);
      const existing =
        crt === undefined
          ? undefined
          : parseDer(derCerts(crt, p(spec.cert))[0] as Buffer, p(spec.cert));
      const keyPoint = key === undefined ? undefined : parseEcKey(key, p(spec.key)).point;
      return { spec, key, existing, keyPoint };
    }),
  );
  signal?.throwIfAborted();

  // --- Phase 2: directories, legacy cleanup, CAs (§1.3: created only when missing; never renewed automatically) ---
  await ensureDir(layout.server.dir, 0o700, root);
  await ensureDir(tls, 0o700, root);
  await Promise.all(TLS_SUBDIRS.map((d) => ensureDir(p(d), 0o700, root)));
  await ensureDir(layout.server.credDir, 0o700, root);
  for (const legacy of LEGACY_REMOVED_CERTS) await removeFile(p(legacy));
  const cas = new Map<ServerCAName, { ca: CertificateAuthority; regenerated: boolean }>();
  const stamp = Math.floor(now.getTime() / 1000);
  await Promise.all(
    caState.map(async ({ spec, key, forced, loaded }) => {
      let ca: CertificateAuthority;
      if (loaded) {
        ca = loaded;
        record(spec.cert, "ca", "kept");
      } else if (forced) {
        ca = makeCA({ commonName: `${spec.prefix}-ca@${stamp}`, now });
        // Key first: a crash in between leaves a key without a cert, which the next run completes.
        await writeKey(p(spec.key), ca.keyPem, root, signal, batch);
        await writeCert(p(spec.cert), ca.certPem, root, signal, batch);
        record(spec.cert, "ca", "renewed");
      } else {
        // Like LoadOrGenerateKeyFile: an existing key is reused, so a run interrupted after the key write resumes.
        ca = makeCA({
          commonName: `${spec.prefix}-ca@${stamp}`,
          now,
          ...(key !== undefined ? { keyPem: key } : {}),
        });
        if (key === undefined) await writeKey(p(spec.key), ca.keyPem, root, signal, batch);
        await writeCert(p(spec.cert), ca.certPem, root, signal, batch);
        record(spec.cert, "ca", "created", ["missing"]);
      }
      if (spec.nochain) {
        const first = toPem("CERTIFICATE", derCerts(ca.bundlePem, p(spec.cert))[0] as Buffer);
        if ((await readIfExists(p(spec.nochain))) !== first) await writeCert(p(spec.nochain), first, root, signal, batch);
      }
      cas.set(spec.name, { ca, regenerated: !loaded });
    }),
  );

  // --- Phase 3: leaves ---
  const serverCA = cas.get("server")?.ca;
  await Promise.all(
    leafState.map(async ({ spec, key, existing, keyPoint }) => {
      const entry = cas.get(spec.ca);
      if (!entry) throw new CertError("CERT_CA_INVALID", `no CA ${spec.ca}`, { value: spec.ca });
      const keyMatches = keyPoint !== undefined && (!existing || p256Spki(keyPoint).equals(existing.spki));
      const decision = decide({
        ...(existing ? { existing } : {}),
        keyMatches,
        want: spec,
        ca: entry.ca.info,
        caRegenerated: entry.regenerated,
        now,
        renewWithinDays,
      });
      if (decision.action === "keep") {
        record(spec.cert, "leaf", "kept");
        if (spec.kubeconfig && (await readIfExists(serverPath(spec.kubeconfig))) === undefined)
          await writeKc(spec);
        return;
      }
      // A missing cert with an intact key reuses the key (K3s loads it unless regen); renewals rotate it.
      const reuseKey = decision.action === "create" && key !== undefined && !entry.regenerated;
      const leaf = makeLeaf(entry.ca, {
        commonName: spec.commonName,
        organization: spec.organization,
        usage: spec.usage,
        altNames: spec.altNames,
        now,
        ...(options.leafDays !== undefined ? { days: options.leafDays } : {}),
        ...(reuseKey ? { keyPem: key } : {}),
      });
      if (!reuseKey) await writeKey(p(spec.key), leaf.keyPem, root, signal, batch);
      await writeCert(p(spec.cert), leaf.certPem, root, signal, batch);
      record(spec.cert, "leaf", decision.action === "create" ? "created" : "renewed", decision.reasons);
      if (spec.kubeconfig) await writeKc(spec);
    }),
  );

  async function writeKc(spec: LeafSpec): Promise<void> {
    if (!spec.kubeconfig || !serverCA) return;
    const host = sans.includes("::1") && (options.serviceCIDR ?? "").includes(":") ? "[::1]" : "127.0.0.1";
    const text = renderKubeconfig({
      server: `https://${host}:${port}`,
      caFile: p("server-ca.crt"),
      certFile: p(spec.cert),
      keyFile: p(spec.key),
    });
    await writeSecretFile(serverPath(spec.kubeconfig), text, root, signal, batch);
  }

  // --- legacy shared keys (kept for agents that send no CSR) ---
  await Promise.all(
    LEGACY_SHARED_KEYS.map(async (rel) => {
      if ((await readIfExists(p(rel))) !== undefined) return;
      await writeKey(p(rel), generateEcKey().keyPem, root, signal, batch);
      record(rel, "key", "created", ["missing"]);
    }),
  );

  // --- service account key: RSA-2048, created once, never regenerated ---
  // service.current.key was read at the start; both keys are written at once when the RSA key lands.
  let serviceKey = existingServiceKey;
  if (rsaPending) serviceKey = await rsaPending;
  const current = existingCurrent ?? firstKeyPem(serviceKey ?? "", serviceKeyPath);
  const writeCurrent = (await currentKeyRead) !== current;
  await Promise.all([
    rsaPending ? writeKey(serviceKeyPath, serviceKey as string, root, signal, batch) : undefined,
    writeCurrent ? writeKey(p("service.current.key"), current, root, signal, batch) : undefined,
  ]);
  if (rsaPending) record("service.key", "key", "created", ["missing"]);
  else record("service.key", "key", "kept");

  const pick = (a: CertReportEntry["action"]): string[] =>
    entries.filter((e) => e.action === a && e.kind !== "key").map((e) => e.file);
  return { tlsDir: tls, created: pick("created"), renewed: pick("renewed"), kept: pick("kept"), entries };
}

function keyOrThrow(pem: string, file: string): string {
  parseEcKey(pem, file);
  return pem;
}

/** The first private key of a PEM file, re-marshalled as PKCS#1 (`service.current.key`). */
function firstKeyPem(text: string, file: string): string {
  const m = /-----BEGIN ([A-Z ]*PRIVATE KEY)-----[\s\S]*?-----END \1-----/.exec(text);
  if (!m) throw new CertError("CERT_KEY_INVALID", `${file}: no private key found`, { value: file });
  try {
    const key = createPrivateKey(m[0]);
    if (key.asymmetricKeyType === "rsa") return key.export({ type: "pkcs1", format: "pem" }) as string;
    return key.export({ type: "pkcs8", format: "pem" }) as string;
  } catch (cause) {
    throw new CertError("CERT_KEY_INVALID", `${file}: not a readable private key`, { value: file, cause });
  }
}

import { createHash, X509Certificate } from "node:crypto";
import { lstat, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type CertEvent,
  checkCertificates,
  ensureAgentCertificates,
  ensureServerCertificates,
  formatCertificateCheck,
  generateCustomCA,
  parseCertificate,
  certificateDers,
  rotateCertificates,
  validateCARotation,
  writeKubeconfig,
} from "../../../src/certs/index.js";
import { isKitError } from "../../../src/errors/index.js";
import { caHash, generateServerToken, parseToken } from "../../../src/tokens/index.js";
import { tempDir } from "../../helpers/tmp.js";

const DAY = 86_400_000;
const T0 = new Date("2026-01-01T00:00:00Z");
let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir("k3s-certs-"));
});
afterEach(() => cleanup());

const tls = (rel = "") => join(dir, "server", "tls", rel);
const base = () => ({
  dataDir: dir,
  nodeName: "node-1",
  sans: ["k3s.example.com"],
  nodeIPs: ["10.0.0.5"],
  now: T0,
});
const leafOf = async (rel: string) =>
  parseCertificate(certificateDers(await readFile(tls(rel), "utf8"))[0] as Buffer);

async function rejection(p: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return { ...(isKitError(e) ? { code: e.code } : {}), message: String((e as Error).message) };
  }
  throw new Error("expected a rejection");
}

async function allFiles(d: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(d, { withFileTypes: true })) {
    const rel = prefix + e.name;
    if (e.isDirectory()) out.push(...(await allFiles(join(d, e.name), `${rel}/`)));
    else out.push(rel);
  }
  return out.sort();
}

describe("ensureServerCertificates: layout (§1.2)", () => {
  it("writes every file of the K3s table with the right modes", async () => {
    const events: CertEvent[] = [];
    const r = await ensureServerCertificates({ ...base(), onEvent: (e) => events.push(e) });
    const files = await allFiles(tls());
    const want = [
      "client-ca.crt",
      "client-ca.key",
      "server-ca.crt",
      "server-ca.key",
      "request-header-ca.crt",
      "request-header-ca.key",
      "etcd/server-ca.crt",
      "etcd/server-ca.key",
      "etcd/peer-ca.crt",
      "etcd/peer-ca.key",
      "client-ca.nochain.crt",
      "server-ca.nochain.crt",
      "client-admin.crt",
      "client-admin.key",
      "client-supervisor.crt",
      "client-supervisor.key",
      "client-controller.crt",
      "client-controller.key",
      "client-scheduler.crt",
      "client-scheduler.key",
      "client-kube-apiserver.crt",
      "client-kube-apiserver.key",
      "client-k3s-cloud-controller.crt",
      "client-k3s-cloud-controller.key",
      "client-kube-proxy.key",
      "client-k3s-controller.key",
      "client-kubelet.key",
      "serving-kubelet.key",
      "serving-kube-apiserver.crt",
      "serving-kube-apiserver.key",
      "kube-scheduler/kube-scheduler.crt",
      "kube-scheduler/kube-scheduler.key",
      "kube-controller-manager/kube-controller-manager.crt",
      "kube-controller-manager/kube-controller-manager.key",
      "client-auth-proxy.crt",
      "client-auth-proxy.key",
      "etcd/client.crt",
      "etcd/client.key",
      "etcd/peer-server-client.crt",
      "etcd/peer-server-client.key",
      "etcd/server-client.crt",
      "etcd/server-client.key",
      "service.key",
      "service.current.key",
    ].sort();
    expect(files).toEqual(want);
    expect(r.created).toHaveLength(18);
    expect(events.filter((e) => e.type === "certs.created").length).toBeGreaterThanOrEqual(18);
    for (const f of files) {
      const mode = (await stat(tls(f))).mode & 0o777;
      expect(mode, f).toBe(f.endsWith(".key") ? 0o600 : 0o644);
    }
    for (const d of ["", "etcd", "kube-scheduler", "kube-controller-manager", "temporary-certs"])
      expect((await stat(tls(d))).mode & 0o777, d).toBe(0o700);
    // CA names, subjects and SANs from the table
    const ca = await leafOf("server-ca.crt");
    expect(ca.commonName).toBe(`k3s-server-ca@${T0.getTime() / 1000}`);
    expect((await leafOf("etcd/peer-ca.crt")).commonName).toMatch(/^etcd-peer-ca@\d+$/);
    const admin = await leafOf("client-admin.crt");
    expect([admin.commonName, admin.organization]).toEqual(["system:admin", ["system:masters"]]);
    const api = await leafOf("serving-kube-apiserver.crt");
    expect(api.dnsNames).toEqual([
      "kubernetes",
      "kubernetes.default",
      "kubernetes.default.svc",
      "kubernetes.default.svc.cluster.local",
      "k3s.example.com",
      "localhost",
      "node-1",
    ]);
    expect(api.ipAddresses).toEqual(["127.0.0.1", "::1", "10.0.0.5", "10.43.0.1"]);
    expect((await leafOf("etcd/server-client.crt")).dnsNames[0]).toBe("kine.sock");
    // nochain = first cert of the CA file only; leaf files = leaf + CA
    expect(await readFile(tls("server-ca.nochain.crt"), "utf8")).toBe(
      await readFile(tls("server-ca.crt"), "utf8"),
    );
    expect(certificateDers(await readFile(tls("client-admin.crt"), "utf8"))).toHaveLength(2);
    expect(await readFile(tls("service.key"), "utf8")).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
    expect(await readFile(tls("service.current.key"), "utf8")).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
    const kc = await readFile(join(dir, "server", "cred", "admin.kubeconfig"), "utf8");
    expect(kc).toContain(`client-certificate: "${tls("client-admin.crt")}"`);
    expect((await stat(join(dir, "server", "cred", "admin.kubeconfig"))).mode & 0o777).toBe(0o600);
  });

  it("disableEtcd skips etcd/server-client and the legacy certs are removed", async () => {
    await ensureServerCertificates({ ...base(), disableEtcd: true });
    await expect(stat(tls("etcd/server-client.crt"))).rejects.toThrow();
    await writeFile(tls("client-kube-proxy.crt"), "legacy");
    await ensureServerCertificates({ ...base(), disableEtcd: true });
    await expect(stat(tls("client-kube-proxy.crt"))).rejects.toThrow();
    expect((await stat(tls("client-kube-proxy.key"))).isFile()).toBe(true);
  });
});

describe("ensureServerCertificates: renewal (§1.3) with an injected clock", () => {
  it("keeps everything on a second run", async () => {
    await ensureServerCertificates(base());
    const before = await readFile(tls("client-admin.key"), "utf8");
    const r = await ensureServerCertificates({ ...base(), now: new Date(T0.getTime() + 100 * DAY) });
    expect(r.created).toEqual([]);
    expect(r.renewed).toEqual([]);
    expect(r.kept).toHaveLength(18);
    expect(await readFile(tls("client-admin.key"), "utf8")).toBe(before);
  });

  it("crosses the 90-day window: 276 days later kept, 275.x days later renewed with a new key, CAs untouched", async () => {
    await ensureServerCertificates(base());
    const caKey = await readFile(tls("server-ca.key"), "utf8");
    const caCrt = await readFile(tls("server-ca.crt"), "utf8");
    const notAfter = (await leafOf("client-admin.crt")).notAfter.getTime();
    const oldKey = await readFile(tls("client-admin.key"), "utf8");
    const keep = await ensureServerCertificates({ ...base(), now: new Date(notAfter - 91 * DAY) });
    expect(keep.renewed).toEqual([]);
    const renew = await ensureServerCertificates({ ...base(), now: new Date(notAfter - 90 * DAY) });
    expect(renew.renewed).toHaveLength(13);
    expect(renew.entries.find((e) => e.file === "client-admin.crt")?.reasons).toEqual(["expiring"]);
    expect(await readFile(tls("client-admin.key"), "utf8")).not.toBe(oldKey);
    expect((await leafOf("client-admin.crt")).notAfter.getTime()).toBeGreaterThan(notAfter);
    expect(await readFile(tls("server-ca.key"), "utf8")).toBe(caKey);
    expect(await readFile(tls("server-ca.crt"), "utf8")).toBe(caCrt);
  });

  it("renewWithinDays: 120 (the K3s source) renews where 90 keeps", async () => {
    await ensureServerCertificates(base());
    const notAfter = (await leafOf("client-admin.crt")).notAfter.getTime();
    const at = new Date(notAfter - 100 * DAY);
    expect((await ensureServerCertificates({ ...base(), now: at })).renewed).toEqual([]);
    expect(
      (await ensureServerCertificates({ ...base(), now: at, renewWithinDays: 120 })).renewed,
    ).toHaveLength(13);
  });

  it("a new SAN regenerates only the certs carrying the SAN list; a removed SAN keeps them", async () => {
    await ensureServerCertificates(base());
    const r = await ensureServerCertificates({ ...base(), sans: ["k3s.example.com", "foo.example"] });
    expect(r.renewed.sort()).toEqual([
      "etcd/peer-server-client.crt",
      "etcd/server-client.crt",
      "serving-kube-apiserver.crt",
    ]);
    expect((await leafOf("serving-kube-apiserver.crt")).dnsNames).toContain("foo.example");
    const back = await ensureServerCertificates(base());
    expect(back.renewed).toEqual([]);
  });

  it("regenerateCAs renews that CA and every leaf it signed, nothing else", async () => {
    await ensureServerCertificates(base());
    const clientKey = await readFile(tls("client-ca.key"), "utf8");
    const oldServerKey = await readFile(tls("server-ca.key"), "utf8");
    const r = await ensureServerCertificates({ ...base(), regenerateCAs: ["server"] });
    expect(r.renewed.sort()).toEqual([
      "kube-controller-manager/kube-controller-manager.crt",
      "kube-scheduler/kube-scheduler.crt",
      "server-ca.crt",
      "serving-kube-apiserver.crt",
    ]);
    expect(await readFile(tls("server-ca.key"), "utf8")).not.toBe(oldServerKey);
    expect(await readFile(tls("client-ca.key"), "utf8")).toBe(clientKey);
  });

  it("a CA cert lost while its key survives is re-created with the same key; leaves follow (issuer changed)", async () => {
    await ensureServerCertificates(base());
    const key = await readFile(tls("etcd/server-ca.key"), "utf8");
    await rm(tls("etcd/server-ca.crt"));
    const r = await ensureServerCertificates(base());
    expect(r.created).toEqual(["etcd/server-ca.crt"]);
    expect(r.renewed.sort()).toEqual(["etcd/client.crt", "etcd/server-client.crt"]);
    expect(await readFile(tls("etcd/server-ca.key"), "utf8")).toBe(key);
  });

  it("a leaf key that no longer matches its cert is renewed", async () => {
    await ensureServerCertificates(base());
    await writeFile(tls("client-admin.key"), await readFile(tls("client-scheduler.key"), "utf8"));
    const r = await ensureServerCertificates(base());
    expect(r.entries.find((e) => e.file === "client-admin.crt")).toMatchObject({
      action: "renewed",
      reasons: ["key-mismatch"],
    });
  });
});

describe("ensureServerCertificates: bad input → typed errors naming the file", () => {
  it("CA missing its key", async () => {
    await ensureServerCertificates(base());
    await rm(tls("client-ca.key"));
    const e = await rejection(ensureServerCertificates(base()));
    expect(e.code).toBe("CERT_CA_KEY_MISSING");
    expect(e.message).toContain(tls("client-ca.key"));
    // and nothing was overwritten
    expect((await stat(tls("client-ca.crt"))).isFile()).toBe(true);
  });
  it("corrupt PEM", async () => {
    await ensureServerCertificates(base());
    await writeFile(
      tls("etcd/peer-ca.crt"),
      "-----BEGIN CERTIFICATE-----\nMIIBnotreally\n-----END CERTIFICATE-----\n",
    );
    const e = await rejection(ensureServerCertificates(base()));
    expect(e.code).toBe("CERT_PEM_INVALID");
    expect(e.message).toContain(tls("etcd/peer-ca.crt"));
    await writeFile(tls("etcd/peer-ca.crt"), "garbage");
    expect((await rejection(ensureServerCertificates(base()))).code).toBe("CERT_PEM_INVALID");
  });
  it("CA key that does not match", async () => {
    await ensureServerCertificates(base());
    await writeFile(tls("server-ca.key"), await readFile(tls("client-ca.key"), "utf8"));
    const e = await rejection(ensureServerCertificates(base()));
    expect(e.code).toBe("CERT_KEY_MISMATCH");
    expect(e.message).toContain(tls("server-ca.key"));
  });
  it("corrupt leaf key", async () => {
    await ensureServerCertificates(base());
    await writeFile(
      tls("etcd/client.key"),
      "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n",
    );
    const e = await rejection(ensureServerCertificates(base()));
    expect(e.code).toBe("CERT_KEY_INVALID");
    expect(e.message).toContain(tls("etcd/client.key"));
  });
  it("a bad leaf file is reported before anything is written (no half-applied run)", async () => {
    await ensureServerCertificates(base());
    await writeFile(tls("etcd/client.crt"), "garbage");
    const before = await readFile(tls("serving-kube-apiserver.crt"), "utf8");
    // A new SAN would renew serving-kube-apiserver; the corrupt file must stop the run first.
    const e = await rejection(ensureServerCertificates({ ...base(), sans: ["new.example"] }));
    expect(e.code).toBe("CERT_PEM_INVALID");
    expect(e.message).toContain(tls("etcd/client.crt"));
    expect(await readFile(tls("serving-kube-apiserver.crt"), "utf8")).toBe(before);
  });
  it("a corrupt service.key is reported, never replaced", async () => {
    await ensureServerCertificates(base());
    await writeFile(
      tls("service.key"),
      "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n",
    );
    const e = await rejection(ensureServerCertificates(base()));
    expect(e.code).toBe("CERT_KEY_INVALID");
    expect(e.message).toContain(tls("service.key"));
  });
  it("an aborted signal stops before anything is written", async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(ensureServerCertificates({ ...base(), signal: ac.signal })).rejects.toMatchObject({
      name: "AbortError",
    });
    await expect(stat(tls())).rejects.toThrow();
  });
  it("bad options", async () => {
    expect((await rejection(ensureServerCertificates({ ...base(), nodeName: "" }))).code).toBe(
      "CERT_OPTION_INVALID",
    );
    expect((await rejection(ensureServerCertificates({ ...base(), serviceCIDR: "10.43.0.0" }))).code).toBe(
      "CERT_OPTION_INVALID",
    );
    expect((await rejection(ensureServerCertificates({ ...base(), renewWithinDays: -1 }))).code).toBe(
      "CERT_OPTION_INVALID",
    );
  });
});

describe("check, rotate, agent, custom CA, kubeconfig, tokens", () => {
  it("checkCertificates reports every cert in the files; WARNING inside the window", async () => {
    await ensureServerCertificates(base());
    const entries = await checkCertificates(dir, { now: T0 });
    expect(entries.filter((e) => e.index === 0)).toHaveLength(13);
    expect(entries.every((e) => e.status === "OK")).toBe(true);
    const later = await checkCertificates(dir, {
      now: new Date(T0.getTime() + 300 * DAY),
      services: ["admin"],
    });
    expect(later.map((e) => [e.subject, e.status])).toEqual([
      ["system:admin", "WARNING"],
      [`k3s-client-ca@${T0.getTime() / 1000}`, "OK"],
    ]);
    expect(await formatCertificateCheck(later, "table")).toContain("WARNING");
    expect(await formatCertificateCheck(later, "text", { warnWithinDays: 90 })).toContain(
      "client-admin.crt: certificate system:admin (ClientAuth) will expire within 90 days at",
    );
  });

  it("rotateCertificates backs up to tls-<unix>, removes the files, and ensure re-issues them", async () => {
    await ensureServerCertificates(base());
    const oldKey = await readFile(tls("serving-kube-apiserver.key"), "utf8");
    const at = new Date(T0.getTime() + 5 * DAY);
    const r = await rotateCertificates(dir, { services: ["api-server", "k3s-server"], now: at });
    expect(r.backupDir).toBe(join(dir, "server", `tls-${at.getTime() / 1000}`));
    expect(await readFile(join(r.backupDir, "serving-kube-apiserver.key"), "utf8")).toBe(oldKey);
    expect((await stat(r.backupDir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(r.backupDir, "serving-kube-apiserver.key"))).mode & 0o777).toBe(0o600);
    expect(r.removed.sort()).toEqual([
      tls("client-kube-apiserver.crt"),
      tls("client-kube-apiserver.key"),
      tls("serving-kube-apiserver.crt"),
      tls("serving-kube-apiserver.key"),
    ]);
    expect((await stat(tls("dynamic-cert-regenerate"))).isFile()).toBe(true);
    const again = await ensureServerCertificates({ ...base(), now: at });
    expect(again.created.sort()).toEqual(["client-kube-apiserver.crt", "serving-kube-apiserver.crt"]);
    expect(await readFile(tls("serving-kube-apiserver.key"), "utf8")).not.toBe(oldKey);
    expect((await rejection(rotateCertificates(dir, { services: ["certificate-authority"] }))).message).toBe(
      "service certificate-authority is not recognized",
    );
  });

  it("ensureAgentCertificates issues the four agent certs via CSR", async () => {
    await ensureServerCertificates(base());
    const r = await ensureAgentCertificates({
      dataDir: dir,
      nodeName: "node-1",
      nodeIPs: ["10.0.0.5"],
      now: T0,
    });
    expect(r.issued).toEqual([
      "client-kubelet.crt",
      "serving-kubelet.crt",
      "client-kube-proxy.crt",
      "client-k3s-controller.crt",
    ]);
    const read = async (f: string) =>
      parseCertificate(certificateDers(await readFile(join(dir, "agent", f), "utf8"))[0] as Buffer);
    expect((await read("client-kubelet.crt")).commonName).toBe("system:node:node-1");
    expect((await read("client-kubelet.crt")).organization).toEqual(["system:nodes"]);
    const serving = await read("serving-kubelet.crt");
    expect(serving.dnsNames).toEqual(["node-1", "localhost"]);
    expect(serving.ipAddresses).toEqual(["127.0.0.1", "::1", "10.0.0.5"]);
    expect((await stat(join(dir, "agent", "server-ca.crt"))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, "agent", "client-kubelet.key"))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(dir, "agent", "kubelet.kubeconfig"), "utf8")).toContain("client-kubelet.crt");
    // re-issued on every call (§1.4)
    const first = await readFile(join(dir, "agent", "client-kubelet.key"), "utf8");
    await ensureAgentCertificates({ dataDir: dir, nodeName: "node-1", now: T0 });
    expect(await readFile(join(dir, "agent", "client-kubelet.key"), "utf8")).not.toBe(first);
    expect(
      (
        await rejection(
          ensureAgentCertificates({ dataDir: dir, nodeName: "node-1", nodeIPs: ["10.0.0.300"] }),
        )
      ).code,
    ).toBe("CERT_OPTION_INVALID");
    expect(
      (await checkCertificates(dir, { services: ["kubelet"], now: T0 })).map((e) => e.subject),
    ).toContain("system:node:node-1");
  });

  it("generateCustomCA + validateCARotation follow K3s's rules", async () => {
    const a = join(dir, "bundle-a");
    await generateCustomCA({ outDir: a, now: T0 });
    // A cluster running on bundle A
    const cluster = join(dir, "cluster");
    await ensureServerCertificates({ ...base(), dataDir: cluster });
    for (const f of ["server-ca", "client-ca", "request-header-ca", "etcd/server-ca", "etcd/peer-ca"]) {
      await writeFile(join(cluster, "server", "tls", `${f}.crt`), await readFile(join(a, "tls", `${f}.crt`)));
      await writeFile(join(cluster, "server", "tls", `${f}.key`), await readFile(join(a, "tls", `${f}.key`)));
    }
    const b = join(dir, "bundle-b");
    await generateCustomCA({ outDir: b, reuseRootFrom: a, currentDataDir: cluster, now: T0 });
    expect(await validateCARotation(cluster, b, { now: T0 })).toEqual({ errors: [], warnings: [] });
    // A bundle with a different root is refused, and --force downgrades to warnings
    const c = join(dir, "bundle-c");
    await generateCustomCA({ outDir: c, currentDataDir: cluster, now: T0 });
    const e = await rejection(validateCARotation(cluster, c, { now: T0 }));
    expect(e.code).toBe("CERT_ROTATION_INVALID");
    expect(e.message).toContain("does not chain");
    expect((await validateCARotation(cluster, c, { now: T0, force: true })).warnings.length).toBe(5);
    // A single-cert bundle is refused with K3s's message; a service.key without the old key too
    const d = join(dir, "bundle-d");
    await generateCustomCA({ outDir: d, reuseRootFrom: a, now: T0 });
    const single = `${(await readFile(join(d, "tls", "server-ca.crt"), "utf8")).split("-----END CERTIFICATE-----")[0]}-----END CERTIFICATE-----\n`;
    await writeFile(join(d, "tls", "server-ca.crt"), single);
    const e2 = await rejection(validateCARotation(cluster, d, { now: T0 }));
    expect(e2.message).toContain(
      "new CA bundle contains only a single certificate but should include root or intermediate CA certificates",
    );
    expect(e2.message).toContain("does not contain the current service account key");
    // Token hash stays the same across a same-root rotation (§2.2)
    const hashA = caHash(await readFile(join(a, "tls", "server-ca.crt")), { now: T0 });
    const hashB = caHash(await readFile(join(b, "tls", "server-ca.crt")), { now: T0 });
    expect(hashA).toBe(hashB);
    const rootDer = new X509Certificate(await readFile(join(a, "tls", "root-ca.pem"))).raw;
    expect(hashA).toBe(createHash("sha256").update(rootDer).digest("hex"));
  });

  it("writeKubeconfig and the token the facade needs", async () => {
    await ensureServerCertificates(base());
    const path = join(dir, "admin.kubeconfig");
    await writeKubeconfig(path, { caPem: "CA", certPem: "C", keyPem: "K", server: "https://10.0.0.5:6443" });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const kc = (await import("yaml")).parse(await readFile(path, "utf8"));
    expect(kc.clusters[0].cluster).toEqual({
      server: "https://10.0.0.5:6443",
      "certificate-authority-data": Buffer.from("CA").toString("base64"),
    });
    expect(
      (await rejection(writeKubeconfig(path, { caPem: "CA", certPem: "C", keyPem: "K", server: "http://x" })))
        .code,
    ).toBe("CERT_OPTION_INVALID");
    const { token, caHash: h } = await generateServerToken({ dataDir: dir });
    expect(parseToken(token).caHash).toBe(h);
    expect(h).toBe(caHash(await readFile(tls("server-ca.crt"))));
    expect(new X509Certificate(await readFile(tls("server-ca.crt"))).ca).toBe(true);
    expect((await lstat(join(dir, "server", "node-token"))).isSymbolicLink()).toBe(true);
  });
});

describe("generateClusterSeed (CAs + token before any server exists)", () => {
  it("seeded CAs are kept by ensureServerCertificates and the token's hash matches server-ca.crt", async () => {
    const { generateClusterSeed } = await import("../../../src/certs/index.js");
    const seed = generateClusterSeed({ now: T0 });
    expect(seed.files.map((f) => f.path).sort()).toEqual(
      ["client-ca", "server-ca", "request-header-ca", "etcd/server-ca", "etcd/peer-ca"]
        .flatMap((n) => [`${n}.crt`, `${n}.key`])
        .sort(),
    );
    const { mkdir } = await import("node:fs/promises");
    for (const f of seed.files) {
      await mkdir(join(tls(f.path), ".."), { recursive: true });
      await writeFile(tls(f.path), f.content, { mode: f.mode });
    }
    const r = await ensureServerCertificates(base());
    expect(r.entries.filter((e) => e.kind === "ca").map((e) => e.action)).toEqual([
      "kept",
      "kept",
      "kept",
      "kept",
      "kept",
    ]);
    expect(r.created).toHaveLength(13);
    expect(parseToken(seed.token).caHash).toBe(seed.caHash);
    const { token, caHash: h } = await generateServerToken({ dataDir: dir, token: seed.token });
    expect(h).toBe(seed.caHash);
    expect(token).toBe(seed.token);
  });
});

/**
 * Every generated chain checked by independent implementations: OpenSSL (`verify -x509_strict -purpose`),
 * Go's crypto/x509 (parse + Verify with key usages; catches mis-tagged strings OpenSSL accepts) and a real
 * TLS handshake with mutual auth.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readFile, readdir, writeFile } from "node:fs/promises";
import { connect, createServer, type Server } from "node:tls";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createCA,
  ensureAgentCertificates,
  ensureServerCertificates,
  generateCustomCA,
  loadCA,
  signLeaf,
} from "../../../src/certs/index.js";
import { buildGo } from "../../helpers/go.js";
import { tempDir } from "../../helpers/tmp.js";

let dir: string;
let cleanup: () => Promise<void>;
let oracle: string;
const tls = (rel: string) => join(dir, "server", "tls", rel);

/** [cert file, CA file, usage] for every leaf of the server and agent layouts (§1.2, §1.4). */
const LEAVES: Array<[string, string, "client" | "server" | "both"]> = [
  ["client-admin.crt", "client-ca.crt", "client"],
  ["client-supervisor.crt", "client-ca.crt", "client"],
  ["client-controller.crt", "client-ca.crt", "client"],
  ["client-scheduler.crt", "client-ca.crt", "client"],
  ["client-kube-apiserver.crt", "client-ca.crt", "client"],
  ["client-k3s-cloud-controller.crt", "client-ca.crt", "client"],
  ["serving-kube-apiserver.crt", "server-ca.crt", "server"],
  ["kube-scheduler/kube-scheduler.crt", "server-ca.crt", "server"],
  ["kube-controller-manager/kube-controller-manager.crt", "server-ca.crt", "server"],
  ["client-auth-proxy.crt", "request-header-ca.crt", "client"],
  ["etcd/client.crt", "etcd/server-ca.crt", "client"],
  ["etcd/peer-server-client.crt", "etcd/peer-ca.crt", "both"],
  ["etcd/server-client.crt", "etcd/server-ca.crt", "both"],
];
const AGENT: Array<[string, string, "client" | "server"]> = [
  ["client-kubelet.crt", "client-ca.crt", "client"],
  ["serving-kubelet.crt", "server-ca.crt", "server"],
  ["client-kube-proxy.crt", "client-ca.crt", "client"],
  ["client-k3s-controller.crt", "client-ca.crt", "client"],
];

interface OracleResult {
  cert: string;
  certs: number;
  ok: boolean;
  error?: string;
}
function goCheck(
  checks: Array<{
    cert: string;
    ca?: string;
    usage?: string;
    dns?: string;
    time?: string;
    caKey?: string;
    rebuild?: boolean;
  }>,
): OracleResult[] {
  const out = execFileSync(oracle, { input: JSON.stringify(checks), encoding: "utf8" });
  return JSON.parse(out) as OracleResult[];
}

function opensslVerify(
  ca: string,
  cert: string,
  purpose?: string,
  extra: string[] = [],
): { ok: boolean; out: string } {
  const args = [
    "verify",
    "-x509_strict",
    ...(purpose ? ["-purpose", purpose] : []),
    "-CAfile",
    ca,
    ...extra,
    cert,
  ];
  const r = spawnSync("openssl", args, { encoding: "utf8" });
  return { ok: r.status === 0, out: `${r.stdout}${r.stderr}` };
}

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir("k3s-oracle-"));
  oracle = buildGo("test/integration/certs/go-oracle/main.go", "certs-oracle");
  await ensureServerCertificates({
    dataDir: dir,
    nodeName: "node-1",
    sans: ["k3s.example.com", "2001:db8::10"],
    nodeIPs: ["10.0.0.5"],
  });
  await ensureAgentCertificates({ dataDir: dir, nodeName: "node-1", nodeIPs: ["10.0.0.5"] });
});
afterAll(() => cleanup());

describe("OpenSSL verify -x509_strict", () => {
  it.each(LEAVES)("%s chains to %s for its purpose", (cert, ca, usage) => {
    const purposes =
      usage === "both" ? ["sslserver", "sslclient"] : [usage === "server" ? "sslserver" : "sslclient"];
    for (const p of purposes) {
      const r = opensslVerify(tls(ca), tls(cert), p);
      expect(r.ok, r.out).toBe(true);
    }
  });
  it.each(AGENT)("agent %s", (cert, ca, usage) => {
    const r = opensslVerify(
      tls(ca),
      join(dir, "agent", cert),
      usage === "server" ? "sslserver" : "sslclient",
    );
    expect(r.ok, r.out).toBe(true);
  });
  it("CAs are self-signed, strict-valid", () => {
    for (const ca of [
      "client-ca.crt",
      "server-ca.crt",
      "request-header-ca.crt",
      "etcd/server-ca.crt",
      "etcd/peer-ca.crt",
    ]) {
      const r = opensslVerify(tls(ca), tls(ca));
      expect(r.ok, r.out).toBe(true);
    }
  });
  it("refuses a client cert for server use (the oracle can fail)", () => {
    expect(opensslVerify(tls("client-ca.crt"), tls("client-admin.crt"), "sslserver").ok).toBe(false);
    expect(opensslVerify(tls("server-ca.crt"), tls("client-admin.crt"), "sslclient").ok).toBe(false);
  });
});

describe("Go crypto/x509 oracle", () => {
  it("parses every certificate file in the server and agent layouts", async () => {
    const files: string[] = [];
    const walk = async (d: string): Promise<void> => {
      for (const e of await readdir(d, { withFileTypes: true })) {
        const p = join(d, e.name);
        if (e.isDirectory()) await walk(p);
        else if (e.name.endsWith(".crt")) files.push(p);
      }
    };
    await walk(join(dir, "server", "tls"));
    await walk(join(dir, "agent"));
    expect(files.length).toBe(13 + 7 + 6);
    for (const r of goCheck(files.map((cert) => ({ cert })))) expect(r, r.cert).toMatchObject({ ok: true });
  });

  it("verifies every chain with its key usages and host names", () => {
    const checks = [
      ...LEAVES.map(([cert, ca, usage]) => ({ cert: tls(cert), ca: tls(ca), usage })),
      ...AGENT.map(([cert, ca, usage]) => ({ cert: join(dir, "agent", cert), ca: tls(ca), usage })),
      {
        cert: tls("serving-kube-apiserver.crt"),
        ca: tls("server-ca.crt"),
        usage: "server",
        dns: "kubernetes.default.svc.cluster.local",
      },
      {
        cert: tls("serving-kube-apiserver.crt"),
        ca: tls("server-ca.crt"),
        usage: "server",
        dns: "k3s.example.com",
      },
      { cert: tls("etcd/server-client.crt"), ca: tls("etcd/server-ca.crt"), usage: "both", dns: "kine.sock" },
      {
        cert: join(dir, "agent", "serving-kubelet.crt"),
        ca: tls("server-ca.crt"),
        usage: "server",
        dns: "node-1",
      },
    ];
    for (const r of goCheck(checks)) expect(r, r.cert).toMatchObject({ ok: true });
  });

  it("every TBSCertificate is byte-identical to what Go's x509.CreateCertificate builds from the same fields", async () => {
    const caKey = (ca: string) => tls(ca.replace(/\.crt$/, ".key"));
    const cas = [
      "client-ca.crt",
      "server-ca.crt",
      "request-header-ca.crt",
      "etcd/server-ca.crt",
      "etcd/peer-ca.crt",
    ];
    const checks = [
      ...cas.map((ca) => ({ cert: tls(ca), caKey: caKey(ca), rebuild: true })),
      ...LEAVES.map(([cert, ca]) => ({ cert: tls(cert), ca: tls(ca), caKey: caKey(ca), rebuild: true })),
      ...AGENT.map(([cert, ca]) => ({
        cert: join(dir, "agent", cert),
        ca: tls(ca),
        caKey: caKey(ca),
        rebuild: true,
      })),
    ];
    const results = goCheck(checks);
    expect(results).toHaveLength(5 + 13 + 4);
    for (const r of results) expect(r, r.cert).toMatchObject({ ok: true });
    // The check can fail: a cert whose issuer key is not the one that signed it gets a different AKID.
    const [wrong] = goCheck([
      {
        cert: tls("client-admin.crt"),
        ca: tls("server-ca.crt"),
        caKey: caKey("server-ca.crt"),
        rebuild: true,
      },
    ]);
    expect(wrong?.ok).toBe(false);
  });

  it("rejects wrong usages, wrong CAs and an expired clock", () => {
    const bad = goCheck([
      { cert: tls("client-admin.crt"), ca: tls("client-ca.crt"), usage: "server" },
      { cert: tls("serving-kube-apiserver.crt"), ca: tls("client-ca.crt"), usage: "server" },
      {
        cert: tls("etcd/client.crt"),
        ca: tls("etcd/server-ca.crt"),
        usage: "client",
        time: "2100-01-01T00:00:00Z",
      },
      {
        cert: tls("serving-kube-apiserver.crt"),
        ca: tls("server-ca.crt"),
        usage: "server",
        dns: "evil.example",
      },
    ]);
    expect(bad.map((r) => r.ok)).toEqual([false, false, false, false]);
  });

  it("rejects a mis-tagged PrintableString that OpenSSL accepts (why the Go oracle exists)", async () => {
    // Re-tag the UTF8String CN 'k3s-server-ca@…' as PrintableString; the signature no longer matters to parsing.
    const pem = await readFile(tls("server-ca.crt"), "utf8");
    const der = Buffer.from(pem.replace(/-----[A-Z ]+-----|\s/g, ""), "base64");
    const cn = Buffer.from("k3s-server-ca@");
    let i = der.indexOf(cn);
    while (i >= 0) {
      expect(der[i - 2]).toBe(0x0c);
      der[i - 2] = 0x13;
      i = der.indexOf(cn, i + 1);
    }
    const bad = join(dir, "bad-printable.crt");
    await writeFile(
      bad,
      `-----BEGIN CERTIFICATE-----\n${der.toString("base64")}\n-----END CERTIFICATE-----\n`,
    );
    const [r] = goCheck([{ cert: bad }]);
    expect(r?.ok).toBe(false);
    expect(r?.error).toMatch(/PrintableString/);
    const parsed = spawnSync("openssl", ["x509", "-in", bad, "-noout", "-subject"], { encoding: "utf8" });
    expect(parsed.status).toBe(0);
  });

  it("custom CA bundles (root → intermediate → CA → leaf) verify to the root", async () => {
    const out = join(dir, "custom");
    await generateCustomCA({ outDir: out, currentDataDir: dir });
    const bundle = await readFile(join(out, "tls", "server-ca.crt"), "utf8");
    const ca = loadCA(bundle, await readFile(join(out, "tls", "server-ca.key"), "utf8"));
    const leaf = signLeaf(ca, { commonName: "kube-apiserver", usage: "server", altNames: ["kubernetes"] });
    await writeFile(join(out, "leaf.crt"), leaf.certPem);
    const [r1, r2] = goCheck([
      { cert: join(out, "tls", "server-ca.crt"), ca: join(out, "tls", "root-ca.pem"), usage: "any" },
      {
        cert: join(out, "leaf.crt"),
        ca: join(out, "tls", "root-ca.pem"),
        usage: "server",
        dns: "kubernetes",
      },
    ]);
    expect(r1).toMatchObject({ ok: true, certs: 3 });
    const [r3] = goCheck([
      {
        cert: join(out, "tls", "server-ca.crt"),
        ca: join(out, "tls", "intermediate-ca.pem"),
        caKey: join(out, "tls", "intermediate-ca.key"),
        rebuild: true,
      },
    ]);
    expect(r3, "intermediate-signed CA TBS matches Go").toMatchObject({ ok: true });
    expect(r2).toMatchObject({ ok: true, certs: 4 });
    const untrusted = join(out, "tls", "intermediate-ca.pem");
    const o = opensslVerify(join(out, "tls", "root-ca.pem"), join(out, "leaf.crt"), "sslserver", [
      "-untrusted",
      join(out, "tls", "server-ca.crt"),
      "-untrusted",
      untrusted,
    ]);
    expect(o.ok, o.out).toBe(true);
  });
});

describe("real TLS handshake with mutual auth", () => {
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    server = createServer({
      cert: await readFile(tls("serving-kube-apiserver.crt")),
      key: await readFile(tls("serving-kube-apiserver.key")),
      ca: await readFile(tls("client-ca.crt")),
      requestCert: true,
      rejectUnauthorized: true,
    });
    server.on("secureConnection", (s) => s.end(`hello ${s.getPeerCertificate().subject.CN}`));
    server.on("tlsClientError", () => {});
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  async function hello(cert: string, key: string, servername: string): Promise<string> {
    const [c, k, ca] = await Promise.all([readFile(cert), readFile(key), readFile(tls("server-ca.crt"))]);
    return new Promise((resolve, reject) => {
      const s = connect(
        { host: "127.0.0.1", port, servername, cert: c, key: k, ca, rejectUnauthorized: true },
        () => {},
      );
      let data = "";
      s.on("data", (d) => (data += d));
      s.on("end", () => resolve(data));
      s.on("error", reject);
    });
  }

  it("admin client ↔ apiserver serving cert", async () => {
    expect(await hello(tls("client-admin.crt"), tls("client-admin.key"), "kubernetes.default.svc")).toBe(
      "hello system:admin",
    );
    expect(
      await hello(
        join(dir, "agent", "client-kubelet.crt"),
        join(dir, "agent", "client-kubelet.key"),
        "kubernetes",
      ),
    ).toBe("hello system:node:node-1");
  });
  it("a client cert from another CA is refused", async () => {
    const other = createCA({ commonName: "other-ca@1" });
    const leaf = signLeaf(other, { commonName: "intruder", usage: "client" });
    await writeFile(join(dir, "intruder.crt"), leaf.certPem);
    await writeFile(join(dir, "intruder.key"), leaf.keyPem);
    // With TLS 1.3 the client may finish its side before the server's alert arrives: either way no greeting.
    const got = await hello(join(dir, "intruder.crt"), join(dir, "intruder.key"), "kubernetes").catch(
      (e: Error) => `refused: ${e.message}`,
    );
    expect(got).not.toContain("hello");
    // Control: the same path with a trusted cert does greet.
    expect(await hello(tls("client-supervisor.crt"), tls("client-supervisor.key"), "kubernetes")).toBe(
      "hello system:k3s-supervisor",
    );
  });
});

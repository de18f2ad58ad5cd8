import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { cloudInitForServer } from "../../../src/cloud-init/index.js";
import { isKitError } from "../../../src/errors/index.js";
import { cloudInitSchema } from "../../helpers/cloud-init.js";
import { tempDir } from "../../helpers/tmp.js";

const pem = (label: string) => `-----BEGIN ${label}-----\nMIIB\n-----END ${label}-----\n`;

describe("cloudInitForServer", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await tempDir()));
  afterAll(() => cleanup());

  it("renders user-data that the real cloud-init schema accepts, with keys 0600 under the TLS dir", () => {
    const userData = cloudInitForServer({
      pki: [
        { path: "server-ca.crt", content: pem("CERTIFICATE") },
        { path: "server-ca.key", content: pem("EC PRIVATE KEY") },
        { path: "etcd/peer-ca.crt", content: pem("CERTIFICATE") },
      ],
      token: "K10abc::server:secret",
      config: { "cluster-init": true, "tls-san": ["k3s.example.com"] },
      runcmd: ["curl -sfL https://get.k3s.io | sh -"],
    });
    const [ok, out] = cloudInitSchema(userData);
    expect(out).toContain("Valid cloud-config");
    expect(ok).toBe(true);
    const doc = parse(userData);
    const byPath = Object.fromEntries(doc.write_files.map((f: { path: string }) => [f.path, f]));
    expect(byPath["/var/lib/rancher/k3s/server/tls/server-ca.key"].permissions).toBe("0600");
    expect(byPath["/var/lib/rancher/k3s/server/tls/server-ca.crt"].permissions).toBe("0644");
    expect(byPath["/var/lib/rancher/k3s/server/tls/etcd/peer-ca.crt"].content).toBe(pem("CERTIFICATE"));
    expect(parse(byPath["/etc/rancher/k3s/config.yaml"].content)).toEqual({
      "cluster-init": true,
      "tls-san": ["k3s.example.com"],
      token: "K10abc::server:secret",
    });
  });

  it("the schema check is real: it rejects user-data with a wrong field type", () => {
    const [ok, out] = cloudInitSchema("#cloud-config\nwrite_files:\n- path: 5\n  bogus: 1\n");
    expect(ok).toBe(false);
    expect(out).toMatch(/schema errors/i);
  });

  it.each([["../../etc/shadow"], ["/etc/passwd"]])("refuses a PKI path that escapes the TLS dir: %s", (path) => {
    let err: unknown;
    try {
      cloudInitForServer({ pki: [{ path, content: "x" }], token: "t" });
    } catch (e) {
      err = e;
    }
    expect(isKitError(err, "CLOUD_INIT_INVALID")).toBe(true);
  });

  it("refuses an empty token", () => {
    expect(() => cloudInitForServer({ pki: [], token: "" })).toThrow(/token/);
  });
});

describe("cloudInitForServer config.yaml", () => {
  it("quotes values K3s's YAML 1.1 reader would turn into booleans or numbers", () => {
    const userData = cloudInitForServer({ pki: [], token: "t0k", config: { "node-label": ["on"], "write-kubeconfig-mode": "0644" } });
    const files = parse(userData).write_files as { path: string; content: string }[];
    const config = files.find((f) => f.path === "/etc/rancher/k3s/config.yaml")!.content;
    expect(config).toContain('write-kubeconfig-mode: "0644"');
    expect(config).toMatch(/- "on"/);
  });

  it("refuses a config key K3s does not know, naming it", () => {
    let err: unknown;
    try {
      cloudInitForServer({ pki: [], token: "t", config: { "no-such-flag": true } as never });
    } catch (e) {
      err = e;
    }
    expect(isKitError(err)).toBe(true);
    expect(String((err as Error).message)).toContain("no-such-flag");
  });
});

import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { isKitError } from "../../../src/errors/index.js";
import { cloudInitForAgent } from "../../../src/cloud-init/index.js";
import { cloudInitSchema } from "../../helpers/cloud-init.js";

const token = `K10${"ab".repeat(32)}::server:0123456789abcdef0123456789abcdef`;

describe("cloudInitForAgent (checked by the real cloud-init schema)", () => {
  it("writes config.yaml with server, token and agent config, 0600, and runcmd", () => {
    const userData = cloudInitForAgent({
      serverUrl: "https://10.0.0.10:6443",
      token,
      config: { "node-label": ["tier=web"], "node-taint": ["dedicated=web:NoSchedule"] },
      runcmd: ["curl -sfL https://get.k3s.io | INSTALL_K3S_EXEC=agent sh -"],
    });
    const [ok, out] = cloudInitSchema(userData);
    expect(out).toContain("Valid cloud-config");
    expect(ok).toBe(true);
    const doc = parse(userData);
    expect(doc.write_files).toHaveLength(1);
    const [file] = doc.write_files;
    expect(file).toMatchObject({
      path: "/etc/rancher/k3s/config.yaml",
      permissions: "0600",
      owner: "root:root",
    });
    expect(parse(file.content)).toEqual({
      server: "https://10.0.0.10:6443",
      token,
      "node-label": ["tier=web"],
      "node-taint": ["dedicated=web:NoSchedule"],
    });
    expect(doc.runcmd).toEqual(["curl -sfL https://get.k3s.io | INSTALL_K3S_EXEC=agent sh -"]);
  });

  it("a non-default data dir lands in config.yaml; no runcmd key without commands", () => {
    const userData = cloudInitForAgent({
      serverUrl: "https://k3s.example.com:6443",
      token,
      dataDir: "/srv/k3s",
    });
    expect(cloudInitSchema(userData)[0]).toBe(true);
    const doc = parse(userData);
    expect(doc.runcmd).toBeUndefined();
    expect(parse(doc.write_files[0].content)["data-dir"]).toBe("/srv/k3s");
  });

  it.each([
    ["http://10.0.0.10:6443", "serverUrl"],
    ["10.0.0.10:6443", "serverUrl"],
    ["https://user:pw@10.0.0.10:6443", "serverUrl"],
  ])("refuses server URL %s", (serverUrl) => {
    let err: unknown;
    try {
      cloudInitForAgent({ serverUrl, token });
    } catch (e) {
      err = e;
    }
    expect(isKitError(err, "CLOUD_INIT_INVALID")).toBe(true);
  });

  it("refuses missing or misspelt options, typed, without echoing the token", () => {
    for (const bad of [undefined, null, "x", { serverUrl: "https://10.0.0.10:6443", tokn: token }, { serverUrl: 1, token }]) {
      let err: unknown;
      try {
        cloudInitForAgent(bad as never);
      } catch (e) {
        err = e;
      }
      expect(isKitError(err, "CLOUD_INIT_INVALID"), JSON.stringify(bad)).toBe(true);
      expect(String((err as Error).message)).not.toContain(token);
    }
  });

  it("refuses an empty token and never puts the token in the error", () => {
    let err: unknown;
    try {
      cloudInitForAgent({ serverUrl: "https://10.0.0.10:6443", token: "with space" });
    } catch (e) {
      err = e;
    }
    expect(isKitError(err, "CLOUD_INIT_INVALID")).toBe(true);
    expect(JSON.stringify((err as { value: unknown }).value)).not.toContain("space");
    expect(() => cloudInitForAgent({ serverUrl: "https://a:6443", token, dataDir: "rel" })).toThrow(
      /absolute/,
    );
  });

  it("a server-only key is refused for an agent (K3S_CONFIG_ROLE)", () => {
    let err: unknown;
    try {
      cloudInitForAgent({ serverUrl: "https://10.0.0.10:6443", token, config: { "cluster-init": true } });
    } catch (e) {
      err = e;
    }
    expect(isKitError(err, "K3S_CONFIG_ROLE")).toBe(true);
  });
});

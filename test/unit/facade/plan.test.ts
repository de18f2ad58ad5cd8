import { describe, expect, it } from "vitest";
import { planNode } from "../../../src/facade/plan.js";
import { isKitError } from "../../../src/errors/index.js";

describe("planNode", () => {
  it("resolves K3s defaults for a server on a custom data dir", () => {
    const plan = planNode({ dataDir: "/tmp/k3s-x", nodeName: "Node-1" });
    expect(plan.role).toBe("server");
    expect(plan.nodeName).toBe("node-1");
    expect(plan.clusterCIDR).toBe("10.42.0.0/16");
    expect(plan.serviceCIDR).toBe("10.43.0.0/16");
    expect(plan.apiServiceIP).toBe("10.43.0.1");
    expect(plan.clusterDNS).toBe("10.43.0.10");
    expect(plan.paths.containerdConfig).toBe("/tmp/k3s-x/agent/etc/containerd/config.toml");
    expect(plan.paths.containerdState).toBe("/tmp/k3s-x/run/containerd");
    expect(plan.steps.map((s) => s.id)).toEqual(["certs", "token", "resolv-conf", "proxy-env", "node-labels", "runtimes", "containerd-config"]);
  });

  it("uses K3s's own containerd state dir for the default data dir, and orders start steps last", () => {
    const plan = planNode({ dataDir: "/var/lib/rancher/k3s", nodeName: "n", start: true });
    expect(plan.paths.containerdSocket).toBe("/run/k3s/containerd/containerd.sock");
    expect(plan.steps.slice(-3).map((s) => s.id)).toEqual(["start-etcd", "save-bootstrap", "start-containerd"]);
  });

  it("derives service addresses from the network address of an IPv6 service CIDR", () => {
    const plan = planNode({ dataDir: "/d", nodeName: "n", serviceCIDR: "fd00:43::5/112" });
    expect(plan.apiServiceIP).toBe("fd00:43::1");
    expect(plan.clusterDNS).toBe("fd00:43::a");
  });

  it("agents get no PKI or etcd steps", () => {
    const plan = planNode({ dataDir: "/d", nodeName: "n", role: "agent", start: true });
    expect(plan.steps.map((s) => s.id)).not.toContain("certs");
    expect(plan.steps.map((s) => s.id)).not.toContain("start-etcd");
    expect(plan.steps.map((s) => s.id)).not.toContain("save-bootstrap");
  });

  it.each([
    [{ dataDir: "relative/dir" }, "dataDir"],
    [{ clusterCIDR: "10.42.0.0/33" }, "clusterCIDR"],
    [{ nodeName: "bad_name!" }, "nodeName"],
    [{ etcd: { clientPort: 70000 } }, "etcd.clientPort"],
    [{ role: "master" as never }, "role"],
    [{ nodeIPs: ["1.2.3"] }, "nodeIPs"],
  ])("rejects %j with NODE_OPTION_INVALID naming %s", (opts, option) => {
    let err: unknown;
    try {
      planNode({ dataDir: "/d", nodeName: "n", ...opts });
    } catch (e) {
      err = e;
    }
    expect(isKitError(err, "NODE_OPTION_INVALID")).toBe(true);
    expect((err as { value: { option: string } }).value.option).toBe(option);
  });
});

describe("planNode refuses before anything is written (issue 13)", () => {
  it("refuses kubernetes.io/role=master (NodeRestriction) as NODE_LABEL_INVALID", () => {
    let err: unknown;
    try {
      planNode({ dataDir: "/tmp/k3s-x", nodeLabels: ["kubernetes.io/role=master"] });
    } catch (e) {
      err = e;
    }
    expect(isKitError(err, "NODE_LABEL_INVALID")).toBe(true);
  });
  it("refuses a bad taint as NODE_TAINT_INVALID, and a misspelt option with a did-you-mean", () => {
    expect(() => planNode({ dataDir: "/tmp/k3s-x", nodeTaints: ["a=b:Sometimes"] })).toThrow(/failed to parse node taints/);
    expect(() => planNode({ dataDir: "/tmp/k3s-x", nodeLabel: ["a=b"] } as never)).toThrow(/did you mean "nodeLabels"/);
  });
  it("host probes are steps of the plan, carrying their inputs", () => {
    const plan = planNode({ dataDir: "/tmp/k3s-x", start: true, rootless: true, env: { PATH: "/usr/bin" } });
    const ids = plan.steps.map((s) => s.id);
    expect(ids).toContain("probe-containerd");
    expect(ids).toContain("probe-cgroups");
    expect(plan.steps.find((s) => s.id === "runtimes")?.input).toEqual({ path: "/usr/bin" });
    expect(JSON.stringify(plan)).not.toContain("token\":\"");
  });
  it("a given token is flagged in the plan, never copied into it", () => {
    const plan = planNode({ dataDir: "/tmp/k3s-x", token: "K10abc::server:supersecret" });
    expect(JSON.stringify(plan)).not.toContain("supersecret");
    expect(plan.steps.find((s) => s.id === "token")?.input).toEqual({ dataDir: "/tmp/k3s-x", tokenGiven: true });
  });
});

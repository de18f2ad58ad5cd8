/**
 * The template dot carries every field of K3s's structs in K3s's declaration order (k3s-behaviours
 * §6.3; list in test/fixtures/containerd/k3s-struct-fields.json), so a K3s user template reading
 * any of them runs unchanged; the builder fills what it knows.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  containerdConfigFor,
  goContainerdDot,
  renderContainerdConfig,
} from "../../../src/containerd/index.js";
import { isKitError } from "../../../src/errors/index.js";
import { renderTemplate } from "../../../src/template/index.js";

interface StructFields {
  path: string;
  fields: string[];
}
const FIELDS = Object.entries(
  JSON.parse(
    readFileSync(new URL("../../fixtures/containerd/k3s-struct-fields.json", import.meta.url), "utf8"),
  ) as Record<string, StructFields | string>,
).filter((e): e is [string, StructFields] => typeof e[1] !== "string");

/** The dot object at a template chain like `.NodeConfig.AgentConfig`. */
function at(dot: unknown, path: string): Record<string, unknown> {
  let v = dot as Record<string, unknown>;
  for (const k of path.split(".").filter(Boolean)) v = v[k] as Record<string, unknown>;
  return v;
}

describe("K3s struct fields in the containerd dot", () => {
  const dot = goContainerdDot(containerdConfigFor({ nodeName: "n1" }));

  it.each(FIELDS)("%s has K3s's fields in K3s's order", (_name, s) => {
    expect(Object.keys(at(dot, s.path))).toEqual(s.fields);
  });

  it.each(FIELDS)("every %s field evaluates", (_name, s) => {
    for (const f of s.fields) {
      expect(() => renderTemplate(`{{ ${s.path}.${f} }}`, dot), `${s.path}.${f}`).not.toThrow();
    }
  });

  it("a user template reading unmodelled K3s fields renders", () => {
    const tmpl =
      '{{ template "base" . }}\n# node {{ .NodeConfig.AgentConfig.NodeIP }} dns {{ .NodeConfig.AgentConfig.ClusterDNS }} token "{{ .NodeConfig.Token }}" {{ .NodeConfig.Flannel.Backend }}\n';
    const out = renderContainerdConfig(containerdConfigFor({ nodeIPs: ["10.0.0.7"] }), {
      userTemplate: tmpl,
    });
    expect(out).toContain('# node 10.0.0.7 dns <nil> token ""');
  });

  it("a name that is not a K3s field is still Go's exec error", () => {
    expect(() => renderTemplate("{{ .NodeConfig.AgentConfig.NodeIPAddress }}", dot)).toThrow(
      "can't evaluate field NodeIPAddress in type config.Agent",
    );
    expect(() => renderTemplate("{{ .NodeConfig.Tokens }}", dot)).toThrow(
      "can't evaluate field Tokens in type *config.Node",
    );
  });

  it("the builder fills node name, IPs and the agent paths under the data dir", () => {
    const cfg = containerdConfigFor({
      dataDir: "/data/k3s",
      nodeName: "worker-1",
      rootless: true,
      nodeIPs: ["10.0.0.5", "fd00:0:0:0::0001"],
      nodeExternalIPs: ["2001:DB8::1", "192.0.2.1"],
    });
    const a = goContainerdDot(cfg).NodeConfig.AgentConfig;
    const r = (t: string) => renderTemplate(`{{ .NodeConfig.AgentConfig.${t} }}`, goContainerdDot(cfg));
    expect(a.NodeName).toBe("worker-1");
    expect(r("NodeIP")).toBe("10.0.0.5");
    // Go's net.IP String(): compressed lower-case IPv6.
    expect(r("NodeIPs")).toBe("[10.0.0.5 fd00::1]");
    expect(r("NodeExternalIP")).toBe("2001:db8::1");
    expect(r("NodeExternalIPs")).toBe("[2001:db8::1 192.0.2.1]");
    expect(a.PodManifests).toBe("/data/k3s/agent/pod-manifests");
    expect(a.KubeConfigKubelet).toBe("/data/k3s/agent/kubelet.kubeconfig");
    expect(a.ClientCA).toBe("/data/k3s/agent/client-ca.crt");
    expect(a.KubeletConfigDir).toBe("/data/k3s/agent/etc/kubelet.conf.d");
    expect(a.RootDir).toBe("/data/k3s/agent/kubelet");
    expect(a.Rootless).toBe(true);
    // Not rootless: K3s leaves RootDir empty.
    expect(containerdConfigFor({}).NodeConfig.AgentConfig.RootDir).toBe("");
  });

  it("caller-set K3s fields reach the dot with their Go shape", () => {
    const cfg = containerdConfigFor({});
    cfg.NodeConfig.AgentConfig.ClusterDNS = "10.43.0.10";
    cfg.NodeConfig.AgentConfig.ClusterCIDRs = ["10.42.0.0/16"];
    cfg.NodeConfig.AgentConfig.VLevel = 2;
    cfg.NodeConfig.Flannel = { Backend: "vxlan" };
    const d = goContainerdDot(cfg);
    expect(
      renderTemplate(
        "{{ .NodeConfig.AgentConfig.ClusterDNS }} {{ .NodeConfig.AgentConfig.ClusterCIDRs }} {{ .NodeConfig.AgentConfig.VLevel }} {{ .NodeConfig.Flannel.Backend }} {{ .NodeConfig.Flannel.Iface }}",
        d,
      ),
    ).toBe("10.43.0.10 [10.42.0.0/16] 2 vxlan <nil>");
    // The caller's object is not changed.
    expect(Object.keys(cfg.NodeConfig.AgentConfig)).not.toContain("EnableIPv6");
  });

  it("wrongly typed K3s fields and IP options are typed errors", () => {
    const cfg = containerdConfigFor({});
    (cfg.NodeConfig.AgentConfig as unknown as Record<string, unknown>).NodeIPs = "10.0.0.1";
    try {
      renderContainerdConfig(cfg);
      expect.unreachable();
    } catch (e) {
      expect(isKitError(e, "CONTAINERD_OPTION_INVALID")).toBe(true);
    }
    for (const nodeIPs of [["10.0.0.300"], ["010.0.0.1"], "10.0.0.1"]) {
      expect(() => containerdConfigFor({ nodeIPs: nodeIPs as string[] })).toThrow(
        expect.objectContaining({ code: "CONTAINERD_OPTION_INVALID" }),
      );
    }
  });
});

describe("shared zero values", () => {
  it("cannot be changed through one dot to leak into another", () => {
    const a = goContainerdDot(containerdConfigFor({})).NodeConfig.AgentConfig as unknown as Record<
      string,
      unknown
    >;
    expect(() => (a.NodeTaints as string[]).push("x")).toThrow(TypeError);
    // A zero struct is built per dot, so changing one dot's copy changes no other.
    (a.ServiceNodePortRange as { Base: number }).Base = 1;
    const b = goContainerdDot(containerdConfigFor({}));
    expect(
      renderTemplate(
        "{{ .NodeConfig.AgentConfig.NodeTaints }} {{ .NodeConfig.AgentConfig.ServiceNodePortRange.Base }}",
        b,
      ),
    ).toBe("[] 0");
  });
});

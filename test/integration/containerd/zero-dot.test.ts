/**
 * The template dot's unfilled K3s fields print like Go's zero values (k3s-behaviours §6.3): every
 * field of the modelled K3s structs (test/fixtures/containerd/k3s-struct-fields.json) is read
 * through our engine and through Go's text/template on look-alike structs with the same Go field
 * types (zero-dot/main.go, stdlib only), and the outputs are compared.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type ContainerdConfig, goContainerdDot } from "../../../src/containerd/index.js";
import { renderTemplate } from "../../../src/template/index.js";
import { buildGo } from "../../helpers/go.js";

interface StructFields {
  path: string;
  fields: string[];
}
const FIELDS = JSON.parse(
  readFileSync(new URL("../../fixtures/containerd/k3s-struct-fields.json", import.meta.url), "utf8"),
) as Record<string, StructFields | string>;

/** A dot whose every field is Go's zero value, like the oracle's (NodeConfig/PrivateRegistryConfig non-nil). */
function zeroConfig(): ContainerdConfig {
  return {
    NodeConfig: {
      Docker: false,
      ContainerRuntimeEndpoint: "",
      ImageServiceEndpoint: "",
      SELinux: false,
      EnablePProf: false,
      SupervisorMetrics: false,
      EmbeddedRegistry: false,
      EgressSelectorMode: "",
      Containerd: {
        Address: "",
        Log: "",
        Root: "",
        State: "",
        Config: "",
        Opt: "",
        Template: "",
        BlockIOConfig: "",
        RDTConfig: "",
        Registry: "",
        NoDefault: false,
        NonrootDevices: false,
        SELinux: false,
        Debug: false,
        ConfigVersion: 0,
      },
      CRIDockerd: { Address: "", Root: "", Debug: false },
      Images: "",
      AgentConfig: {
        PauseImage: "",
        Snapshotter: "",
        ImageServiceSocket: "",
        CNIBinDir: "",
        CNIConfDir: "",
        CNIPlugin: false,
        Systemd: false,
        NodeName: "",
        Registry: null,
        SystemDefaultRegistry: "",
        RuntimeSocket: "",
      },
      ServerHTTPSPort: 0,
      SupervisorPort: 0,
      DefaultRuntime: "",
    },
    DisableCgroup: false,
    SystemdCgroup: false,
    IsRunningInUserNS: false,
    EnableUnprivileged: false,
    NoDefaultEndpoint: false,
    NonrootDevices: false,
    PrivateRegistryConfig: { Mirrors: {}, Configs: {} },
    ExtraRuntimes: {},
    Program: "",
  };
}

// Values whose Go printing comes from a String() method our engine cannot call on a struct:
// utilnet.PortRange prints "" when zero (docs/containerd.md). Also the *config.Node pointer,
// which Go prints as an address inside a struct.
const PRINT_DIFFERS = new Set([
  ".NodeConfig.AgentConfig.ServiceNodePortRange",
  ".NodeConfig.AgentConfig",
  ".NodeConfig",
  ".",
]);

// Fields whose Go type has a String() method (net.IP, *net.IPNet): Go's %s/%q call it even on nil
// ("<nil>"); our engine has no methods, so %s/%q of these differ (docs/containerd.md).
const STRINGER = new Set([
  ".NodeConfig.AgentConfig.ServiceCIDR",
  ".NodeConfig.AgentConfig.ClusterCIDR",
  ".NodeConfig.AgentConfig.ClusterDNS",
]);

// The oracle's look-alike type names → K3s's (only names differ, e.g. in %!s(*T=<nil>)).
const GO_NAMES: Record<string, string> = {
  "main.registry": "registries.Registry",
  "main.authConfig": "registries.AuthConfig",
  "main.tlsConfig": "registries.TLSConfig",
  "main.mirror": "registries.Mirror",
  "main.registryConfig": "registries.RegistryConfig",
  "main.runtimeConfig": "templates.ContainerdRuntimeConfig",
  "main.containerd": "config.Containerd",
  "main.criDockerd": "config.CRIDockerd",
  "main.flannel": "config.Flannel",
  "main.agent": "config.Agent",
  "main.node": "config.Node",
};
const k3sNames = (s: string): string => s.replace(/main\.[a-zA-Z]+/g, (m) => GO_NAMES[m] ?? m);

function chains(): string[] {
  const out: string[] = [];
  for (const v of Object.values(FIELDS)) {
    if (typeof v === "string") continue;
    for (const f of v.fields) out.push(`${v.path}.${f}`);
  }
  return out;
}

function templatesFor(chain: string): string[] {
  const t = [`{{ if ${chain} }}t{{ else }}f{{ end }}`, `{{ with ${chain} }}w{{ end }}`];
  if (!PRINT_DIFFERS.has(chain)) t.push(`{{ ${chain} }}`, `{{ printf "%v|%+v" ${chain} ${chain} }}`);
  if (!PRINT_DIFFERS.has(chain) && !STRINGER.has(chain)) t.push(`{{ printf "%s|%q" ${chain} ${chain} }}`);
  return t;
}

function runGo(texts: string[]): { out: string; err?: string }[] {
  const bin = buildGo("test/integration/containerd/zero-dot/main.go", "containerd-zero-dot");
  return JSON.parse(execFileSync(bin, { input: JSON.stringify(texts), maxBuffer: 64 << 20 }).toString());
}

function runOurs(text: string): { out: string; err?: string } {
  try {
    return { out: renderTemplate(text, goContainerdDot(zeroConfig())) };
  } catch (e) {
    return { out: "", err: (e as Error).message };
  }
}

describe("containerd dot zero values versus Go", () => {
  it("every K3s field prints and tests like Go's zero value", () => {
    const texts = [
      ...chains().flatMap(templatesFor),
      // Whole structs without a PortRange inside print field by field like Go.
      "{{ .NodeConfig.Containerd }}",
      "{{ .NodeConfig.CRIDockerd }}",
      "{{ .NodeConfig.Flannel }}",
      '{{ printf "%+v" .NodeConfig.Flannel }}',
      "{{ .PrivateRegistryConfig }}",
      '{{ index .PrivateRegistryConfig.Auths "x" }}',
      '{{ (index .PrivateRegistryConfig.Configs "x").Auth }}',
      "{{ range .NodeConfig.AgentConfig.NodeIPs }}x{{ else }}none{{ end }}",
      "{{ len .NodeConfig.AgentConfig.CipherSuites }}",
      "{{ .NodeConfig.AgentConfig.ServiceNodePortRange.Size }}",
    ];
    const want = runGo(texts);
    expect(want.length).toBe(texts.length);
    const mismatches: string[] = [];
    texts.forEach((text, i) => {
      const g = want[i] as { out: string; err?: string };
      const o = runOurs(text);
      // Go's type names here are the look-alikes' (main.agent), so only compare that both fail.
      if (g.err !== undefined || o.err !== undefined) {
        if ((g.err === undefined) !== (o.err === undefined))
          mismatches.push(`${text}: go ${g.err ?? g.out} / ours ${o.err ?? o.out}`);
      } else if (k3sNames(g.out) !== o.out)
        mismatches.push(`${text}: go ${JSON.stringify(g.out)} / ours ${JSON.stringify(o.out)}`);
    });
    expect(mismatches).toEqual([]);
    // Something was really compared: nil net types print Go's <nil>.
    expect(want.some((r) => r.out === "<nil>")).toBe(true);
  });

  it("a field a K3s struct does not have is an error in both", () => {
    const texts = [
      "{{ .NodeConfig.AgentConfig.NodeIPAddress }}",
      "{{ .NodeConfig.Flannel.Iface.Name }}",
      "{{ .NodeConfig.AgentConfig.ClusterDNS.Foo }}",
      "{{ .NodeConfig.AgentConfig.ServiceCIDR.IP }}",
    ];
    const want = runGo(texts);
    texts.forEach((text, i) => {
      expect(want[i]?.err, text).toBeDefined();
      expect(runOurs(text).err, text).toBeDefined();
    });
    // Where Go names a package-independent type, the messages agree too.
    expect(runOurs(texts[2] as string).err).toContain(
      (want[2]?.err ?? "").replace(/^template: t:/, "").replace('executing "t"', 'executing "template"'),
    );
  });
});

/**
 * `toJson` on the containerd dot versus Go's encoding/json (k3s-behaviours §6.2: K3s's toJson is
 * `json.Marshal`). go-json/main.go (stdlib only) decodes the same K3s-shaped inputs into look-alike
 * structs with K3s's field names, Go types and json tags, executes the same templates with K3s's
 * toJson func, and the outputs are compared byte for byte. Inputs: hand-written edge cases plus
 * inputs from a seeded generator (nil vs empty maps and slices, HTML characters, controls,
 * unicode keys, registries with auths, IPs and CIDRs).
 */
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { type ContainerdConfigInput, goContainerdDot, toJson } from "../../../src/containerd/index.js";
import { Template, goFunc } from "../../../src/template/index.js";
import { buildGo } from "../../helpers/go.js";

interface Case {
  dot: unknown;
  templates: string[];
}
interface Result {
  out: string;
  err?: string;
}

const TEMPLATES = [
  "{{ toJson . }}",
  "{{ toJson .PrivateRegistryConfig }}",
  "{{ toJson .ExtraRuntimes }}",
  "{{ toJson .NodeConfig }}",
  '{{ toJson (index .ExtraRuntimes "missing") }}',
  "{{ with .NodeConfig }}{{ toJson .AgentConfig }}|{{ toJson .Containerd }}|{{ toJson .CRIDockerd }}|{{ toJson .Flannel }}{{ end }}",
  "{{ with .NodeConfig }}{{ toJson .AgentConfig.NodeIPs }}|{{ toJson .AgentConfig.ClusterDNS }}|{{ toJson .AgentConfig.ServiceCIDRs }}|{{ toJson .AgentConfig.ServiceNodePortRange }}|{{ toJson .Flannel.Iface }}|{{ toJson .AgentConfig.Registry }}{{ end }}",
  "{{ with .PrivateRegistryConfig }}{{ range $k, $v := .Configs }}{{ toJson $k }}={{ toJson $v.Auth }}{{ toJson $v.TLS }}{{ toJson $v }};{{ end }}{{ range $k, $m := .Mirrors }}{{ toJson $k }}={{ toJson $m.Endpoints }}{{ toJson $m.Rewrites }};{{ end }}{{ toJson .Auths }}{{ end }}",
];

// Values that need no dot: literals and builtin results (Go template constants).
const LITERALS = [
  '{{ toJson "<a href=\\"x\\">&amp;</a>" }}',
  '{{ toJson "\\u2028\\u2029\\u0000\\u001f\\u007f\\b\\f\\n\\r\\t\\\\ é 日本 😀 \\ufffd" }}',
  "{{ toJson 1.5 }}|{{ toJson 1e21 }}|{{ toJson 1e20 }}|{{ toJson 0.000001 }}|{{ toJson 0.0000001 }}|{{ toJson 1.5e-300 }}|{{ toJson 123456789.125 }}|{{ toJson 2.0 }}",
  '{{ toJson 3 }}|{{ toJson -7 }}|{{ toJson true }}|{{ toJson nil }}|{{ toJson (index "abc" 1) }}|{{ toJson (len .ExtraRuntimes) }}',
  '{{ toJson (printf "%s" "<>") }}|{{ toJson (html "<>") }}|{{ toJson (eq 1 1) }}',
];

/** mulberry32: a small seeded PRNG, so a failure reproduces. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  "a",
  "Z",
  "0",
  "-",
  ".",
  "/",
  ":",
  "<",
  ">",
  "&",
  '"',
  "\\",
  "\n",
  "\t",
  "\b",
  "\f",
  "\u0001",
  "\u001f",
  "\u007f",
  "é",
  "日本",
  "😀",
  "\u2028",
  "\u2029",
  "\ufffd",
  "\uffff",
  "\ue000",
  " ",
  "'",
  "%",
  "{{",
];

function gen(seed: number): ContainerdConfigInput {
  const r = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const chance = (p: number) => r() < p;
  const str = () => Array.from({ length: Math.floor(r() * 6) }, () => pick(PIECES)).join("");
  const int = () => pick([0, 1, -1, 6443, 2 ** 31, -(2 ** 40), Number.MAX_SAFE_INTEGER]);
  /** A field: absent, null, or a value. */
  const opt = <T>(v: () => T): T | null | undefined => (chance(0.2) ? undefined : chance(0.1) ? null : v());
  const map = <T>(v: () => T): Record<string, T> => {
    const out: Record<string, T> = {};
    for (let i = Math.floor(r() * 4); i > 0; i--) out[str()] = v();
    return out;
  };
  const list = <T>(v: () => T): T[] => Array.from({ length: Math.floor(r() * 3) }, v);
  const v4 = () => Array.from({ length: 4 }, () => Math.floor(r() * 256)).join(".");
  const v6 = () =>
    pick([
      "fd00::1",
      "2001:DB8:0:0:0:0:0:1",
      "::",
      "::ffff:10.1.2.3",
      `fe80::${Math.floor(r() * 65536).toString(16)}`,
    ]);
  const ipText = () => (chance(0.6) ? v4() : v6());
  const cidrText = () =>
    chance(0.5)
      ? `${v4()}/${Math.floor(r() * 33)}`
      : pick(["fd00::/8", "2001:db8::1/64", "::ffff:10.0.0.0/104", "::/0", "fd00:1:2:3::5/127"]);
  const auth = () => ({ Username: str(), Password: str(), Auth: str(), IdentityToken: str() });
  const registry = () => ({
    Mirrors: opt(() => map(() => ({ Endpoints: opt(() => list(str)), Rewrites: opt(() => map(str)) }))),
    Configs: opt(() =>
      map(() => ({
        Auth: opt(auth),
        TLS: opt(() => ({ CAFile: str(), CertFile: str(), KeyFile: str(), InsecureSkipVerify: chance(0.5) })),
      })),
    ),
    Auths: opt(() => map(auth)),
  });
  const reg = opt(registry);
  const agent = () => ({
    NodeName: opt(str),
    PauseImage: opt(str),
    Snapshotter: opt(str),
    ServiceCIDR: opt(cidrText),
    ServiceCIDRs: opt(() => list(cidrText)),
    ServiceNodePortRange: opt(() => ({ Base: int(), Size: int() })),
    ClusterCIDR: opt(cidrText),
    ClusterDNS: opt(ipText),
    ClusterDNSs: opt(() => list(ipText)),
    NodeIPs: opt(() => list(ipText)),
    NodeExternalIPs: opt(() => list(ipText)),
    NodeTaints: opt(() => list(str)),
    CipherSuites: opt(() => list(str)),
    Systemd: opt(() => chance(0.5)),
    VLevel: opt(int),
    // The same object as PrivateRegistryConfig half the time (K3s shares the pointer).
    Registry: chance(0.5) ? reg : opt(registry),
  });
  return {
    NodeConfig: opt(() => ({
      Docker: opt(() => chance(0.5)),
      EgressSelectorMode: opt(str),
      Containerd: opt(() => ({
        Address: opt(str),
        Root: opt(str),
        ConfigVersion: opt(int),
        Debug: opt(() => chance(0.5)),
      })),
      CRIDockerd: opt(() => ({ Address: opt(str), Debug: opt(() => chance(0.5)) })),
      Flannel: opt(() => ({ Backend: opt(str), IPv6Masq: opt(() => chance(0.5)) })),
      AgentConfig: opt(agent),
      Token: opt(str),
      ServerHTTPSPort: opt(int),
    })),
    SystemdCgroup: opt(() => chance(0.5)),
    PrivateRegistryConfig: reg,
    ExtraRuntimes: opt(() => map(() => ({ RuntimeType: opt(str), BinaryName: opt(str) }))),
    Program: opt(str),
  } as ContainerdConfigInput;
}

const HAND: ContainerdConfigInput[] = [
  {},
  { NodeConfig: {}, PrivateRegistryConfig: {}, ExtraRuntimes: {} },
  { ExtraRuntimes: null, PrivateRegistryConfig: null, NodeConfig: null },
  {
    ExtraRuntimes: {
      nvidia: { RuntimeType: "io.containerd.runc.v2", BinaryName: "/usr/bin/nvidia-container-runtime" },
      crun: { RuntimeType: "io.containerd.runc.v2", BinaryName: "/usr/bin/crun" },
      "\uffff": { RuntimeType: "bmp" },
      "😀": { RuntimeType: "astral" },
    },
    PrivateRegistryConfig: {
      Mirrors: {
        "docker.io": { Endpoints: ["https://m.example.com/<&>"] },
        "*": { Endpoints: [], Rewrites: {} },
      },
      Configs: { "m.example.com": { Auth: { Username: "u", Password: "p&<>" }, TLS: null } },
      Auths: { "old.example.com": { Auth: "dTpw" } },
    },
    NodeConfig: {
      AgentConfig: {
        ServiceCIDR: "10.43.0.0/16",
        ClusterCIDRs: ["10.42.0.0/16", "2001:cafe:42::/56"],
        ClusterDNS: "10.43.0.10",
        NodeIPs: [],
        NodeExternalIPs: null,
      },
    },
  },
];

function ours(dot: ContainerdConfigInput, text: string): Result {
  try {
    const t = new Template("t")
      .funcs({ toJson: goFunc(["any"], "string", (v: unknown) => toJson(v)) })
      .parse(text);
    return { out: t.execute(goContainerdDot(dot)) };
  } catch (e) {
    return { out: "", err: (e as Error).message };
  }
}

function runGo(cases: Case[]): Result[][] {
  const bin = buildGo("test/integration/containerd/go-json/main.go", "containerd-go-json");
  return JSON.parse(execFileSync(bin, { input: JSON.stringify(cases), maxBuffer: 256 << 20 }).toString());
}

function compare(
  inputs: ContainerdConfigInput[],
  templates: string[],
): { compared: number; mismatches: string[] } {
  const cases = inputs.map((dot) => ({ dot, templates }));
  const go = runGo(cases);
  expect(go.length).toBe(cases.length);
  const mismatches: string[] = [];
  let compared = 0;
  cases.forEach((c, i) => {
    c.templates.forEach((text, j) => {
      const g = go[i]?.[j] as Result;
      const o = ours(c.dot as ContainerdConfigInput, text);
      if (g.err !== undefined || o.err !== undefined) {
        // Go's messages name the look-alike types (main.node), so only agreement on failing counts.
        if ((g.err === undefined) !== (o.err === undefined))
          mismatches.push(`case ${i} ${text}: go ${g.err ?? g.out} / ours ${o.err ?? o.out}`);
      } else {
        compared++;
        if (g.out !== o.out)
          mismatches.push(
            `case ${i} ${text}:\n go   ${JSON.stringify(g.out)}\n ours ${JSON.stringify(o.out)}`,
          );
      }
    });
  });
  return { compared, mismatches };
}

describe("toJson on the containerd dot versus Go's encoding/json", () => {
  it("hand-written inputs and literals print byte for byte like Go", () => {
    const { compared, mismatches } = compare(HAND, [...TEMPLATES, ...LITERALS]);
    expect(mismatches).toEqual([]);
    expect(compared).toBeGreaterThan(HAND.length * 8);
  });

  it("200 generated inputs (seeded) print byte for byte like Go", () => {
    const seed = Number(process.env.GOJSON_SEED ?? 20261203);
    const inputs = Array.from({ length: Number(process.env.GOJSON_RUNS ?? 200) }, (_, i) => gen(seed + i));
    const { compared, mismatches } = compare(inputs, TEMPLATES);
    expect(mismatches.slice(0, 5)).toEqual([]);
    // Most templates ran in both (a nil NodeConfig makes `with` skip, not fail).
    expect(compared).toBeGreaterThan(inputs.length * TEMPLATES.length * 0.9);
  });

  it("the four K3s dot cases, checked against Go and spelled out", () => {
    const cases: [ContainerdConfigInput, string, string][] = [
      [
        { ExtraRuntimes: { nvidia: { RuntimeType: "n" }, crun: { RuntimeType: "c" } } },
        "{{ toJson .ExtraRuntimes }}",
        '{"crun":{"RuntimeType":"c","BinaryName":""},"nvidia":{"RuntimeType":"n","BinaryName":""}}',
      ],
      [
        { PrivateRegistryConfig: { Configs: { h: { TLS: { CAFile: "/ca" } } } } },
        "{{ toJson .PrivateRegistryConfig }}",
        '{"mirrors":null,"configs":{"h":{"auth":null,"tls":{"ca_file":"/ca","cert_file":"","key_file":"","insecure_skip_verify":false}}},"auths":null}',
      ],
      [{ ExtraRuntimes: null }, "{{ toJson .ExtraRuntimes }}", "null"],
      [
        { NodeConfig: { Containerd: { Root: "/r" } } },
        "{{ toJson .NodeConfig.CRIDockerd }}|{{ toJson .NodeConfig.AgentConfig.Registry }}|{{ .NodeConfig.AgentConfig.NodeName }}",
        '{"Address":"","Root":"","Debug":false}|null|',
      ],
    ];
    const go = runGo(cases.map(([dot, t]) => ({ dot, templates: [t] })));
    cases.forEach(([dot, t, want], i) => {
      expect(go[i]?.[0]?.out, t).toBe(want);
      expect(ours(dot, t).out, t).toBe(want);
    });
  });
});

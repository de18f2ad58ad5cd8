/**
 * `toJson` follows Go's encoding/json (the Go differential is test/integration/containerd/go-json);
 * these are the rules spelled out, plus the dot's zero values and typed errors for wrong-typed
 * fields (k3s-behaviours §6.2, §6.3).
 */
import { describe, expect, it } from "vitest";
import {
  containerdConfigFor,
  emptyRegistry,
  goContainerdDot,
  parseRegistriesYaml,
  renderContainerdConfig,
  toJson,
} from "../../../src/containerd/index.js";
import { goJsonMarshal, goJsonString } from "../../../src/containerd/go-json.js";
import { parseJsonTag } from "../../../src/containerd/k3s-structs.js";
import { isKitError } from "../../../src/errors/index.js";
import { float64, goStruct, renderTemplate } from "../../../src/template/index.js";

const tj = (text: string, cfg: Parameters<typeof renderContainerdConfig>[0]) =>
  renderContainerdConfig(cfg, { userTemplate: text, validate: false }).trimEnd();

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error("did not throw");
}

describe("toJson: the four dot cases", () => {
  it("sorts Go map keys (ExtraRuntimes { nvidia, crun } prints crun first)", () => {
    const out = tj("{{ toJson .ExtraRuntimes }}", {
      ExtraRuntimes: {
        nvidia: { RuntimeType: "io.containerd.runc.v2", BinaryName: "/n" },
        crun: { RuntimeType: "io.containerd.runc.v2", BinaryName: "/c" },
      },
    });
    expect(out).toBe(
      '{"crun":{"RuntimeType":"io.containerd.runc.v2","BinaryName":"/c"},"nvidia":{"RuntimeType":"io.containerd.runc.v2","BinaryName":"/n"}}',
    );
  });

  it("writes wharfie's json tags and null for nil maps in .PrivateRegistryConfig", () => {
    const reg = parseRegistriesYaml('mirrors:\n  docker.io:\n    endpoint: ["https://m.example.com"]\n');
    expect(tj("{{ toJson .PrivateRegistryConfig }}", containerdConfigFor({ registries: reg }))).toBe(
      '{"mirrors":{"docker.io":{"endpoint":["https://m.example.com"],"rewrite":null}},"configs":null,"auths":null}',
    );
    // No registries.yaml: K3s's registry is a non-nil pointer to a struct of nil maps.
    expect(tj("{{ toJson .PrivateRegistryConfig }}", containerdConfigFor({}))).toBe(
      '{"mirrors":null,"configs":null,"auths":null}',
    );
    expect(toJson(goContainerdDot({ PrivateRegistryConfig: emptyRegistry() }).PrivateRegistryConfig)).toBe(
      '{"mirrors":null,"configs":null,"auths":null}',
    );
  });

  it("a nil map is null, an empty one {}", () => {
    expect(tj("{{ toJson .ExtraRuntimes }}", { ExtraRuntimes: null })).toBe("null");
    expect(tj("{{ toJson .ExtraRuntimes }}", {})).toBe("null");
    expect(tj("{{ toJson .ExtraRuntimes }}", { ExtraRuntimes: {} })).toBe("{}");
    // Ranges and tests like an empty map, as in Go.
    expect(
      tj("{{ range .ExtraRuntimes }}x{{ else }}none{{ end }} {{ len .ExtraRuntimes }}", {
        ExtraRuntimes: null,
      }),
    ).toBe("none 0");
  });

  it("a missing field is its Go zero value, never a TypeError", () => {
    const cfg = containerdConfigFor({}) as unknown as Record<string, Record<string, unknown>>;
    const { CRIDockerd: _c, AgentConfig: _a, ...node } = cfg.NodeConfig as Record<string, unknown>;
    const out = renderContainerdConfig({ ...cfg, NodeConfig: node });
    expect(out).toContain('root = "/var/lib/rancher/k3s/agent/containerd"');
    expect(
      tj('{{ toJson .NodeConfig.CRIDockerd }}|{{ printf "%q" .NodeConfig.AgentConfig.Snapshotter }}', {
        NodeConfig: node,
      }),
    ).toBe('{"Address":"","Root":"","Debug":false}|""');
    // Anything left out, at any depth, including the whole config.
    expect(() => renderContainerdConfig({})).not.toThrow();
    expect(() =>
      renderContainerdConfig({ NodeConfig: { AgentConfig: { Registry: { Configs: { h: {} } } } } }),
    ).not.toThrow();
    expect(renderTemplate("{{ .NodeConfig }}", goContainerdDot({}))).toBe("<nil>");
  });
});

describe("toJson: encoding/json rules", () => {
  it("escapes HTML characters, U+2028/U+2029 and controls like Go", () => {
    expect(toJson("<a>&\u2028\u2029")).toBe('"\\u003ca\\u003e\\u0026\\u2028\\u2029"');
    expect(toJson('"\\\n\r\t\b\f\u0000\u001f\u007f')).toBe('"\\"\\\\\\n\\r\\t\\b\\f\\u0000\\u001f\u007f"');
    expect(toJson("é日本😀")).toBe('"é日本😀"');
    // A lone surrogate is not text: Go writes invalid UTF-8 as \ufffd.
    expect(toJson("a\ud800b")).toBe('"a\\ufffdb"');
    expect(goJsonString("<", false)).toBe('"<"');
  });

  it("formats numbers like Go", () => {
    expect(toJson(1.5)).toBe("1.5");
    expect(toJson(1e21)).toBe("1e+21");
    expect(toJson(1e20)).toBe("100000000000000000000");
    expect(toJson(1e-7)).toBe("1e-7");
    expect(toJson(0.000001)).toBe("0.000001");
    expect(toJson(float64(2))).toBe("2");
    expect(toJson(float64(-0))).toBe("-0");
    expect(toJson(-0)).toBe("0"); // an int
    expect(toJson(Number.NaN)).toBe(""); // json: unsupported value; K3s ignores the error
  });

  it("encodes []byte as base64 and sorts keys by UTF-8 bytes", () => {
    expect(toJson(new Uint8Array([255, 255, 0, 0]))).toBe('"//8AAA=="');
    expect(toJson({ "😀": 1, "\uffff": 2, b: 3, a: 4 })).toBe('{"a":4,"b":3,"\uffff":2,"😀":1}');
  });

  it("reads json tags: rename, omitempty, - and string", () => {
    expect(parseJsonTag("F", "-")).toMatchObject({ skip: true });
    expect(parseJsonTag("F", "-,")).toMatchObject({ key: "-", skip: false });
    expect(parseJsonTag("F", ",omitempty")).toMatchObject({ key: "F", omitEmpty: true });
    expect(parseJsonTag("F", "x,string")).toMatchObject({ key: "x", asString: true });
    const fields = [
      ["A", "string", parseJsonTag("A", "a,omitempty")],
      ["B", "int", parseJsonTag("B", ",omitempty")],
      ["C", "bool", parseJsonTag("C", "-")],
      ["D", "string", parseJsonTag("D", "-,")],
      ["E", "int", parseJsonTag("E", "e,string")],
      ["F", "string", parseJsonTag("F", "f,string")],
      ["G", "[]string", parseJsonTag("G", "g,omitempty")],
      ["H", "bool", parseJsonTag("H", "h,omitempty,string")],
    ] as const;
    const of = (t: string) => (t === "main.T" ? fields : undefined);
    const v = goStruct({ A: "", B: 0, C: true, D: "d", E: 5, F: "x<", G: [], H: true }, "main.T");
    expect(goJsonMarshal(v, of)).toBe('{"-":"d","e":"5","f":"\\"x\\\\u003c\\"","h":"true"}');
    const full = goStruct({ A: "a", B: 1, C: true, D: "", E: 0, F: "", G: ["g"], H: false }, "*main.T");
    expect(goJsonMarshal(full, of)).toBe('{"a":"a","B":1,"-":"","e":"0","f":"\\"\\"","g":["g"]}');
  });

  it('writes net types as Go does: nil net.IP "", *net.IPNet {IP, Mask}', () => {
    const dot = goContainerdDot({
      NodeConfig: {
        AgentConfig: { ServiceCIDR: "10.43.7.1/16", ClusterCIDRs: ["fd00::/8"], NodeIPs: ["2001:DB8::1"] },
      },
    });
    const a = dot.NodeConfig.AgentConfig;
    expect(a.ServiceCIDR).toBe("10.43.0.0/16"); // Go's IPNet.String() after ParseCIDR
    expect(a.NodeIPs).toEqual(["2001:db8::1"]);
    const json = JSON.parse(toJson(a)) as Record<string, unknown>;
    expect(json.ServiceCIDR).toEqual({ IP: "10.43.0.0", Mask: "//8AAA==" });
    expect(json.ClusterCIDRs).toEqual([{ IP: "fd00::", Mask: "/wAAAAAAAAAAAAAAAAAAAA==" }]);
    expect(json.ClusterDNS).toBe("");
    expect(json.ClusterCIDR).toBeNull();
    expect(json.ServiceNodePortRange).toEqual({ Base: 0, Size: 0 });
  });
});

describe("wrong-typed dot fields", () => {
  it("are CONTAINERD_OPTION_INVALID with the field path as value", () => {
    const cases: [unknown, string][] = [
      [{ ExtraRuntimes: "x" }, "ExtraRuntimes"],
      [{ ExtraRuntimes: ["x"] }, "ExtraRuntimes"],
      [{ ExtraRuntimes: { crun: "x" } }, 'ExtraRuntimes["crun"]'],
      [{ ExtraRuntimes: { crun: { BinaryName: 1 } } }, 'ExtraRuntimes["crun"].BinaryName'],
      [{ NodeConfig: "x" }, "NodeConfig"],
      [{ NodeConfig: { CRIDockerd: "x" } }, "NodeConfig.CRIDockerd"],
      [{ NodeConfig: { AgentConfig: { NodeIPs: "10.0.0.1" } } }, "NodeConfig.AgentConfig.NodeIPs"],
      [{ NodeConfig: { AgentConfig: { NodeIPs: ["10.0.0.300"] } } }, "NodeConfig.AgentConfig.NodeIPs[0]"],
      [{ NodeConfig: { AgentConfig: { ServiceCIDR: "10.0.0.0/33" } } }, "NodeConfig.AgentConfig.ServiceCIDR"],
      [{ NodeConfig: { ServerHTTPSPort: 1.5 } }, "NodeConfig.ServerHTTPSPort"],
      [
        { PrivateRegistryConfig: { Mirrors: { m: { Endpoints: [1] } } } },
        'PrivateRegistryConfig.Mirrors["m"].Endpoints[0]',
      ],
      [
        { NodeConfig: { AgentConfig: { Registry: { Configs: { h: { TLS: "x" } } } } } },
        'NodeConfig.AgentConfig.Registry.Configs["h"].TLS',
      ],
    ];
    for (const [cfg, path] of cases) {
      const e = thrown(() => goContainerdDot(cfg as never));
      expect(isKitError(e, "CONTAINERD_OPTION_INVALID"), path).toBe(true);
      expect((e as { value: unknown }).value).toBe(path);
      expect(
        isKitError(
          thrown(() => renderContainerdConfig(cfg as never)),
          "CONTAINERD_OPTION_INVALID",
        ),
      ).toBe(true);
    }
  });

  it("a 4 MB string where a map belongs is refused without looking at its characters", () => {
    const big = "x".repeat(4 << 20);
    const e = thrown(() => goContainerdDot({ ExtraRuntimes: big } as never));
    const e2 = thrown(() => goContainerdDot({ PrivateRegistryConfig: { Mirrors: big } } as never));
    expect((e as { value: unknown }).value).toBe("ExtraRuntimes");
    expect((e2 as { value: unknown }).value).toBe("PrivateRegistryConfig.Mirrors");
    // The message names the kind, never the content.
    expect((e as Error).message.length).toBeLessThan(200);
  });
});

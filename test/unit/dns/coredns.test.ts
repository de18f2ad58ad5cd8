import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  COREDNS_OVERRIDE_IMPORT,
  COREDNS_SERVER_IMPORT,
  corednsCustomConfigMap,
  corednsCustomData,
  renderCorefile,
  validateCorednsCustom,
} from "../../../src/dns/index.js";
import { isKitError } from "../../../src/errors/index.js";

const meta = { name: "coredns-custom", namespace: "kube-system" };
const codes = (data: Record<string, unknown>) => validateCorednsCustom({ metadata: meta, data }).map((p) => p.code);

describe("renderCorefile (k3s-behaviours §4)", () => {
  it("keeps K3s's directive order, with the override import before forward and the server import at top level", () => {
    const text = renderCorefile();
    const inside = text.slice(text.indexOf(".:53 {"), text.lastIndexOf("}"));
    const order = ["errors", "health", "ready", "kubernetes cluster.local in-addr.arpa ip6.arpa {", "hosts /etc/coredns/NodeHosts {", "prometheus :9153", "cache 30", "loop", "reload", "loadbalance", COREDNS_OVERRIDE_IMPORT, "forward . /etc/resolv.conf"];
    let at = 0;
    for (const d of order) {
      const i = inside.indexOf(`\n    ${d}`, at);
      expect(i, d).toBeGreaterThanOrEqual(at);
      at = i + 1;
    }
    expect(text.trimEnd().split("\n").pop()).toBe(COREDNS_SERVER_IMPORT);
    expect(text).toContain("      pods insecure\n      fallthrough in-addr.arpa ip6.arpa\n");
    expect(text).toContain("      ttl 60\n      reload 15s\n      fallthrough\n");
  });
  it("substitutes the cluster domain", () => {
    expect(renderCorefile({ clusterDomain: "k8s.example" })).toContain("kubernetes k8s.example in-addr.arpa ip6.arpa {");
  });
  it("refuses a domain that is not a DNS-1123 subdomain", () => {
    for (const d of ["", "UPPER.case", "a b", "x}", "-a.b", "a..b"]) {
      expect(() => renderCorefile({ clusterDomain: d }), d).toThrow(expect.objectContaining({ code: "COREDNS_CLUSTER_DOMAIN_INVALID" }));
    }
  });
  it("a rendered Corefile validates as balanced server content", () => {
    const block = renderCorefile().replace(".:53", "example.org:53").replace(COREDNS_SERVER_IMPORT, "");
    expect(codes({ "main.server": block })).toEqual([]);
  });
});

describe("validateCorednsCustom (§4 vectors and the page's example)", () => {
  it("accepts the page's example ConfigMap", () => {
    const data = {
      "example-com.override": "forward example.com 10.0.0.1\n",
      "example-net.server": "example.net:53 {\n  log\n  errors\n  file /etc/coredns/custom/db.example.net\n}\n",
      "db.example.net": "$ORIGIN example.net.\n@ 3600 IN SOA sns.dns.icann.org. noc.dns.icann.org. 2017042745 7200 3600 1209600 3600\n",
    };
    expect(validateCorednsCustom({ apiVersion: "v1", kind: "ConfigMap", metadata: meta, data })).toEqual([]);
  });
  it("§4 vectors: foo.override `log`, example.server block, hosts.db plain file", () => {
    expect(codes({ "foo.override": "log", "example.server": "example.com:53 { forward . 10.0.0.1 }", "hosts.db": "{{{ not parsed" })).toEqual([]);
  });
  it("reports every problem, not only the first", () => {
    const problems = validateCorednsCustom({
      metadata: { name: "coredns", namespace: "default" },
      data: {
        "..data": "x",
        "a/b.override": "log",
        "x.override": "log\n}\n",
        "y.override": "rewrite name a b {\n",
        "z.server": "forward . 1.1.1.1\n",
        "w.server": "{\n log\n}\n",
        "v.server": ".:53 {\n log\n}\n",
        "u.server": "bad zone! {\n}\n",
        "q.override": 'log "open',
      },
    });
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      ["WRONG_NAME", undefined],
      ["WRONG_NAMESPACE", undefined],
      ["KEY_PATH", "..data"],
      ["KEY_INVALID", "a/b.override"],
      ["BRACE_UNEXPECTED", "x.override"],
      ["BRACE_UNCLOSED", "y.override"],
      ["SERVER_NOT_BLOCK", "z.server"],
      ["SERVER_NO_ZONE", "w.server"],
      ["SERVER_ZONE_CONFLICT", "v.server"],
      ["SERVER_ZONE_INVALID", "u.server"],
      ["QUOTE_UNTERMINATED", "q.override"],
    ]);
    expect(problems.find((p) => p.path === "x.override")?.line).toBe(2);
  });
  it("zones: schemes, ports, several zones, reverse zones, and the .:53 conflict", () => {
    expect(codes({ "a.server": "tls://example.org example.com:1053 {\n forward . 1.1.1.1\n}\n" })).toEqual([]);
    expect(codes({ "a.server": "example.org,\n example.com {\n}\n" })).toEqual([]);
    expect(codes({ "a.server": "10.0.0.0/8 {\n whoami\n}\n" })).toEqual([]);
    expect(codes({ "a.server": ".:5353 {\n whoami\n}\n" })).toEqual([]);
    expect(codes({ "a.server": "dns://.:53 {\n}\n" })).toEqual(["SERVER_ZONE_CONFLICT"]);
    expect(codes({ "a.server": ". {\n}\n" })).toEqual(["SERVER_ZONE_CONFLICT"]);
    expect(codes({ "a.server": "ftp://x {\n}\n" })).toEqual(["SERVER_ZONE_INVALID"]);
    expect(codes({ "a.server": "x:99999 {\n}\n" })).toEqual(["SERVER_ZONE_INVALID"]);
    expect(codes({ "a.server": "a.org {\n}\nb.org\n" })).toEqual(["SERVER_NOT_BLOCK"]);
    expect(codes({ "a.server": "}\n" })).toEqual(["BRACE_UNEXPECTED"]);
  });
  it("comments do not count; a quoted brace does, as in CoreDNS's Caddyfile parser", () => {
    expect(codes({ "a.override": "# }\nlog x # {\n" })).toEqual([]);
    expect(codes({ "a.override": 'log "}"\n' })).toEqual(["BRACE_UNEXPECTED"]);
  });
  it("other keys are only files; size cap of 1 MiB", () => {
    expect(codes({ "zone.db": "}}}}" })).toEqual([]);
    expect(codes({ "big.db": "x".repeat(1024 * 1024 + 1) })).toEqual(["TOO_LARGE"]);
    expect(codes({ "n.db": 5 })).toEqual(["VALUE_NOT_STRING"]);
  });
  it("non-objects are reported, never thrown", () => {
    expect(validateCorednsCustom(null as never).map((p) => p.code)).toEqual(["NOT_A_CONFIGMAP"]);
    expect(validateCorednsCustom({ kind: "Secret", metadata: meta }).map((p) => p.code)).toEqual(["NOT_A_CONFIGMAP"]);
  });
});

describe("corednsCustomData / corednsCustomConfigMap", () => {
  it("adds the suffixes and keeps file keys", () => {
    expect(corednsCustomData({ overrides: { a: "log", "b.override": "errors" }, servers: { s: "x.org {\n}\n" }, files: { "db.x": "" } })).toEqual({
      "a.override": "log",
      "b.override": "errors",
      "s.server": "x.org {\n}\n",
      "db.x": "",
    });
  });
  it("throws COREDNS_CUSTOM_INVALID with every problem", () => {
    try {
      corednsCustomData({ overrides: { a: "}" }, servers: { b: "log" }, files: { "c.server": "" } });
      expect.unreachable();
    } catch (e) {
      expect(isKitError(e, "COREDNS_CUSTOM_INVALID")).toBe(true);
      expect(((e as { value: Array<{ code: string }> }).value).map((p) => p.code)).toEqual(["KEY_INVALID", "BRACE_UNEXPECTED", "SERVER_NOT_BLOCK"]);
    }
  });
  it("builds a validated kubernetes-models ConfigMap and YAML", async () => {
    const { object, yaml } = await corednsCustomConfigMap({ overrides: { "example-com": "forward example.com 10.0.0.1" } });
    expect(object).toEqual({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "coredns-custom", namespace: "kube-system" },
      data: { "example-com.override": "forward example.com 10.0.0.1" },
    });
    const { parse } = await import("yaml");
    expect(parse(yaml)).toEqual(object);
  });
});

describe("fuzz: coredns validation never throws", () => {
  it("arbitrary data maps give problems or none", () => {
    const text = fc.oneof(fc.string({ maxLength: 40 }), fc.array(fc.constantFrom("{", "}", "\n", " ", '"', "#", "a.org", ".:53", "log", ",", "\\"), { maxLength: 30 }).map((a) => a.join("")));
    fc.assert(
      fc.property(fc.dictionary(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom("a.server", "b.override", "..x")), text, { maxKeys: 5 }), (data) => {
        const problems = validateCorednsCustom({ metadata: meta, data });
        for (const p of problems) expect(typeof p.message).toBe("string");
        try {
          corednsCustomData({ files: data });
        } catch (e) {
          expect(isKitError(e, "COREDNS_CUSTOM_INVALID")).toBe(true);
        }
      }),
      { seed: 42, numRuns: 500 },
    );
  });
});

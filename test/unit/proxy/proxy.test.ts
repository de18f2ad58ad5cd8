import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isKitError } from "../../../src/errors/index.js";
import { augmentNoProxy, containerdEnv, dashQuote, proxyEnvFromShell, parseServiceEnvFile, renderServiceEnvFile } from "../../../src/proxy/index.js";

// k3s-behaviours §5.1 vectors.
describe("augmentNoProxy (§5.1)", () => {
  it("defaults, nothing set", () => {
    expect(augmentNoProxy({}).NO_PROXY).toBe(".svc,.cluster.local,10.42.0.0/16,10.43.0.0/16");
  });
  it("merges NO_PROXY and no_proxy, drops empty fields, unsets no_proxy", () => {
    const out = augmentNoProxy({ NO_PROXY: "127.0.0.0/8,,foo", no_proxy: "bar", PATH: "/bin" });
    expect(out.NO_PROXY).toBe("127.0.0.0/8,foo,bar,.svc,.cluster.local,10.42.0.0/16,10.43.0.0/16");
    expect("no_proxy" in out).toBe(false);
    expect(out.PATH).toBe("/bin");
  });
  it("dual-stack CIDRs in order, canonical form", () => {
    expect(augmentNoProxy({}, { clusterCIDRs: ["10.42.0.0/16", "2001:cafe:42::/56"], serviceCIDRs: "10.43.0.0/16,2001:cafe:43::/112" }).NO_PROXY).toBe(
      ".svc,.cluster.local,10.42.0.0/16,2001:cafe:42::/56,10.43.0.0/16,2001:cafe:43::/112",
    );
  });
  it("IPv6-only defaults are exported for callers", async () => {
    const m = await import("../../../src/proxy/index.js");
    expect([m.DEFAULT_CLUSTER_CIDR_V6, m.DEFAULT_SERVICE_CIDR_V6]).toEqual(["fd00:42::/56", "fd00:43::/112"]);
  });
  it("no de-duplication, whitespace kept, host bits cleared as Go's IPNet.String does", () => {
    expect(augmentNoProxy({ NO_PROXY: " .svc,.svc" }, { clusterCIDRs: "10.42.7.1/16", clusterDomain: "k.local" }).NO_PROXY).toBe(
      " .svc,.svc,.svc,.k.local,10.42.0.0/16,10.43.0.0/16",
    );
  });
  it("agents are left alone (servers only)", () => {
    expect(augmentNoProxy({ no_proxy: "x" }, { role: "agent" })).toEqual({ no_proxy: "x" });
  });
  it("does not mutate its input", () => {
    const env = { no_proxy: "x" };
    augmentNoProxy(env);
    expect(env).toEqual({ no_proxy: "x" });
  });
  it("bad CIDRs and domains are typed errors", () => {
    expect(() => augmentNoProxy({}, { clusterCIDRs: "10.42.0.0" })).toThrow(expect.objectContaining({ code: "PROXY_INVALID_CIDR", value: "10.42.0.0" }));
    expect(() => augmentNoProxy({}, { serviceCIDRs: ["x/8"] })).toThrow(expect.objectContaining({ code: "PROXY_INVALID_CIDR" }));
    expect(() => augmentNoProxy({}, { clusterDomain: "a,b" })).toThrow(expect.objectContaining({ code: "PROXY_INVALID_DOMAIN" }));
    expect(() => augmentNoProxy({}, { role: "x" as never })).toThrow(expect.objectContaining({ code: "PROXY_OPTION_INVALID" }));
  });
});

// k3s-behaviours §5.2.
describe("containerdEnv (§5.2)", () => {
  it("the vector: CONTAINERD_ wins for containerd, NOTIFY_SOCKET dropped", () => {
    const r = containerdEnv({ HTTP_PROXY: "a", CONTAINERD_HTTP_PROXY: "b", CONTAINERD_NO_PROXY: "c", NOTIFY_SOCKET: "/x" });
    expect(r.env).toEqual({ HTTP_PROXY: "b", NO_PROXY: "c" });
    expect(r.environ).toEqual(["HTTP_PROXY=a", "HTTP_PROXY=b", "NO_PROXY=c"]);
    expect(r.args).toEqual([]);
  });
  it("CONTAINERD_LOG_LEVEL becomes --log-level and is not passed on", () => {
    const r = containerdEnv(["CONTAINERD_LOG_LEVEL=debug", "A=1"]);
    expect(r).toEqual({ environ: ["A=1"], env: { A: "1" }, args: ["--log-level", "debug"] });
  });
  it("case is kept: CONTAINERD_https_proxy does not override HTTPS_PROXY", () => {
    const r = containerdEnv({ HTTPS_PROXY: "up", CONTAINERD_https_proxy: "low" });
    expect(r.env).toEqual({ HTTPS_PROXY: "up", https_proxy: "low" });
  });
  it("every CONTAINERD_ variable is renamed, values with = survive", () => {
    expect(containerdEnv(["CONTAINERD_FOO=a=b"]).env).toEqual({ FOO: "a=b" });
  });
});

describe("proxyEnvFromShell (§12, §16.10)", () => {
  const env = {
    HTTP_PROXY: "http://p:8888",
    http_proxy: "http://lower",
    HTTP_PROXY_USER: "u",
    NO_PROXY: "127.0.0.0/8",
    CONTAINERD_HTTP_PROXY: "http://c",
    CONTAINERD_SNAPSHOTTER: "native",
    K3S_TOKEN: "t",
    KINE_X: "k",
    PATH: "/bin",
    "BAD-NAME": "x",
  };
  it("page (default): the six documented variables only", () => {
    expect(proxyEnvFromShell(env).env).toEqual({ CONTAINERD_HTTP_PROXY: "http://c", HTTP_PROXY: "http://p:8888", NO_PROXY: "127.0.0.0/8" });
  });
  it("source: K3S_/CONTAINERD_/KINE_ sorted, then proxy vars of any case (prefix match)", () => {
    const r = proxyEnvFromShell(env, { follow: "source" });
    expect(Object.keys(r.env)).toEqual(["CONTAINERD_HTTP_PROXY", "CONTAINERD_SNAPSHOTTER", "K3S_TOKEN", "KINE_X", "HTTP_PROXY", "HTTP_PROXY_USER", "NO_PROXY", "http_proxy"]);
    expect(r.lines[0]).toBe("CONTAINERD_HTTP_PROXY='http://c'");
  });
  it("dash quoting and warnings for values install.sh would alter", () => {
    expect(dashQuote("it's")).toBe(`'it'"'"'s'`);
    expect(dashQuote("")).toBe("''");
    const r = proxyEnvFromShell({ HTTP_PROXY: "a  b", NO_PROXY: "x\\y", HTTPS_PROXY: "*" });
    expect(r.warnings.map((w) => w.name)).toEqual(["HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY"]);
  });
  it("the dash-quoted lines parse back in a systemd env file", () => {
    const r = proxyEnvFromShell({ HTTP_PROXY: "http://u:p'q@h:1", NO_PROXY: "" });
    expect(parseServiceEnvFile(r.lines.join("\n")).env).toEqual(r.env);
  });
});

describe("parseServiceEnvFile (systemd env-file rules)", () => {
  const cases: Array<[string, Record<string, string>]> = [
    ["A=1\nB=2\n", { A: "1", B: "2" }],
    ["# comment\n; also\n  A = x y  \n", { A: "x y" }],
    ["A='  lit \\n $x '\n", { A: "  lit \\n $x " }],
    ['A="q \\" \\\\ \\` \\$ \\n"\n', { A: 'q " \\ ` $ \\n' }],
    ["A=one\\\ntwo\n", { A: "onetwo" }],
    ['A="multi\nline"\n', { A: "multi\nline" }],
    ["A='x'\"y\"z\n", { A: "xyz" }],
    ["A=\n", { A: "" }],
    ["A\nB=1\n", { B: "1" }],
    ["A=1\nA=2\n", { A: "2" }],
    ["A=a'b'\n", { A: "a'b'" }],
    ["A='unterminated", { A: "unterminated" }],
    ["A=1\r\nB=2\r\n", { A: "1", B: "2" }],
    ["A=x\0B=y\n", { A: "x" }],
    ["#c \\\nA=1\n", { A: "1" }],
  ];
  for (const [text, env] of cases) {
    it(JSON.stringify(text), () => expect(parseServiceEnvFile(text).env).toEqual(env));
  }
  it("invalid names and values are reported as ignored, like systemd drops them", () => {
    const r = parseServiceEnvFile("1A=x\nA-B=y\nC=\u0001\nD=ok\n");
    expect(r.env).toEqual({ D: "ok" });
    expect(r.ignored).toEqual([
      { key: "1A", line: 1, reason: "invalid-name" },
      { key: "A-B", line: 2, reason: "invalid-name" },
      { key: "C", line: 3, reason: "invalid-value" },
    ]);
  });
  it("line numbers point at the start of each assignment", () => {
    expect(parseServiceEnvFile('\n\nA="x\ny"\nB=1\n').entries.map((e) => [e.key, e.line])).toEqual([["A", 3], ["B", 5]]);
  });
  it("lone surrogates are ENV_FILE_INVALID_UTF8", () => {
    expect(() => parseServiceEnvFile("A=\ud800\n")).toThrow(expect.objectContaining({ code: "ENV_FILE_INVALID_UTF8" }));
  });
});

describe("renderServiceEnvFile", () => {
  it("bare when simple, double quotes otherwise", () => {
    expect(renderServiceEnvFile({ HTTP_PROXY: "http://p:8888", NOTE: 'say "hi" $HOME', E: "" })).toBe(
      'HTTP_PROXY=http://p:8888\nNOTE="say \\"hi\\" \\$HOME"\nE=""\n',
    );
  });
  it("refuses names and values systemd would drop", () => {
    expect(() => renderServiceEnvFile({ "A-B": "x" })).toThrow(expect.objectContaining({ code: "ENV_FILE_INVALID_NAME" }));
    expect(() => renderServiceEnvFile({ A: "\u0007" })).toThrow(expect.objectContaining({ code: "ENV_FILE_INVALID_VALUE" }));
    expect(() => renderServiceEnvFile([["A", "\ud800"]])).toThrow(expect.objectContaining({ code: "ENV_FILE_INVALID_VALUE" }));
  });
});

describe("property: env files round-trip", () => {
  const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,15}$/);
  const value = fc.oneof(
    fc.string({ unit: "binary", maxLength: 40 }),
    fc.array(fc.constantFrom("a", " ", "\t", "\n", '"', "'", "\\", "$", "`", "#", ";", "=", "é", "😀", "\r"), { maxLength: 30 }).map((a) => a.join("")),
  ).filter((v) => !/[\x00-\x08\x0b-\x1f\x7f]/.test(v));
  it("parse(render(env)) equals env", () => {
    fc.assert(
      fc.property(fc.dictionary(name, value, { maxKeys: 8 }), (env) => {
        expect(parseServiceEnvFile(renderServiceEnvFile(env)).env).toEqual(env);
      }),
      { seed: 42, numRuns: 1000 },
    );
  });
  it("fuzz: any text parses or throws a KitError with a code", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary", maxLength: 80 }), fc.array(fc.constantFrom("A", "=", "'", '"', "\\", "\n", "\r", " ", "#", ";", "\0", "x"), { maxLength: 40 }).map((a) => a.join(""))), (text) => {
        try {
          const r = parseServiceEnvFile(text);
          for (const e of r.entries) expect(e.key).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
        } catch (e) {
          expect(isKitError(e) && typeof e.code === "string").toBe(true);
        }
      }),
      { seed: 42, numRuns: 1000 },
    );
  });
  it("fuzz: capture and containerd env on arbitrary environments", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }), { maxKeys: 10 }), (env) => {
        const c = containerdEnv(env);
        expect(Object.keys(c.env).includes("NOTIFY_SOCKET")).toBe(false);
        for (const follow of ["page", "source"] as const) {
          const r = proxyEnvFromShell(env, { follow });
          expect(r.lines.length).toBe(Object.keys(r.env).length);
        }
        try {
          augmentNoProxy(env, { clusterCIDRs: Object.values(env).slice(0, 1) });
        } catch (e) {
          expect(isKitError(e)).toBe(true);
        }
      }),
      { seed: 42, numRuns: 500 },
    );
  });
});

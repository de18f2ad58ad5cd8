/**
 * Issue 12 attacks on dns, proxy, rootless, host, k3s-config, labels, layout, process and the root
 * facade: each test is named after the attack and failed on the code before the edge checks.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cloudInitForServer } from "../../../src/cloud-init/index.js";
import { createNode, planNode } from "../../../src/index.js";
import { checkResolvConf, isViableNameserver, locateResolvConf, parseResolvConf } from "../../../src/dns/index.js";
import { augmentNoProxy, dashQuote, parseServiceEnvFile, proxyEnvFromShell, renderServiceEnvFile } from "../../../src/proxy/index.js";
import { parseMountinfo, rootlessDisablesCgroups, rootlessSettingsFromEnv, rootlessUserUnit, rootlesskitArgs } from "../../../src/rootless/index.js";
import { chooseServiceManager, helmChartsToYaml, nflogPolicyName, selinuxStatusFrom, selinuxWarnings } from "../../../src/host/index.js";
import { k3sConfigArgs, mergeK3sConfigs, parseK3sConfigYaml, renderK3sConfig, validateK3sConfig, writeK3sConfig } from "../../../src/k3s-config/index.js";
import { isKubeletLabel } from "../../../src/labels/index.js";
import { defaultDataDir, k3sLayout } from "../../../src/layout/index.js";
import { runProbe } from "../../../src/process/index.js";
import { isKitError, type KitErrorCode } from "../../../src/errors/index.js";
import { tempDir } from "../../helpers/tmp.js";

const BIG = "a".repeat(4 << 20);

function caught(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error("expected a throw");
}

function expectCode(err: unknown, code: KitErrorCode): void {
  expect(isKitError(err), String(err)).toBe(true);
  expect((err as { code: string }).code).toBe(code);
}

/** Everything an error exposes: message, value, stack, cause chain, JSON, String. */
function everything(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let depth = 0; e !== undefined && e !== null && depth < 10; depth++) {
    const x = e as { message?: unknown; value?: unknown; stack?: unknown; cause?: unknown };
    parts.push(String(x.message), String(x.stack), JSON.stringify(x.value) ?? "", String(e));
    try {
      parts.push(JSON.stringify(e, Object.getOwnPropertyNames(e)));
    } catch {}
    e = x.cause;
  }
  return parts.join("\n");
}

describe("issue 12: dns", () => {
  it("checkResolvConf(null) → typed DNS error", () => {
    expectCode(caught(() => checkResolvConf(null as never)), "DNS_OPTION_INVALID");
    expectCode(caught(() => parseResolvConf(0 as never)), "DNS_OPTION_INVALID");
    expectCode(caught(() => isViableNameserver(undefined as never)), "DNS_OPTION_INVALID");
    expectCode(caught(() => checkResolvConf("nameserver 8.8.8.8\n", { folow: "page" } as never)), "DNS_OPTION_INVALID");
    expect(checkResolvConf("nameserver 8.8.8.8\n").viable).toBe(true);
  });

  it("locateResolvConf with a non-AbortSignal signal or a relative dataDir → typed error, nothing written", async () => {
    const err = await locateResolvConf({ dataDir: "/x", signal: "x" as never }).catch((e) => e);
    expectCode(err, "DNS_OPTION_INVALID");
    const rel = await locateResolvConf({ dataDir: "rel-dd", candidates: [] }).catch((e) => e);
    expectCode(rel, "DNS_OPTION_INVALID");
    expect(existsSync("rel-dd")).toBe(false);
  });
});

describe("issue 12: root facade", () => {
  it("planNode({ nodeName: 0 }) → typed NODE error", () => {
    const err = caught(() => planNode({ nodeName: 0 as never }));
    expectCode(err, "NODE_OPTION_INVALID");
    expect((err as Error).message).toContain("nodeName");
  });

  it('createNode onEvent "x" refused before any write', async () => {
    const { dir, cleanup } = await tempDir("k3s-onevent-");
    try {
      const err = await createNode({ dataDir: dir, nodeName: "n", onEvent: "x" as never }).catch((e) => e);
      expectCode(err, "NODE_OPTION_INVALID");
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      await cleanup();
    }
  });

  describe("a throwing listener never crashes the process", () => {
    const seen: unknown[] = [];
    const record = (e: unknown) => seen.push(e);
    beforeEach(() => {
      process.on("uncaughtException", record);
      process.on("unhandledRejection", record);
    });
    afterEach(() => {
      process.off("uncaughtException", record);
      process.off("unhandledRejection", record);
    });

    it("createNode with a throwing (and a rejecting) listener finishes its work", async () => {
      for (const listener of [
        () => {
          throw new Error("listener boom");
        },
        async () => {
          throw new Error("async listener boom");
        },
      ]) {
        const { dir, cleanup } = await tempDir("k3s-boom-");
        try {
          let calls = 0;
          const node = await createNode({
            dataDir: dir,
            nodeName: "boom",
            onEvent: (e) => {
              calls++;
              return (listener as (e: unknown) => void)(e);
            },
          });
          await node.stop();
          expect(calls).toBeGreaterThan(1);
          expect(existsSync(join(dir, "server", "tls", "server-ca.crt"))).toBe(true);
          await new Promise((r) => setTimeout(r, 50));
          expect(seen).toEqual([]);
        } finally {
          await cleanup();
        }
      }
    });
  });

  it("secrets (tokens) never in errors: cloudInitForServer", () => {
    const SECRET = "K10planted-secret-7f3a";
    const bad = caught(() => cloudInitForServer({ pki: [], token: `${SECRET} with space` }));
    expectCode(bad, "CLOUD_INIT_INVALID");
    expect(everything(bad)).not.toContain(SECRET);
    const typo = caught(() => cloudInitForServer({ pki: [], token: SECRET, registry: {} } as never));
    expectCode(typo, "CLOUD_INIT_INVALID");
    expect(everything(typo)).not.toContain(SECRET);
    const cfg = caught(() => cloudInitForServer({ pki: [], token: SECRET, config: { "https-listen-port": "x" } as never }));
    expect(isKitError(cfg)).toBe(true);
    expect(everything(cfg)).not.toContain(SECRET);
    const path = caught(() => cloudInitForServer({ pki: [{ path: "../../etc/shadow", content: SECRET }], token: "t" }));
    expectCode(path, "CLOUD_INIT_INVALID");
    expect(everything(path)).not.toContain(SECRET);
  });
});

describe("issue 12: secrets never in errors (k3s-config, proxy)", () => {
  const SECRET = "planted-pass-93c1";

  it("a K3s config token of the wrong type is redacted", async () => {
    for (const f of [
      () => renderK3sConfig({ token: [SECRET, "x"] } as never),
      () => validateK3sConfig({ "agent-token": { a: SECRET } }),
      () => renderK3sConfig({ token: SECRET, nodeName: "typo" } as never),
    ]) {
      const err = caught(f);
      expect(isKitError(err)).toBe(true);
      expect(everything(err)).not.toContain(SECRET);
    }
    const rel = await writeK3sConfig("rel.yaml", { token: SECRET }).catch((e) => e);
    expectCode(rel, "K3S_CONFIG_OPTION_INVALID");
    expect(everything(rel)).not.toContain(SECRET);
    expect(existsSync("rel.yaml")).toBe(false);
  });

  it("proxy credentials never echo", () => {
    const url = `http://user:${SECRET}@proxy:3128`;
    for (const f of [
      () => renderServiceEnvFile({ HTTP_PROXY: `${url}\u0001` }),
      () => renderServiceEnvFile([[`bad name ${SECRET}`.slice(0, 9), url]]),
      () => parseServiceEnvFile(`HTTPS_PROXY=${url}\ud800\n`),
      () => augmentNoProxy({ HTTP_PROXY: url }, { clusterCIDRs: "not-a-cidr" }),
      () => augmentNoProxy({ HTTP_PROXY: url }, { role: "both" as never }),
      () => proxyEnvFromShell({ HTTP_PROXY: url }, { folow: "source" } as never),
      () => proxyEnvFromShell([url, 0] as never),
    ]) {
      const err = caught(f);
      expect(isKitError(err), String(err)).toBe(true);
      expect(everything(err)).not.toContain(SECRET);
    }
  });
});

describe("issue 12: 4 MB strings where maps are expected fail fast", () => {
  const cases: Array<[string, () => unknown, KitErrorCode]> = [
    ["k3sConfigArgs", () => k3sConfigArgs(BIG as never), "K3S_CONFIG_TYPE"],
    ["validateK3sConfig", () => validateK3sConfig(BIG as never), "K3S_CONFIG_TYPE"],
    ["renderK3sConfig", () => renderK3sConfig(BIG as never), "K3S_CONFIG_TYPE"],
    ["mergeK3sConfigs", () => mergeK3sConfigs(BIG as never), "K3S_CONFIG_OPTION_INVALID"],
    ["parseK3sConfigYaml options", () => parseK3sConfigYaml("a: b", BIG as never), "K3S_CONFIG_OPTION_INVALID"],
    ["renderServiceEnvFile", () => renderServiceEnvFile(BIG as never), "PROXY_OPTION_INVALID"],
    ["proxyEnvFromShell", () => proxyEnvFromShell(BIG as never), "PROXY_OPTION_INVALID"],
    ["rootlessSettingsFromEnv", () => rootlessSettingsFromEnv(BIG as never), "ROOTLESS_OPTION_INVALID"],
    ["rootlesskitArgs", () => rootlesskitArgs(BIG as never, { dataDir: "/d" }), "ROOTLESS_OPTION_INVALID"],
    ["rootlessDisablesCgroups", () => rootlessDisablesCgroups(BIG as never), "ROOTLESS_OPTION_INVALID"],
    ["rootlessUserUnit", () => rootlessUserUnit({ environment: BIG as never }), "ROOTLESS_OPTION_INVALID"],
    ["selinuxStatusFrom", () => selinuxStatusFrom(BIG as never), "NODE_OPTION_INVALID"],
    ["selinuxWarnings host", () => selinuxWarnings({ selinux: true, host: BIG as never }), "NODE_OPTION_INVALID"],
    ["helmChartsToYaml", () => helmChartsToYaml(BIG as never), "NODE_OPTION_INVALID"],
    ["chooseServiceManager", () => chooseServiceManager(BIG as never), "NODE_OPTION_INVALID"],
    ["defaultDataDir", () => defaultDataDir(BIG as never), "LAYOUT_OPTION_INVALID"],
    ["planNode", () => planNode(BIG as never), "NODE_OPTION_INVALID"],
  ];
  for (const [name, f, code] of cases) {
    it(`${name}(4 MB string) → ${code}`, () => {
      const err = caught(f);
      expectCode(err, code);
      // The message names the problem, it does not carry the 4 MB back.
      expect((err as Error).message.length).toBeLessThan(2000);
    });
  }
});

describe("issue 12: untyped errors from deep inside are typed at the edge", () => {
  it("wrong types and symbols get the module's code", async () => {
    expectCode(caught(() => dashQuote(undefined as never)), "PROXY_OPTION_INVALID");
    expectCode(caught(() => parseMountinfo(null as never)), "ROOTLESS_OPTION_INVALID");
    expectCode(caught(() => rootlesskitArgs({ mtu: 1500 } as never, { dataDir: "/d" })), "ROOTLESS_OPTION_INVALID");
    expectCode(caught(() => nflogPolicyName({} as never, "n")), "NODE_OPTION_INVALID");
    expectCode(caught(() => isKubeletLabel(undefined as never)), "NODE_OPTION_INVALID");
    expectCode(caught(() => k3sLayout(Symbol("s") as never)), "LAYOUT_OPTION_INVALID");
    expectCode(caught(() => validateK3sConfig(10n as never)), "K3S_CONFIG_TYPE");
    expectCode(caught(() => k3sConfigArgs({ "node-name": new Date(Number.NaN) })), "K3S_CONFIG_TYPE");
    expectCode(await runProbe(`/${BIG.slice(0, 4000)}`).catch((e) => e), "PROCESS_PROBE_FAILED");
    expectCode(await runProbe("x".repeat(5000)).catch((e) => e), "PROCESS_OPTION_INVALID");
  });
});

import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isKitError } from "../../../src/errors/index.js";
import {
  type InstallScriptOptions,
  installScriptCommand,
  installScriptEnv,
} from "../../../src/host/index.js";

function caught(fn: () => unknown): { code?: string; message: string; value?: unknown } {
  try {
    fn();
  } catch (e) {
    if (!isKitError(e)) throw e;
    return e as { code: string; message: string };
  }
  throw new Error("expected a throw");
}

// What install.sh does with INSTALL_K3S_EXEC (k3s-behaviours §12): backslash-escape every
// []!#$%&()*;<=>?\_`{|} character, then `eval set --` the result. Our own sh, same rule.
const EVAL_SH = `
set -o noglob
esc=$(printf '%s' "$INSTALL_K3S_EXEC" | sed -e 's/\\([][!#$%&()*;<=>?\\_\`{|}]\\)/\\\\\\1/g;')
eval set -- $esc
for a in "$@"; do printf '%s\\0' "$a"; done
`;

function shWords(exec: string): string[] {
  const out = execFileSync("/bin/sh", ["-c", EVAL_SH], {
    env: { INSTALL_K3S_EXEC: exec, PATH: process.env.PATH },
  });
  const s = out.toString("utf8");
  return s === "" ? [] : s.slice(0, -1).split("\0");
}

describe("installScriptEnv (install.sh, k3s-behaviours §12)", () => {
  it("gives the page's example", () => {
    expect(installScriptEnv({ skipStart: true, skipEnable: true })).toEqual({
      INSTALL_K3S_SKIP_ENABLE: "true",
      INSTALL_K3S_SKIP_START: "true",
    });
    expect(installScriptCommand({ skipStart: true, skipEnable: true })).toBe(
      "curl -sfL https://get.k3s.io | INSTALL_K3S_SKIP_ENABLE=true INSTALL_K3S_SKIP_START=true sh -",
    );
  });

  it("maps every option to its variable, booleans as the exact word true, keys sorted", () => {
    const env = installScriptEnv({
      version: "v1.31.4+k3s1",
      channel: "testing",
      skipSelinuxRpm: true,
      selinuxWarn: true,
      skipDownload: "binary",
      forceRestart: true,
      symlink: "skip",
      binDir: "/opt/bin",
      systemdDir: "/run/systemd/system",
      name: "edge",
      type: "exec",
      skipStart: false,
      exec: { command: "agent", args: ["--node-label", "tier=web"] },
    });
    expect(env).toEqual({
      INSTALL_K3S_BIN_DIR: "/opt/bin",
      INSTALL_K3S_CHANNEL: "testing",
      INSTALL_K3S_EXEC: "agent --node-label tier=web",
      INSTALL_K3S_FORCE_RESTART: "true",
      INSTALL_K3S_NAME: "edge",
      INSTALL_K3S_SELINUX_WARN: "true",
      INSTALL_K3S_SKIP_DOWNLOAD: "binary",
      INSTALL_K3S_SKIP_SELINUX_RPM: "true",
      INSTALL_K3S_SYMLINK: "skip",
      INSTALL_K3S_SYSTEMD_DIR: "/run/systemd/system",
      INSTALL_K3S_TYPE: "exec",
      INSTALL_K3S_VERSION: "v1.31.4+k3s1",
    });
    expect(Object.keys(env)).toEqual(Object.keys(env).sort());
    expect(installScriptEnv({})).toEqual({});
    expect(installScriptEnv({ skipDownload: true })).toEqual({ INSTALL_K3S_SKIP_DOWNLOAD: "true" });
  });

  it("allows version and channel together (version picks the binary, channel the SELinux RPM repo)", () => {
    expect(installScriptEnv({ version: "v1.31.4+k3s1", channel: "latest" })).toEqual({
      INSTALL_K3S_CHANNEL: "latest",
      INSTALL_K3S_VERSION: "v1.31.4+k3s1",
    });
  });

  it("quotes exec words so install.sh's escape+eval gives them back (real /bin/sh)", () => {
    const args = [
      "--disable=traefik",
      "--node-label",
      "a b",
      "--kubelet-arg=max_pods=110",
      "",
      "x\\y",
      "--tls-san=*.ex",
    ];
    const env = installScriptEnv({ exec: { command: "server", args } });
    expect(env.INSTALL_K3S_EXEC).toBe(
      "server --disable=traefik --node-label 'a b' --kubelet-arg=max_pods=110 '' x\\y --tls-san=*.ex",
    );
    expect(shWords(env.INSTALL_K3S_EXEC as string)).toEqual(["server", ...args]);
  });

  it("property: every exec word it accepts comes back unchanged through sh (fixed seed)", () => {
    const word = fc.string({ unit: fc.constantFrom(..."ab =-_.:,/*'\"\\$&;|{}[]!#?<>()%`\t"), maxLength: 8 });
    fc.assert(
      fc.property(fc.array(word, { maxLength: 5 }), (args) => {
        let env: Record<string, string>;
        try {
          env = installScriptEnv({ exec: { args } });
        } catch (e) {
          expect(isKitError(e, "INSTALL_EXEC_ARG_UNREPRESENTABLE")).toBe(true);
          return;
        }
        expect(shWords(env.INSTALL_K3S_EXEC ?? "")).toEqual(args);
      }),
      { seed: 42, numRuns: 150 },
    );
  });

  it("refuses words install.sh would mangle, and secrets in the exec line", () => {
    const bad = caught(() => installScriptEnv({ exec: { args: ["--node-label", "a=b c"] } }));
    expect(bad.code).toBe("INSTALL_EXEC_ARG_UNREPRESENTABLE");
    expect(bad.value).toBe("a=b c");
    const tok = caught(() => installScriptEnv({ exec: { args: ["--token=hunter2"] } }));
    expect(tok.code).toBe("INSTALL_EXEC_TOKEN");
    expect(tok.message).not.toContain("hunter2");
    expect(tok.value).toBe("--token");
  });

  it("refuses bad values with typed errors", () => {
    const cases: [InstallScriptOptions & Record<string, unknown>, string][] = [
      [{ version: "latest" }, "INSTALL_VERSION_INVALID"],
      [{ version: "1.31.4" }, "INSTALL_VERSION_INVALID"],
      [{ version: "v1.31.4-k3s1" }, "INSTALL_VERSION_INVALID"],
      [{ channel: "stable channel" }, "INSTALL_CHANNEL_INVALID"],
      [{ name: "my_node" }, "INSTALL_NAME_INVALID"],
      [{ name: "a/b" }, "INSTALL_NAME_INVALID"],
      [{ skipStart: "true" as unknown as boolean }, "INSTALL_OPTION_INVALID"],
      [{ skipDownload: "all" as "binary" }, "INSTALL_OPTION_INVALID"],
      [{ symlink: "yes" as "skip" }, "INSTALL_OPTION_INVALID"],
      [{ binDir: "bin" }, "INSTALL_OPTION_INVALID"],
      [{ type: "oneshot" as "exec" }, "INSTALL_OPTION_INVALID"],
      [{ exec: { command: "Server" } }, "INSTALL_OPTION_INVALID"],
      [{ skipSelinux: true }, "INSTALL_OPTION_INVALID"],
    ];
    for (const [options, code] of cases) {
      expect([caught(() => installScriptEnv(options)).code, options]).toEqual([code, options]);
    }
  });
});

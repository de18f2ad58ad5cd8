import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { parseServiceEnvFile, proxyEnvFromShell } from "../../../src/proxy/index.js";

// Runs install.sh's create_env_file pipeline (k3s-behaviours §12) with the real /bin/sh and compares.
const PIPELINE = `sh -c export | while read x v; do echo $v; done | grep -E '^(K3S|CONTAINERD|KINE)_'
sh -c export | while read x v; do echo $v; done | grep -Ei '^(NO|HTTP|HTTPS)_PROXY'`;

function realCapture(env: Record<string, string>): string[] {
  const out = execFileSync("/bin/sh", ["-c", PIPELINE], { env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env }, encoding: "utf8", cwd: "/" });
  return out.split("\n").filter((l) => l !== "");
}

describe("proxyEnvFromShell vs the real install.sh pipeline", () => {
  it("source mode writes the same lines as /bin/sh does for well-behaved values", () => {
    const env = {
      HTTP_PROXY: "http://proxy.example.com:8888",
      https_proxy: "http://u:p'q@h:1",
      NO_PROXY: "127.0.0.0/8,10.0.0.0/8",
      HTTP_PROXY_USER: "me",
      CONTAINERD_HTTP_PROXY: "http://c:3128",
      CONTAINERD_SNAPSHOTTER: "native",
      K3S_URL: "https://10.0.0.1:6443",
      KINE_TLS: "1",
      k3s_lower: "not captured",
      OTHER: "x",
    };
    const ours = proxyEnvFromShell(env, { follow: "source" });
    expect(ours.warnings).toEqual([]);
    expect(realCapture(env)).toEqual(ours.lines);
    // And systemd reads the written file back to the captured values.
    expect(parseServiceEnvFile(realCapture(env).join("\n")).env).toEqual(ours.env);
  });

  it("values the pipeline alters are flagged, and really are altered", () => {
    const env = { HTTP_PROXY: "a  b", NO_PROXY: "x\\y" };
    const ours = proxyEnvFromShell(env, { follow: "source" });
    expect(ours.warnings.map((w) => w.name).sort()).toEqual(["HTTP_PROXY", "NO_PROXY"]);
    const real = parseServiceEnvFile(realCapture(env).join("\n")).env;
    expect(real.HTTP_PROXY).not.toBe(env.HTTP_PROXY);
    expect(real.NO_PROXY).not.toBe(env.NO_PROXY);
  });
});

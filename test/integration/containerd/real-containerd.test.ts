/**
 * Real containerd (Debian 1.6, config version 2) started with the config the SDK rendered, then
 * checked over containerd's gRPC API (introspection + CRI Status). k3s-behaviours §6, §7.
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { containerdArgs, containerdConfigFor, writeContainerdConfig } from "../../../src/containerd/index.js";
import { detectRuntimes } from "../../../src/runtime/index.js";
import { spawnServer, stopProcess, waitFor } from "../../helpers/process.js";
import { ContainerdClient } from "./grpc-client.js";

let base: string;
let proc: ReturnType<typeof spawnServer> | undefined;
let client: ContainerdClient | undefined;
let socket: string;
let written: Awaited<ReturnType<typeof writeContainerdConfig>>;
let crunPath: string | undefined;

// A user config.toml.tmpl on top of the base (the page's "Base template" example, V2 keys).
const USER_TEMPLATE = `{{ template "base" . }}
[plugins."io.containerd.grpc.v1.cri".containerd.runtimes."custom"]
  runtime_type = "io.containerd.runc.v2"
[plugins."io.containerd.grpc.v1.cri".containerd.runtimes."custom".options]
  BinaryName = "/usr/bin/custom-container-runtime"
  SystemdCgroup = {{ .SystemdCgroup }}
`;

beforeAll(async () => {
  // Short base dir: unix socket paths are limited to ~108 bytes.
  base = await mkdtemp("/tmp/kctd-");
  const dataDir = join(base, "dd");
  const found = await detectRuntimes({ path: process.env.PATH ?? "", extraDirs: [] });
  crunPath = found.crun?.BinaryName;
  const config = containerdConfigFor({
    dataDir,
    stateDir: join(base, "s"),
    // native works on any filesystem (overlayfs also loads on this machine, but not on overlay-backed CI dirs).
    snapshotter: "native",
    runtimes: found,
    defaultRuntime: "crun",
    cni: { binDir: join(base, "cni-bin"), confDir: join(base, "cni-conf") },
  });
  socket = config.NodeConfig.Containerd.Address;
  const templateDir = config.NodeConfig.Containerd.Template;
  await mkdir(templateDir, { recursive: true });
  await writeFile(join(templateDir, "config.toml.tmpl"), USER_TEMPLATE);
  written = await writeContainerdConfig({
    templateDir,
    configPath: config.NodeConfig.Containerd.Config,
    config,
  });
  proc = spawnServer("containerd", containerdArgs(config, written.version));
  await waitFor(() => existsSync(socket), 20_000, "containerd socket");
  client = new ContainerdClient(socket);
  await waitFor(
    async () => (await client?.plugins())?.some((p) => p.id === "cri") ?? false,
    20_000,
    "containerd plugins",
  );
}, 60_000);

afterAll(async () => {
  client?.close();
  if (proc) await stopProcess(proc);
  if (base) await rm(base, { recursive: true, force: true });
});

describe("real containerd with the SDK-rendered config", () => {
  it("used the user's config.toml.tmpl, which implies config version 2", () => {
    expect(written.version).toBe(2);
    expect(written.template.endsWith("/config.toml.tmpl")).toBe(true);
  });

  it("crun was detected on the real PATH", () => {
    expect(crunPath).toMatch(/\/crun$/);
  });

  it("the CRI plugin and the configured native snapshotter loaded without init errors", async () => {
    const plugins = (await client?.plugins()) ?? [];
    const cri = plugins.find((p) => p.type === "io.containerd.grpc.v1" && p.id === "cri");
    expect(cri).toBeDefined();
    expect(cri?.initError).toBeUndefined();
    const snap = plugins.find((p) => p.type === "io.containerd.snapshotter.v1" && p.id === "native");
    expect(snap).toBeDefined();
    expect(snap?.initError, proc?.output()).toBeUndefined();
  });

  it("CRI Status reports the runtimes, default runtime and settings from our config", async () => {
    const status = await client?.criStatus();
    expect(status?.conditions.find((c) => c.type === "RuntimeReady")?.status).toBe(true);
    const cfg = JSON.parse(status?.info.config ?? "{}") as {
      containerd: {
        snapshotter: string;
        defaultRuntimeName: string;
        runtimes: Record<string, { runtimeType: string; options: Record<string, unknown> | null }>;
      };
      sandboxImage: string;
      streamServerPort: string;
      enableUnprivilegedPorts: boolean;
      registry: { configPath: string };
      cni: { binDir: string; confDir: string };
    };
    const rts = cfg.containerd.runtimes;
    expect(Object.keys(rts).sort()).toEqual(
      expect.arrayContaining(["crun", "custom", "runc", "runhcs-wcow-process"]),
    );
    expect(rts.crun?.runtimeType).toBe("io.containerd.runc.v2");
    expect(rts.crun?.options).toMatchObject({ BinaryName: crunPath, SystemdCgroup: false });
    expect(rts.runc?.options).toMatchObject({ SystemdCgroup: false });
    expect(rts.custom?.options).toMatchObject({ BinaryName: "/usr/bin/custom-container-runtime" });
    expect(cfg.containerd.defaultRuntimeName).toBe("crun");
    expect(cfg.containerd.snapshotter).toBe("native");
    expect(cfg.sandboxImage).toBe("rancher/mirrored-pause:3.6");
    expect(cfg.streamServerPort).toBe("10010");
    expect(cfg.enableUnprivilegedPorts).toBe(true);
    expect(cfg.registry.configPath).toBe(join(base, "dd/agent/etc/containerd/certs.d"));
    expect(cfg.cni).toMatchObject({ binDir: join(base, "cni-bin"), confDir: join(base, "cni-conf") });
  });

  it("the written file is what containerd read", async () => {
    const text = await readFile(join(base, "dd/agent/etc/containerd/config.toml"), "utf8");
    expect(
      text.startsWith("# File generated by k3s. DO NOT EDIT. Use config.toml.tmpl instead.\nversion = 2\n"),
    ).toBe(true);
    expect(text).toContain(
      `[plugins."io.containerd.grpc.v1.cri".containerd.runtimes."crun".options]\n  BinaryName = "${crunPath}"`,
    );
  });
});

import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { detectSELinux, detectServiceManager, renderOpenrcService, renderSystemdUnit, selinuxWarnings } from "../../../src/host/index.js";
import { tempDir } from "../../helpers/tmp.js";

describe("host detection on this machine and on fake roots (k3s-behaviours §12, §14)", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir("k3s-node-kit-host-"));
  });
  afterAll(async () => cleanup());

  it("detectServiceManager on this host agrees with install.sh's own test", async () => {
    const manager = await detectServiceManager();
    // Ask the real shell the same questions verify_system asks.
    const sh = spawnSync("/bin/sh", ["-c", 'if [ -x /sbin/openrc-run ]; then echo openrc; elif [ -x /bin/systemctl ] || type systemctl >/dev/null 2>&1; then echo systemd; else echo none; fi'], { encoding: "utf8" });
    console.log(`[node] service manager on this host: ${manager} (sh says ${sh.stdout.trim()})`);
    expect(manager).toBe(sh.stdout.trim());
  });

  it("OpenRC wins over systemd; neither is SERVICE_MANAGER_NOT_FOUND", async () => {
    const root = join(dir, "root1");
    await mkdir(join(root, "sbin"), { recursive: true });
    await mkdir(join(root, "bin"), { recursive: true });
    await writeFile(join(root, "sbin", "openrc-run"), "#!/bin/sh\n");
    await writeFile(join(root, "bin", "systemctl"), "#!/bin/sh\n");
    await chmod(join(root, "bin", "systemctl"), 0o755);
    expect(await detectServiceManager({ root, path: "" })).toBe("systemd"); // openrc-run not executable yet
    await chmod(join(root, "sbin", "openrc-run"), 0o755);
    expect(await detectServiceManager({ root, path: "" })).toBe("openrc");
    const empty = join(dir, "root2");
    await mkdir(empty);
    await expect(detectServiceManager({ root: empty, path: "/usr/bin" })).rejects.toMatchObject({ code: "SERVICE_MANAGER_NOT_FOUND" });
  });

  it("detectSELinux on this host agrees with /proc/filesystems", async () => {
    const s = await detectSELinux();
    const listed = readFileSync("/proc/filesystems", "utf8").includes("\tselinuxfs\n");
    console.log(`[node] SELinux on this host: ${JSON.stringify(s)} (selinuxfs listed: ${listed})`);
    if (!listed && !existsSync("/sys/fs/selinux/enforce")) expect(s.enabled).toBe(false);
    const check = selinuxWarnings({ selinux: false, host: s });
    expect(check.fatal).toBeUndefined();
  });

  it("detectSELinux on a fake SELinux root", async () => {
    const root = join(dir, "selinux");
    await mkdir(join(root, "proc", "self", "attr"), { recursive: true });
    await mkdir(join(root, "proc", "thread-self", "attr"), { recursive: true });
    await writeFile(join(root, "proc", "filesystems"), "nodev\tsysfs\nnodev\tselinuxfs\n");
    await writeFile(join(root, "proc", "self", "mountinfo"), "30 23 0:27 / /sys/fs/selinux rw,nosuid - selinuxfs selinuxfs rw\n");
    await writeFile(join(root, "proc", "thread-self", "attr", "current"), "system_u:system_r:unconfined_t:s0\0");
    const s = await detectSELinux({ root });
    expect(s).toEqual({ enabled: true, mount: "/sys/fs/selinux", label: "system_u:system_r:unconfined_t:s0" });
    expect(selinuxWarnings({ selinux: true, host: s }).warnings[0]).toContain("container_runtime_t");
  });

  it("the rendered systemd unit passes systemd-analyze verify", async () => {
    const bin = join(dir, "bin");
    await mkdir(bin, { recursive: true });
    await writeFile(join(bin, "k3s"), "#!/bin/sh\n");
    await chmod(join(bin, "k3s"), 0o755);
    const unit = join(dir, "k3s.service");
    await writeFile(unit, renderSystemdUnit({ name: "k3s", command: "server", args: ["--disable=traefik", "--node-label=it's", "--tls-san=a b"], binDir: bin }));
    const r = spawnSync("systemd-analyze", ["verify", unit], { encoding: "utf8", timeout: 30_000 });
    console.log(`[node] systemd-analyze verify: rc=${r.status} ${r.stderr.trim()}`);
    expect(r.stderr).not.toMatch(/k3s\.service:\d+:/);
    expect(r.status).toBe(0);
  });

  it("the rendered OpenRC script is valid sh (sh -n)", async () => {
    const f = join(dir, "k3s-agent");
    await writeFile(f, renderOpenrcService({ name: "k3s-agent", command: "agent", args: ['--x="y"', "it's"] }).script);
    expect(() => execFileSync("/bin/sh", ["-n", f])).not.toThrow();
  });
});

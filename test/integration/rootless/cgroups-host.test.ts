import { readFileSync, statfsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkCgroups } from "../../../src/rootless/index.js";

const CGROUP2_SUPER_MAGIC = 0x63677270;

function statfsType(path: string): number | undefined {
  try {
    return Number(statfsSync(path).type);
  } catch {
    return undefined;
  }
}

// Runs the rootless cgroup check on this real host and cross-checks it against data read another way:
// containerd's statfs method for the mode, and the kernel's own view in /proc/self/cgroup.
describe("checkCgroups on this host (k3s-behaviours §10)", () => {
  it("reports the host layout consistently with statfs and /proc/self/cgroup", async () => {
    const r = await checkCgroups();
    console.log(
      `[rootless] cgroup mode=${r.mode} cgroup2Mount=${r.cgroup2Mount ?? "-"} own=${r.ownCgroup2 ?? "-"} ` +
        `v1=[${r.v1Controllers.join(",")}] delegated=[${r.delegated.join(",")}] evacuation=${r.evacuation} ` +
        `rootlessOk=${r.rootless.ok} problems=${JSON.stringify(r.rootless.problems)} warnings=${JSON.stringify(r.warnings)}`,
    );
    // Mode: the way containerd's cgroups.Mode() decides it.
    const expected = statfsType("/sys/fs/cgroup") === CGROUP2_SUPER_MAGIC ? "v2" : statfsType("/sys/fs/cgroup/unified") === CGROUP2_SUPER_MAGIC ? "hybrid" : undefined;
    if (expected) expect(r.mode).toBe(expected);
    else expect(["v1", "none"]).toContain(r.mode);

    // v1 controllers: the kernel lists our membership per v1 hierarchy in /proc/self/cgroup.
    const lines = readFileSync("/proc/self/cgroup", "utf8").split("\n").filter(Boolean);
    const v1FromProc = new Set(lines.map((l) => l.split(":")[1] ?? "").flatMap((c) => c.split(",")).filter((c) => c !== "" && !c.startsWith("name=")));
    expect(new Set(r.v1Controllers)).toEqual(v1FromProc);

    // Delegated controllers: the own cgroup2 dir's cgroup.controllers, read directly.
    const v2Line = lines.find((l) => l.startsWith("0::"));
    expect(r.ownCgroup2).toBe(v2Line?.slice(3));
    if (r.ownCgroup2Dir) {
      const direct = readFileSync(`${r.ownCgroup2Dir}/cgroup.controllers`, "utf8").split(/\s+/).filter(Boolean).sort();
      expect(r.delegated).toEqual(direct);
    }
    // The page: rootless needs pure v2.
    if (r.mode !== "v2") expect(r.rootless.ok).toBe(false);
    expect(r.malformed).toEqual({ mountinfo: [], selfCgroup: [] });
  });

  it("an unreadable root gives CGROUP_READ_FAILED", async () => {
    await expect(checkCgroups({ root: "/nonexistent-root" })).rejects.toMatchObject({ code: "CGROUP_READ_FAILED" });
  });
});

describe("checkRootlessHost on this host (k3s-behaviours §10)", () => {
  it("reads the sysctls the way K3s does and reports slirp4netns", async () => {
    const { checkRootlessHost } = await import("../../../src/rootless/index.js");
    const r = await checkRootlessHost();
    console.log(`[rootless] host sysctls=${JSON.stringify(r.sysctls)} slirp4netns=${r.slirp4netns ?? "missing"} problems=${JSON.stringify(r.problems)}`);
    let forward: string | undefined;
    try {
      forward = readFileSync("/proc/sys/net/ipv4/ip_forward", "utf8");
    } catch {
      forward = undefined;
    }
    expect(r.sysctls["net.ipv4.ip_forward"]).toBe(forward);
    expect(r.problems.some((p) => p.includes('"net.ipv4.ip_forward"'))).toBe(forward !== undefined && forward.trim() !== "1");
    expect(r.problems.some((p) => p.includes("slirp4netns"))).toBe(r.slirp4netns === undefined);
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isKitError } from "../../../src/errors/index.js";
import {
  analyzeCgroups,
  parseMountinfo,
  parseProcCgroup,
  rootlessHostPort,
  rootlessPortForwards,
  rootlessSettingsFromEnv,
  rootlessUserUnit,
  rootlesskitArgs,
} from "../../../src/rootless/index.js";

// k3s-behaviours §10, environment variable table.
describe("rootlessSettingsFromEnv (§10)", () => {
  it("defaults: page MTU 1500 (source 65520), CIDR 10.41.0.0/16, builtin, loopback disabled, IPv6 off", () => {
    const { settings, warnings } = rootlessSettingsFromEnv({});
    expect(settings).toEqual({ mtu: 1500, cidr: "10.41.0.0/16", enableIPv6: false, portDriver: "builtin", disableHostLoopback: true, copyUpDirs: ["/etc", "/var/run", "/run", "/var/lib"], ifname: "tap0" });
    expect(warnings).toEqual([]);
    expect(rootlessSettingsFromEnv({}, { follow: "source" }).settings.mtu).toBe(65520);
  });
  it("MTU: ParseInt; 0 means the driver default 65520; junk warns and keeps the default; negative is fatal", () => {
    expect(rootlessSettingsFromEnv({ K3S_ROOTLESS_MTU: "9000" }).settings.mtu).toBe(9000);
    expect(rootlessSettingsFromEnv({ K3S_ROOTLESS_MTU: "+1400" }).settings.mtu).toBe(1400);
    expect(rootlessSettingsFromEnv({ K3S_ROOTLESS_MTU: "0" }).settings.mtu).toBe(65520);
    const bad = rootlessSettingsFromEnv({ K3S_ROOTLESS_MTU: "1500 " });
    expect(bad.settings.mtu).toBe(1500);
    expect(bad.warnings).toEqual([{ variable: "K3S_ROOTLESS_MTU", value: "1500 ", message: "Failed to parse rootless mtu value; using default" }]);
    expect(rootlessSettingsFromEnv({ K3S_ROOTLESS_MTU: "99999999999999999999" }).warnings).toHaveLength(1);
    expect(() => rootlessSettingsFromEnv({ K3S_ROOTLESS_MTU: "-1" })).toThrow(expect.objectContaining({ code: "ROOTLESS_MTU_NEGATIVE" }));
  });
  it("CIDR: must parse and have no host bits (fatal otherwise); checked before the negative MTU", () => {
    expect(rootlessSettingsFromEnv({ K3S_ROOTLESS_CIDR: "10.99.0.0/24" }).settings.cidr).toBe("10.99.0.0/24");
    expect(() => rootlessSettingsFromEnv({ K3S_ROOTLESS_CIDR: "10.99.0.1/24" })).toThrow(
      expect.objectContaining({ code: "ROOTLESS_CIDR_HOST_BITS", message: "host identifier bits must not be set in CIDR prefix" }),
    );
    expect(() => rootlessSettingsFromEnv({ K3S_ROOTLESS_CIDR: "10.99.0.0" })).toThrow(expect.objectContaining({ code: "ROOTLESS_CIDR_INVALID" }));
    expect(() => rootlessSettingsFromEnv({ K3S_ROOTLESS_CIDR: "x", K3S_ROOTLESS_MTU: "-5" })).toThrow(expect.objectContaining({ code: "ROOTLESS_CIDR_INVALID" }));
  });
  it("ENABLE_IPV6: default true only for dual-stack --node-ip; ParseBool values; junk warns", () => {
    expect(rootlessSettingsFromEnv({}, { nodeIPs: ["10.0.0.5", "fd00::5"] }).settings.enableIPv6).toBe(true);
    expect(rootlessSettingsFromEnv({}, { nodeIPs: ["10.0.0.5"] }).settings.enableIPv6).toBe(false);
    expect(rootlessSettingsFromEnv({}, { nodeIPs: ["fd00::5"] }).settings.enableIPv6).toBe(false);
    for (const t of ["1", "t", "T", "TRUE", "true", "True"]) expect(rootlessSettingsFromEnv({ K3S_ROOTLESS_ENABLE_IPV6: t }).settings.enableIPv6, t).toBe(true);
    for (const f of ["0", "f", "F", "FALSE", "false", "False"]) expect(rootlessSettingsFromEnv({ K3S_ROOTLESS_ENABLE_IPV6: f }, { nodeIPs: ["1.1.1.1", "::2"] }).settings.enableIPv6, f).toBe(false);
    const r = rootlessSettingsFromEnv({ K3S_ROOTLESS_ENABLE_IPV6: "yes" }, { nodeIPs: ["1.1.1.1", "::2"] });
    expect(r.settings.enableIPv6).toBe(true);
    expect(r.warnings[0]?.message).toBe("Failed to parse rootless enable-ipv6 value; using default");
  });
  it("a comma list in one --node-ip value fails, as IsDualStackIPStrings does in K3s", () => {
    expect(() => rootlessSettingsFromEnv({}, { nodeIPs: ["10.0.0.5,fd00::5"] })).toThrow(expect.objectContaining({ code: "ROOTLESS_NODE_IP_INVALID" }));
    // ParseIPSloppy allows leading zeros.
    expect(rootlessSettingsFromEnv({}, { nodeIPs: ["010.0.0.5", "fd00::5"] }).settings.enableIPv6).toBe(true);
  });
  it("PORT_DRIVER: lower-cased; slirp4netns; anything else warns and uses builtin", () => {
    expect(rootlessSettingsFromEnv({ K3S_ROOTLESS_PORT_DRIVER: "SLIRP4NETNS" }).settings.portDriver).toBe("slirp4netns");
    expect(rootlessSettingsFromEnv({ K3S_ROOTLESS_PORT_DRIVER: "Builtin" }).warnings).toEqual([]);
    const r = rootlessSettingsFromEnv({ K3S_ROOTLESS_PORT_DRIVER: "Pasta" });
    expect(r.settings.portDriver).toBe("builtin");
    expect(r.warnings[0]?.message).toBe("Unsupported port driver pasta, using default builtin");
  });
  it("DISABLE_HOST_LOOPBACK: ParseBool, default true, junk warns", () => {
    expect(rootlessSettingsFromEnv({ K3S_ROOTLESS_DISABLE_HOST_LOOPBACK: "false" }).settings.disableHostLoopback).toBe(false);
    const r = rootlessSettingsFromEnv({ K3S_ROOTLESS_DISABLE_HOST_LOOPBACK: "no" });
    expect(r.settings.disableHostLoopback).toBe(true);
    expect(r.warnings[0]?.message).toBe("Failed to parse rootless disable-host-loopback value; using default");
  });
  it("COPYUPDIRS: comma list appended (Go Split keeps empty items)", () => {
    expect(rootlessSettingsFromEnv({ K3S_ROOTLESS_COPYUPDIRS: "/opt,,/srv" }).settings.copyUpDirs).toEqual(["/etc", "/var/run", "/run", "/var/lib", "/opt", "", "/srv"]);
  });
});

// k3s-behaviours §10 port vectors.
describe("rootless ports (§10)", () => {
  const lb = (ports: Array<{ port?: number; nodePort?: number; protocol?: string }>, ingress: Array<{ ip?: string; hostname?: string }> = [{ ip: "127.0.0.1" }]) => ({
    spec: { ports },
    status: { loadBalancer: { ingress } },
  });
  it("80/TCP with nodePort 31080 → 10080→80 and 31080→31080 (plus 6443)", () => {
    expect(rootlessPortForwards([lb([{ port: 80, nodePort: 31080, protocol: "TCP" }])])).toEqual([
      { proto: "tcp", hostPort: 6443, childPort: 6443 },
      { proto: "tcp", hostPort: 10080, childPort: 80 },
      { proto: "tcp", hostPort: 31080, childPort: 31080 },
    ]);
  });
  it("1024: page → 1024, source → 11024; 1025 → 1025 either way", () => {
    expect(rootlessHostPort(1024)).toBe(1024);
    expect(rootlessHostPort(1024, { follow: "source" })).toBe(11024);
    expect(rootlessHostPort(1023)).toBe(11023);
    expect(rootlessHostPort(1025, { follow: "source" })).toBe(1025);
    expect(rootlessPortForwards([lb([{ port: 1024 }])], { follow: "source" }).map((p) => p.hostPort)).toEqual([6443, 11024]);
    expect(rootlessPortForwards([lb([{ port: 1025 }])], { follow: "source" }).map((p) => p.hostPort)).toEqual([1025, 6443]);
  });
  it("53/UDP → udp 10053→53; SCTP skipped; absent protocol is TCP", () => {
    expect(rootlessPortForwards([lb([{ port: 53, protocol: "UDP" }, { port: 9, protocol: "SCTP" }, { port: 8080 }])])).toEqual([
      { proto: "tcp", hostPort: 6443, childPort: 6443 },
      { proto: "tcp", hostPort: 8080, childPort: 8080 },
      { proto: "udp", hostPort: 10053, childPort: 53 },
    ]);
  });
  it("ServiceLB disabled → only the https port (even when it is ≤1024, bound 1:1)", () => {
    expect(rootlessPortForwards([lb([{ port: 80 }])], { serviceLB: false, httpsPort: 443 })).toEqual([{ proto: "tcp", hostPort: 443, childPort: 443 }]);
  });
  it("hostname-only ingress and services without ingress are ignored", () => {
    expect(rootlessPortForwards([lb([{ port: 80 }], [{ hostname: "lb.example" }]), { spec: { ports: [{ port: 81 }] } }])).toHaveLength(1);
  });
  it("bad ports are typed errors", () => {
    expect(() => rootlessHostPort(0)).toThrow(expect.objectContaining({ code: "ROOTLESS_PORT_INVALID" }));
    expect(() => rootlessHostPort(70000)).toThrow(expect.objectContaining({ code: "ROOTLESS_PORT_INVALID" }));
    expect(() => rootlessPortForwards([lb([{ port: 1.5 }])])).toThrow(expect.objectContaining({ code: "ROOTLESS_SERVICE_INVALID" }));
    expect(() => rootlessPortForwards("x" as never)).toThrow(expect.objectContaining({ code: "ROOTLESS_SERVICE_INVALID" }));
  });
});

describe("rootlesskitArgs and the user unit", () => {
  it("flags mirror K3s's parent options", () => {
    const { settings } = rootlessSettingsFromEnv({ K3S_ROOTLESS_PORT_DRIVER: "slirp4netns" }, { nodeIPs: ["1.2.3.4", "fd00::1"] });
    expect(rootlesskitArgs(settings, { dataDir: "/home/u/.rancher/k3s", evacuateCgroup2: true })).toEqual([
      "--state-dir=/home/u/.rancher/k3s/rootless",
      "--net=slirp4netns",
      "--mtu=1500",
      "--cidr=10.41.0.0/16",
      "--ifname=tap0",
      "--disable-host-loopback",
      "--ipv6",
      "--port-driver=slirp4netns",
      "--copy-up=/etc",
      "--copy-up=/var/run",
      "--copy-up=/run",
      "--copy-up=/var/lib",
      "--copy-up-mode=tmpfs+symlink",
      "--pidns",
      "--cgroupns",
      "--utsns",
      "--ipcns",
      "--evacuate-cgroup2=k3s_evac",
    ]);
    expect(() => rootlesskitArgs(settings, { dataDir: "" })).toThrow(expect.objectContaining({ code: "ROOTLESS_OPTION_INVALID" }));
  });
  it("the unit carries Delegate=yes, the default snapshotter and the env", () => {
    const u = rootlessUserUnit({ environment: { K3S_ROOTLESS_MTU: "1500" } });
    for (const l of ["Delegate=yes", "Type=simple", "KillMode=mixed", "Restart=always", "RestartSec=2", "LimitNOFILE=infinity", "TasksMax=infinity", "WantedBy=default.target", 'Environment="K3S_ROOTLESS_MTU=1500"', "ExecStart=/usr/local/bin/k3s server --rootless --snapshotter=fuse-overlayfs"]) {
      expect(u.split("\n"), l).toContain(l);
    }
    expect(rootlessUserUnit({ args: ["--node-label=a=$b%c"] })).toContain(`ExecStart=/usr/local/bin/k3s server --rootless "--node-label=a=$$b%%c"`);
    expect(() => rootlessUserUnit({ binary: "k3s" })).toThrow(expect.objectContaining({ code: "ROOTLESS_OPTION_INVALID" }));
    expect(() => rootlessUserUnit({ environment: { "A-B": "x" } })).toThrow(expect.objectContaining({ code: "ROOTLESS_OPTION_INVALID" }));
  });
});

const HYBRID_MOUNTINFO = `31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices
39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
`;
const V2_MOUNTINFO = `35 24 0:30 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n`;

describe("cgroup layout (§10, page 'Known Issues with Rootless mode')", () => {
  it("hybrid host: v1 controllers listed, rootless refused with the v1-bound controllers named", () => {
    const r = analyzeCgroups({ mountinfo: HYBRID_MOUNTINFO, selfCgroup: "4:pids:/\n1:cpu:/\n0::/\n", ownControllers: "hugetlb\n", ownDirWritable: true, cgroupfsWritable: false });
    expect(r.mode).toBe("hybrid");
    expect(r.cgroup2Mount).toBe("/sys/fs/cgroup/unified");
    expect(r.ownCgroup2Dir).toBe("/sys/fs/cgroup/unified");
    expect(r.v1Controllers).toEqual(["cpu", "devices", "pids"]);
    expect(r.delegated).toEqual(["hugetlb"]);
    expect(r.rootless.ok).toBe(false);
    expect(r.rootless.problems.join("\n")).toContain("controllers still bound to cgroup v1: cpu, pids");
  });
  it("pure v2 with delegation under a systemd user service: ok and evacuation on", () => {
    const r = analyzeCgroups({
      mountinfo: V2_MOUNTINFO,
      selfCgroup: "0::/user.slice/user-1000.slice/user@1000.service/app.slice/k3s-rootless.service\n",
      ownControllers: "cpuset cpu io memory pids\n",
      ownDirWritable: true,
      cgroupfsWritable: true,
    });
    expect(r.mode).toBe("v2");
    expect(r.ownCgroup2Dir).toBe("/sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service/app.slice/k3s-rootless.service");
    expect(r.rootless).toEqual({ ok: true, problems: [] });
    expect(r.evacuation).toBe(true);
    expect(r.warnings).toEqual([]);
  });
  it("v2 from a terminal: not writable, missing cpu → K3s's warning and error text", () => {
    const r = analyzeCgroups({ mountinfo: V2_MOUNTINFO, selfCgroup: "0::/user.slice/session-1.scope\n", ownControllers: "memory pids\n", ownDirWritable: false, cgroupfsWritable: false });
    expect(r.warnings).toEqual(["Cannot set cgroup2 evacuation, make sure to run k3s as a systemd unit"]);
    expect(r.rootless.problems[0]).toBe("delegated cgroup v2 controllers are required for rootless (missing: cpu)");
  });
  it("pure v1: no cgroup2 entry → K3s's 'Enabling cgroup2 is highly recommended'", () => {
    const r = analyzeCgroups({ mountinfo: HYBRID_MOUNTINFO.split("\n").slice(0, 5).join("\n"), selfCgroup: "1:cpu:/\n" });
    expect(r.mode).toBe("v1");
    expect(r.warnings[0]).toContain("Enabling cgroup2 is highly recommended");
  });
  it("inside a cgroup namespace the mount root is stripped; octal escapes decoded", () => {
    const mi = "35 24 0:30 /kubepods/pod1 /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n36 24 0:31 / /mnt/with\\040space rw - ext4 /dev/sda1 rw\n";
    const r = analyzeCgroups({ mountinfo: mi, selfCgroup: "0::/kubepods/pod1/c1\n" });
    expect(r.ownCgroup2Dir).toBe("/sys/fs/cgroup/c1");
    expect(parseMountinfo(mi).entries[1]?.mountPoint).toBe("/mnt/with space");
  });
  it("malformed lines are reported, not thrown", () => {
    expect(parseMountinfo("garbage\n1 2 3\n").malformed).toEqual([1, 2]);
    expect(parseProcCgroup("x\n0::/\n").malformed).toEqual([1]);
  });
});

describe("fuzz: rootless parsers", () => {
  it("rootlessSettingsFromEnv: settings or a KitError", () => {
    const v = fc.oneof(fc.string({ maxLength: 12 }), fc.integer({ min: -5, max: 70000 }).map(String), fc.constantFrom("true", "0", "10.1.0.0/16", "slirp4netns", "fd00::/64"));
    fc.assert(
      fc.property(fc.record({ K3S_ROOTLESS_MTU: v, K3S_ROOTLESS_CIDR: v, K3S_ROOTLESS_ENABLE_IPV6: v, K3S_ROOTLESS_PORT_DRIVER: v, K3S_ROOTLESS_DISABLE_HOST_LOOPBACK: v, K3S_ROOTLESS_COPYUPDIRS: v }, { requiredKeys: [] }), fc.array(fc.oneof(fc.ipV4(), fc.ipV6(), fc.string({ maxLength: 8 })), { maxLength: 3 }), (env, nodeIPs) => {
        try {
          const r = rootlessSettingsFromEnv(env, { nodeIPs });
          expect(Number.isInteger(r.settings.mtu) && r.settings.mtu >= 0).toBe(true);
        } catch (e) {
          expect(isKitError(e) && /^ROOTLESS_/.test(e.code)).toBe(true);
        }
      }),
      { seed: 42, numRuns: 1000 },
    );
  });
  it("mountinfo / cgroup parsing and analysis never throw", () => {
    const text = fc.oneof(fc.string({ maxLength: 200 }), fc.array(fc.constantFrom("0::/", "1:cpu:/x", "31 23 0:28 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw", "32 31 0:29 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu", " - ", ":", "\\040"), { maxLength: 8 }).map((a) => a.join("\n")));
    fc.assert(
      fc.property(text, text, fc.string({ maxLength: 40 }), (mountinfo, selfCgroup, ctl) => {
        const r = analyzeCgroups({ mountinfo, selfCgroup, ownControllers: ctl });
        expect(["v2", "v1", "hybrid", "none"]).toContain(r.mode);
      }),
      { seed: 42, numRuns: 1000 },
    );
  });
  it("port forwards on arbitrary service shapes: forwards or a KitError", () => {
    const port = fc.record({ port: fc.oneof(fc.integer({ min: -2, max: 70000 }), fc.constant(undefined)), nodePort: fc.oneof(fc.integer({ min: 0, max: 32767 }), fc.constant(undefined)), protocol: fc.constantFrom("TCP", "UDP", "SCTP", "tcp", undefined) }, { requiredKeys: [] });
    const svc = fc.record({ spec: fc.record({ ports: fc.array(port, { maxLength: 4 }) }), status: fc.record({ loadBalancer: fc.record({ ingress: fc.array(fc.record({ ip: fc.constantFrom("1.2.3.4", "", undefined) }, { requiredKeys: [] }), { maxLength: 2 }) }) }) });
    fc.assert(
      fc.property(fc.array(svc, { maxLength: 4 }), fc.constantFrom("page", "source") as fc.Arbitrary<"page" | "source">, (svcs, follow) => {
        try {
          for (const f of rootlessPortForwards(svcs as never, { follow })) expect(f.hostPort).toBeGreaterThan(0);
        } catch (e) {
          expect(isKitError(e, "ROOTLESS_SERVICE_INVALID")).toBe(true);
        }
      }),
      { seed: 42, numRuns: 500 },
    );
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isKitError } from "../../../src/errors/index.js";
import {
  AGENTLESS_EGRESS_WARNING,
  SELINUX_CUSTOM_DATA_DIR_WARNING,
  SELINUX_NOT_REQUESTED_WARNING,
  SELINUX_WRONG_CONTEXT_WARNING,
  agentlessServer,
  chooseServiceManager,
  egressSelectorConfig,
  nflogPolicyName,
  nflogRule,
  parseEgressSelectorMode,
  parseNflogAnnotations,
  renderOpenrcService,
  renderSystemdUnit,
  runsAgentless,
  selinuxStatusFrom,
  selinuxWarnings,
  serviceCommand,
  serviceLayout,
  serviceName,
} from "../../../src/host/index.js";

// k3s-behaviours §13.
describe("egress selector mode and agentless servers (§13)", () => {
  it("valid modes, default agent, case-sensitive", () => {
    expect(parseEgressSelectorMode(undefined)).toEqual({ mode: "agent", proxyProtocol: "HTTPConnect", labelsNodes: false });
    expect(parseEgressSelectorMode("pod").labelsNodes).toBe(true);
    expect(parseEgressSelectorMode("cluster").labelsNodes).toBe(true);
    expect(parseEgressSelectorMode("disabled").proxyProtocol).toBe("Direct");
    expect(() => parseEgressSelectorMode("Pod")).toThrow(expect.objectContaining({ code: "EGRESS_SELECTOR_MODE_INVALID", message: "invalid egress-selector-mode Pod" }));
  });
  it("agentless with agent/disabled warns with K3s's text; cluster/pod do not", () => {
    expect(parseEgressSelectorMode("agent", { disableAgent: true }).warning).toBe(AGENTLESS_EGRESS_WARNING);
    expect(parseEgressSelectorMode("disabled", { disableAgent: true }).warning).toBe(AGENTLESS_EGRESS_WARNING);
    expect(parseEgressSelectorMode("pod", { disableAgent: true }).warning).toBeUndefined();
    expect(parseEgressSelectorMode("agent").warning).toBeUndefined();
  });
  it("egress config file: JSON as Go marshals it, under <dd>/server/etc", () => {
    expect(egressSelectorConfig({ mode: "disabled", dataDir: "/var/lib/rancher/k3s" })).toEqual({
      path: "/var/lib/rancher/k3s/server/etc/egress-selector-config.yaml",
      content: '{"kind":"EgressSelectorConfiguration","apiVersion":"apiserver.k8s.io/v1beta1","egressSelections":[{"name":"cluster","connection":{"proxyProtocol":"Direct"}}]}',
    });
    expect(JSON.parse(egressSelectorConfig({ mode: "agent", dataDir: "/d", supervisorPort: 9345, bindAddress: "fd00::1" }).content).egressSelections[0].connection).toEqual({
      proxyProtocol: "HTTPConnect",
      transport: { tcp: { url: "https://[fd00::1]:9345", tlsConfig: { caBundle: "/d/server/tls/server-ca.crt", clientKey: "/d/server/tls/client-kube-apiserver.key", clientCert: "/d/server/tls/client-kube-apiserver.crt" } } },
    });
    expect(egressSelectorConfig({ mode: "pod", dataDir: "/a&b" }).content).toContain("/a\\u0026b/server/tls");
  });
  it("the agentless option set", () => {
    const p = agentlessServer({ egressSelectorMode: "cluster", rootless: true });
    expect(p.args).toEqual(["--disable-agent", "--egress-selector-mode=cluster", "--rootless"]);
    expect(p).toMatchObject({ runsKubelet: false, runsContainerd: false, registersNode: false, containerRuntimeEndpoint: "/dev/null" });
    expect(p.skipped).toContain("privileged check");
    expect(p.skipped.some((s) => s.startsWith("rootless"))).toBe(true);
    expect(agentlessServer().warnings[0]).toBe(AGENTLESS_EGRESS_WARNING);
  });
  it("cluster-reset forces agentless when supervisor and https ports are equal", () => {
    expect(runsAgentless({ clusterReset: true })).toBe(true);
    expect(runsAgentless({ clusterReset: true, supervisorPort: 9345 })).toBe(false);
    expect(runsAgentless({ disableAgent: true })).toBe(true);
    expect(runsAgentless({})).toBe(false);
  });
});

// k3s-behaviours §14.
describe("SELinux (§14)", () => {
  const mi = "30 23 0:27 / /sys/fs/selinux rw,relatime - selinuxfs selinuxfs rw\n";
  it("enabled needs a rw selinuxfs and a label that is not kernel", () => {
    expect(selinuxStatusFrom({ filesystems: "nodev\tselinuxfs\n", mountinfo: mi, currentLabel: "system_u:system_r:container_runtime_t:s0\0" })).toEqual({
      enabled: true,
      mount: "/sys/fs/selinux",
      label: "system_u:system_r:container_runtime_t:s0",
    });
    expect(selinuxStatusFrom({ filesystems: "", mountinfo: mi, currentLabel: "kernel" }).enabled).toBe(false);
    expect(selinuxStatusFrom({ filesystems: "", mountinfo: mi.replace("rw,relatime", "ro,relatime"), currentLabel: "x:y:z" }).enabled).toBe(false);
    expect(selinuxStatusFrom({ filesystems: "", mountinfo: "", currentLabel: "x:y:z" }).enabled).toBe(false);
    // Elsewhere than /sys/fs/selinux, go-selinux first wants selinuxfs in /proc/filesystems.
    const other = mi.replace("/sys/fs/selinux", "/selinux");
    expect(selinuxStatusFrom({ filesystems: "", mountinfo: other, currentLabel: "x:y:z" }).enabled).toBe(false);
    expect(selinuxStatusFrom({ filesystems: "nodev\tselinuxfs\n", mountinfo: other, currentLabel: "x:y:z" }).enabled).toBe(true);
  });
  it("the two K3s warnings; neither is fatal", () => {
    const on = { enabled: true, label: "system_u:system_r:container_runtime_t:s0" };
    const wrong = { enabled: true, label: "unconfined_u:unconfined_r:unconfined_t:s0" };
    expect(selinuxWarnings({ selinux: false, host: on, follow: "source" })).toEqual({ containerdSELinux: false, configured: true, warnings: [SELINUX_NOT_REQUESTED_WARNING] });
    expect(selinuxWarnings({ selinux: true, host: wrong, follow: "source" })).toEqual({ containerdSELinux: true, configured: false, warnings: [SELINUX_WRONG_CONTEXT_WARNING] });
    expect(selinuxWarnings({ selinux: true, host: on, follow: "source" }).warnings).toEqual([]);
    expect(selinuxWarnings({ selinux: true, host: { enabled: false }, follow: "source" }).warnings).toEqual([SELINUX_WRONG_CONTEXT_WARNING]);
    expect(SELINUX_NOT_REQUESTED_WARNING).toBe("SELinux is enabled on this host, but k3s has not been started with --selinux - containerd SELinux support is disabled");
  });
  it("custom data-dir: warned by the page (default), not by the source", () => {
    const on = { enabled: true, label: "system_u:system_r:container_runtime_t:s0" };
    expect(selinuxWarnings({ selinux: true, host: on, dataDir: "/data/k3s" }).warnings).toEqual([SELINUX_CUSTOM_DATA_DIR_WARNING]);
    expect(selinuxWarnings({ selinux: true, host: on, dataDir: "/var/lib/rancher/k3s/" }).warnings).toEqual([]);
    expect(selinuxWarnings({ selinux: true, host: on, dataDir: "/data/k3s", follow: "source" }).warnings).toEqual([]);
    expect(selinuxWarnings({ selinux: false, host: { enabled: false }, dataDir: "/data/k3s" }).warnings).toEqual([]);
  });
  it("an unreadable or malformed label is fatal in K3s", () => {
    const s = selinuxStatusFrom({ filesystems: "", mountinfo: mi, currentLabel: "garbage" });
    expect(s.labelError).toBeDefined();
    expect(selinuxWarnings({ selinux: true, host: s }).fatal).toMatch(/^failed to detect selinux: /);
    expect(selinuxStatusFrom({ filesystems: "", mountinfo: mi }).labelError).toBe("cannot read the process label");
  });
});

// k3s-behaviours §12.
describe("service manager and units (§12)", () => {
  it("OpenRC first, even with systemd; else systemd; else install.sh's fatal", () => {
    expect(chooseServiceManager({ openrcRun: true, binSystemctl: true, systemctlOnPath: true })).toBe("openrc");
    expect(chooseServiceManager({ openrcRun: false, binSystemctl: false, systemctlOnPath: true })).toBe("systemd");
    expect(() => chooseServiceManager({ openrcRun: false, binSystemctl: false, systemctlOnPath: false })).toThrow(
      expect.objectContaining({ code: "SERVICE_MANAGER_NOT_FOUND", message: "Can not find systemd or openrc to use as a process supervisor for k3s" }),
    );
  });
  it("command and name selection", () => {
    expect(serviceCommand({ words: [], env: {} })).toEqual({ command: "server", args: [] });
    expect(serviceCommand({ words: ["--disable=traefik"], env: { K3S_URL: "https://s:6443", K3S_TOKEN: "t" } })).toEqual({ command: "agent", args: ["--disable=traefik"] });
    expect(serviceCommand({ words: ["agent", "--x"], env: { K3S_URL: "https://s:6443" } })).toEqual({ command: "agent", args: ["--x"] });
    expect(() => serviceCommand({ words: [], env: { K3S_URL: "https://s:6443" } })).toThrow(expect.objectContaining({ code: "INSTALL_TOKEN_MISSING" }));
    expect(() => serviceCommand({ words: [], env: { K3S_URL: "http://s:6443", K3S_TOKEN_FILE: "/t" } })).toThrow(
      expect.objectContaining({ code: "INSTALL_K3S_URL_INVALID", message: "Only https:// URLs are supported for K3S_URL (have http://s:6443)" }),
    );
    expect(serviceName({ command: "server" })).toBe("k3s");
    expect(serviceName({ command: "agent" })).toBe("k3s-agent");
    expect(serviceName({ command: "agent", name: "edge" })).toBe("k3s-edge");
    for (const bad of ["my_name", "a b", "a/b", "x$", "a\tb"]) {
      expect(() => serviceName({ command: "server", name: bad }), bad).toThrow(expect.objectContaining({ code: "SERVICE_NAME_INVALID" }));
    }
  });
  it("file and log locations (page: /var/log/k3s.log on OpenRC; journalctl -u k3s-agent on systemd)", () => {
    expect(serviceLayout("systemd", "k3s")).toEqual({
      manager: "systemd",
      name: "k3s",
      serviceFile: "/etc/systemd/system/k3s.service",
      envFile: "/etc/systemd/system/k3s.service.env",
      logs: { journalctl: "journalctl -u k3s", syslog: "/var/log/syslog" },
    });
    expect(serviceLayout("systemd", "k3s-agent", { systemdDir: "/run/systemd/system" }).envFile).toBe("/run/systemd/system/k3s-agent.service.env");
    expect(serviceLayout("openrc", "k3s")).toEqual({
      manager: "openrc",
      name: "k3s",
      serviceFile: "/etc/init.d/k3s",
      envFile: "/etc/rancher/k3s/k3s.env",
      logrotateFile: "/etc/logrotate.d/k3s",
      logs: { file: "/var/log/k3s.log" },
    });
  });
  it("systemd unit text", () => {
    const u = renderSystemdUnit({ name: "k3s", command: "server", args: ["--disable=traefik", "--node-label=it's"] });
    for (const l of ["Type=notify", "EnvironmentFile=-/etc/default/%N", "EnvironmentFile=-/etc/sysconfig/%N", "EnvironmentFile=-/etc/systemd/system/k3s.service.env", "KillMode=process", "Delegate=yes", "LimitNOFILE=1048576", "Restart=always", "RestartSec=5s", "ExecStartPre=-/sbin/modprobe br_netfilter", "ExecStartPre=-/sbin/modprobe overlay"]) {
      expect(u.split("\n"), l).toContain(l);
    }
    expect(u.endsWith("ExecStart=/usr/local/bin/k3s \\\n    server \\\n\t'--disable=traefik' \\\n\t'--node-label=it'\\''s' \\\n\n")).toBe(true);
    expect(renderSystemdUnit({ name: "k3s-agent", command: "agent", type: "exec" })).toContain("Type=exec\n");
  });
  it("OpenRC script and logrotate", () => {
    const { script, logrotate } = renderOpenrcService({ name: "k3s-agent", command: "agent", args: ['--x="y"'] });
    expect(script.startsWith("#!/sbin/openrc-run\n")).toBe(true);
    for (const l of ["supervisor=supervise-daemon", "name=k3s-agent", 'command="/usr/local/bin/k3s"', "output_log=/var/log/k3s-agent.log", "respawn_delay=5", "set -o allexport", "if [ -f /etc/rancher/k3s/k3s-agent.env ]; then . /etc/rancher/k3s/k3s-agent.env; fi"]) {
      expect(script.split("\n"), l).toContain(l);
    }
    expect(script).toContain(`command_args="agent \\\n\t'--x=\\"y\\"' \\\n    >>/var/log/k3s-agent.log 2>&1"`);
    expect(logrotate).toBe("/var/log/k3s-agent.log {\n\tmissingok\n\tnotifempty\n\tcopytruncate\n}\n");
  });
});

// k3s-behaviours §15 table.
describe("NFLOG annotations (§15)", () => {
  const L = "kube-router.io/netpol-nflog-limit";
  const B = "kube-router.io/netpol-nflog-limit-burst";
  const rows: Array<[string | undefined, string | undefined, string, string]> = [
    ["10/minute", "10", "10/minute", "10"],
    ["5", "3", "5", "3"],
    ["5/s", "3", "5/s", "3"],
    ["-1/m", "+2", "-1/m", "+2"],
    ["5/sec", "3", "10/minute", "10"],
    ["5/Minute", "3", "10/minute", "10"],
    ["10/minute", "x", "10/minute", "10"],
    ["", "10", "10/minute", "10"],
    ["10/", "10", "10/minute", "10"],
    ["1/2/3", "1", "10/minute", "10"],
    [" 10/m", "1", "10/minute", "10"],
    ["99999999999999999999/m", "1", "10/minute", "10"],
    [undefined, "3", "10/minute", "3"],
    [undefined, undefined, "10/minute", "10"],
  ];
  for (const [limit, burst, l, b] of rows) {
    it(`${JSON.stringify(limit)}, ${JSON.stringify(burst)} → ${l}, ${b}`, () => {
      const ann: Record<string, string> = {};
      if (limit !== undefined) ann[L] = limit;
      if (burst !== undefined) ann[B] = burst;
      const r = parseNflogAnnotations(ann);
      expect([r.limit, r.burst]).toEqual([l, b]);
      expect(r.fellBack).toBe(l !== (limit ?? "10/minute") || b !== (burst ?? "10"));
    });
  }
  it("fallback carries kube-router's warning", () => {
    expect(parseNflogAnnotations({ [L]: "x" }).warning).toBe("Network Policy annotations are wrong, default values will be used. Check the docs for more information");
  });
  it("safeJoin caps at 48", () => {
    expect(nflogPolicyName("default", "deny")).toBe("default/deny");
    expect(nflogPolicyName("ns", "n".repeat(60))).toBe(`ns/${"n".repeat(45)}`);
    expect(nflogPolicyName("s".repeat(50), "name")).toBe(`${"s".repeat(43)}/name`);
    expect(nflogPolicyName("s".repeat(30), "n".repeat(30))).toBe(`${"s".repeat(23)}/${"n".repeat(23)}`);
    expect(nflogPolicyName("a".repeat(20), "b".repeat(27)).length).toBe(48);
  });
  it("the iptables rule", () => {
    expect(nflogRule({ chain: "KUBE-NWPLCY-X", namespace: "default", name: "deny", annotations: { [L]: "5/s", [B]: "3" } })).toBe(
      '-A KUBE-NWPLCY-X -m comment --comment "rule to log dropped traffic" -m limit --limit 5/s --limit-burst 3 -m mark ! --mark 0x10000/0x10000 -j NFLOG --nflog-group 100 --nflog-prefix "DROP by policy default/deny"',
    );
  });
  it("fuzz: any annotation strings give valid params or the defaults", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(L, B, "other"), fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom("5/s", "10", "-3/day", "+1"))), (ann) => {
        const r = parseNflogAnnotations(ann);
        if (r.fellBack) expect([r.limit, r.burst]).toEqual(["10/minute", "10"]);
      }),
      { seed: 42, numRuns: 1000 },
    );
  });
});

describe("fuzz: egress and service inputs", () => {
  it("parseEgressSelectorMode: a decision or EGRESS_SELECTOR_MODE_INVALID", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom("agent", "pod", "cluster", "disabled")), fc.boolean(), (v, disableAgent) => {
        try {
          expect(parseEgressSelectorMode(v, { disableAgent }).mode).toBe(v);
        } catch (e) {
          expect(isKitError(e, "EGRESS_SELECTOR_MODE_INVALID")).toBe(true);
        }
      }),
      { seed: 42, numRuns: 500 },
    );
  });
  it("serviceCommand/serviceName: results or typed errors", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }), fc.record({ K3S_URL: fc.string({ maxLength: 12 }), K3S_TOKEN: fc.string({ maxLength: 3 }) }, { requiredKeys: [] }), fc.string({ maxLength: 8 }), (words, env, name) => {
        try {
          const c = serviceCommand({ words, env });
          serviceName({ command: c.command, name });
        } catch (e) {
          expect(isKitError(e) && ["INSTALL_TOKEN_MISSING", "INSTALL_K3S_URL_INVALID", "SERVICE_NAME_INVALID"].includes(e.code)).toBe(true);
        }
      }),
      { seed: 42, numRuns: 500 },
    );
  });
});

describe("fuzz: SELinux inputs", () => {
  it("selinuxStatusFrom / selinuxWarnings never throw on arbitrary /proc text", () => {
    const text = fc.oneof(fc.string({ maxLength: 80 }), fc.array(fc.constantFrom("30 23 0:27 / /sys/fs/selinux rw - selinuxfs selinuxfs rw", "nodev\tselinuxfs", " - ", "ro", "\n"), { maxLength: 5 }).map((a) => a.join("\n")));
    fc.assert(
      fc.property(text, text, fc.option(fc.string({ maxLength: 30 })), fc.boolean(), (filesystems, mountinfo, label, selinux) => {
        const host = selinuxStatusFrom({ filesystems, mountinfo, currentLabel: label ?? undefined });
        const r = selinuxWarnings({ selinux, host });
        expect(r.containerdSELinux).toBe(selinux);
      }),
      { seed: 42, numRuns: 500 },
    );
  });
});

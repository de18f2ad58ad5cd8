import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { rootlessPaths, rootlessSysctlProblems } from "../../../src/rootless/index.js";

// k3s-behaviours §10 "Setup and checks".
describe("rootless sysctls and paths (§10)", () => {
  it("each readable sysctl must be 1; K3s's fatal text with the sysctl.conf hint", () => {
    expect(rootlessSysctlProblems({ "kernel.unprivileged_userns_clone": "1\n", "net.ipv4.ip_forward": "1" })).toEqual([]);
    expect(rootlessSysctlProblems({ "net.ipv4.ip_forward": "0\n" })).toEqual([
      'expected sysctl value "net.ipv4.ip_forward" to be "1", got "0"; try adding "net.ipv4.ip_forward=1" to /etc/sysctl.conf and running `sudo sysctl --system`',
    ]);
    // Unreadable (e.g. no unprivileged_userns_clone on this kernel) is skipped.
    expect(rootlessSysctlProblems({ "kernel.unprivileged_userns_clone": undefined, "net.ipv4.ip_forward": "1" })).toEqual([]);
    expect(rootlessSysctlProblems({ "kernel.unprivileged_userns_clone": "0", "net.ipv4.ip_forward": "0" })).toHaveLength(2);
  });
  it("paths: state, kubelet root, node password under <dd>; kubeconfig in ~/.kube", () => {
    expect(rootlessPaths({ home: "/home/u" })).toEqual({
      dataDir: "/home/u/.rancher/k3s",
      stateDir: "/home/u/.rancher/k3s/rootless",
      slirp4netnsApiSocket: "/home/u/.rancher/k3s/rootless/.s4nn.sock",
      kubeletRootDir: "/home/u/.rancher/k3s/agent/kubelet",
      nodePasswordFile: "/home/u/.rancher/k3s/agent/etc/rancher/node/password",
      kubeconfig: "/home/u/.kube/k3s.yaml",
    });
    expect(rootlessPaths({ home: "/h", dataDir: "/d" }).stateDir).toBe("/d/rootless");
    expect(() => rootlessPaths({ home: "" })).toThrow(expect.objectContaining({ code: "ROOTLESS_OPTION_INVALID" }));
  });
  it("fuzz: any sysctl text gives zero to two problems", () => {
    fc.assert(
      fc.property(fc.option(fc.string({ maxLength: 6 })), fc.option(fc.string({ maxLength: 6 })), (a, b) => {
        const p = rootlessSysctlProblems({ "kernel.unprivileged_userns_clone": a ?? undefined, "net.ipv4.ip_forward": b ?? undefined });
        expect(p.length).toBeLessThanOrEqual(2);
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});

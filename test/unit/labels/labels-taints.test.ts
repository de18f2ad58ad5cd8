import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isKitError } from "../../../src/errors/index.js";
import { isKubeletLabel, parseNodeLabels, parseTaints, validateNodeLabels } from "../../../src/labels/index.js";

// k3s-behaviours §11 label vectors.
describe("node labels (§11)", () => {
  it("allowed labels pass", () => {
    const flags = ["foo=bar", "example.com/x=y", "node.kubernetes.io/pool=a", "kubelet.kubernetes.io/x=1", "topology.kubernetes.io/zone=z1"];
    expect(validateNodeLabels(flags)).toEqual({ ok: true, problems: [] });
    expect(parseNodeLabels(flags).kubelet).toEqual({ foo: "bar", "example.com/x": "y", "node.kubernetes.io/pool": "a", "kubelet.kubernetes.io/x": "1", "topology.kubernetes.io/zone": "z1" });
  });
  it("node-role.kubernetes.io/worker=true: the kubelet refuses with its exact text", () => {
    const r = validateNodeLabels(["node-role.kubernetes.io/worker=true"]);
    expect(r.ok).toBe(false);
    expect(r.kubeletError).toBe(
      "unknown 'kubernetes.io' or 'k8s.io' labels specified with --node-labels: [node-role.kubernetes.io/worker]\n" +
        "--node-labels in the 'kubernetes.io' namespace must begin with an allowed prefix (kubelet.kubernetes.io, node.kubernetes.io) " +
        "or be in the specifically allowed set (beta.kubernetes.io/arch, beta.kubernetes.io/instance-type, beta.kubernetes.io/os, " +
        "failure-domain.beta.kubernetes.io/region, failure-domain.beta.kubernetes.io/zone, kubernetes.io/arch, kubernetes.io/hostname, " +
        "kubernetes.io/os, node.kubernetes.io/instance-type, topology.kubernetes.io/region, topology.kubernetes.io/zone)",
    );
    expect(r.problems.map((p) => p.code)).toEqual(["RESTRICTED"]);
  });
  it("the restricted examples of §11, sorted in one message", () => {
    const r = validateNodeLabels(["kubernetes.io/role=x", "app.kubernetes.io/name=a", "node-restriction.kubernetes.io/x=1", "foo.k8s.io/x=1"]);
    expect(r.kubeletError?.split("\n")[0]).toBe(
      "unknown 'kubernetes.io' or 'k8s.io' labels specified with --node-labels: [app.kubernetes.io/name foo.k8s.io/x kubernetes.io/role node-restriction.kubernetes.io/x]",
    );
  });
  it("subdomains of the allowed namespaces are allowed", () => {
    expect(isKubeletLabel("a.node.kubernetes.io/x")).toBe(true);
    expect(isKubeletLabel("a.kubelet.kubernetes.io/x")).toBe(true);
    expect(isKubeletLabel("xnode.kubernetes.io/x")).toBe(false);
  });
  it("foo → malformed pair; whitespace-only items are not skipped; empty items are", () => {
    expect(() => parseNodeLabels(["foo"])).toThrow(expect.objectContaining({ code: "NODE_LABEL_MALFORMED", message: "malformed pair, expect string=string" }));
    expect(validateNodeLabels(["foo"]).kubeletError).toBe("malformed pair, expect string=string");
    expect(() => parseNodeLabels(["a=b", " "])).toThrow(expect.objectContaining({ code: "NODE_LABEL_MALFORMED" }));
    expect(parseNodeLabels(["a=b,,c=d"]).kubelet).toEqual({ a: "b", c: "d" });
    expect(parseNodeLabels([]).kubeletArg).toBe("");
  });
  it("one flag a=b,c=d: two labels for the kubelet, but K3s's re-apply patch sees a = 'b,c=d' (invalid)", () => {
    const p = parseNodeLabels(["a=b,c=d"]);
    expect(p.kubelet).toEqual({ a: "b", c: "d" });
    expect(p.reapply).toEqual([{ key: "a", value: "b,c=d" }]);
    const r = validateNodeLabels(["a=b,c=d"]);
    expect(r.kubeletError).toBeUndefined();
    expect(r.problems.map((x) => x.code)).toEqual(["REAPPLY_INVALID"]);
  });
  it("the kubelet trims; the re-apply does not", () => {
    expect(parseNodeLabels([" a = b "]).kubelet).toEqual({ a: "b" });
    expect(parseNodeLabels([" a = b "]).reapply).toEqual([{ key: " a ", value: " b " }]);
    expect(validateNodeLabels([" a = b "]).problems[0]?.code).toBe("REAPPLY_INVALID");
  });
  it("invalid keys and values give the kubelet's 'invalid node labels' text", () => {
    const r = validateNodeLabels(["-bad=x"]);
    expect(r.kubeletError).toBe(
      "invalid node labels: '-bad' - name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    );
    const v = validateNodeLabels([`k=${"v".repeat(64)}`]);
    expect(v.kubeletError).toContain("must be no more than 63 characters");
    expect(validateNodeLabels(["Example.com/x=y"]).kubeletError).toContain("prefix part a lowercase RFC 1123 subdomain");
  });
});

// k3s-behaviours §11 taint vectors.
describe("parseTaints (§11)", () => {
  it("dedicated=gpu:NoSchedule and critical:NoExecute", () => {
    expect(parseTaints(["dedicated=gpu:NoSchedule", "critical:NoExecute"])).toEqual({
      taints: [
        { key: "dedicated", value: "gpu", effect: "NoSchedule" },
        { key: "critical", value: "", effect: "NoExecute" },
      ],
      ignored: [],
    });
  });
  const bad: Array<[string[], string]> = [
    [["a=b=c:NoSchedule"], "failed to parse node taints: invalid taint spec: a=b=c:NoSchedule"],
    [["k:noschedule"], "failed to parse node taints: invalid taint effect: noschedule, unsupported taint effect"],
    [["k"], "failed to parse node taints: invalid taint spec: k"],
    [["k:NoSchedule", "k=v:NoSchedule"], "failed to parse node taints: duplicated taints with the same key and effect: {k v NoSchedule <nil>}"],
    [["k=v:NoSchedule:x"], "failed to parse node taints: invalid taint spec: k=v:NoSchedule:x"],
    [["a:NoSchedule,b:NoExecute"], "failed to parse node taints: invalid taint spec: a:NoSchedule,b:NoExecute"],
  ];
  for (const [specs, message] of bad) {
    it(`${JSON.stringify(specs)} → ${message}`, () => {
      expect(() => parseTaints(specs)).toThrow(expect.objectContaining({ code: "NODE_TAINT_INVALID", message }));
    });
  }
  it("k=v (no effect): the whole text is taken as the key, so the key check fails first", () => {
    expect(() => parseTaints(["k=v"])).toThrow(
      expect.objectContaining({ code: "NODE_TAINT_INVALID", message: expect.stringMatching(/^failed to parse node taints: invalid taint spec: k=v, name part must consist/) }),
    );
  });
  it("k:NoSchedule- is ignored (K3s keeps only additions); key=:NoSchedule has an empty value", () => {
    expect(parseTaints(["k:NoSchedule-", "key=:NoSchedule"])).toEqual({ taints: [{ key: "key", value: "", effect: "NoSchedule" }], ignored: ["k:NoSchedule-"] });
  });
  it("an invalid removal spec still fails (it is parsed before being dropped)", () => {
    expect(() => parseTaints(["k:Bad-"])).toThrow(expect.objectContaining({ code: "NODE_TAINT_INVALID" }));
  });
  it("same key, different effects is fine", () => {
    expect(parseTaints(["k:NoSchedule", "k:NoExecute"]).taints).toHaveLength(2);
  });
  it("invalid key/value texts", () => {
    expect(() => parseTaints(["=v:NoSchedule"])).toThrow(
      expect.objectContaining({
        message:
          "failed to parse node taints: invalid taint spec: =v:NoSchedule, name part must be non-empty; name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      }),
    );
    expect(() => parseTaints(["k=@:NoSchedule"])).toThrow(expect.objectContaining({ message: expect.stringContaining("a valid label must be an empty string") }));
  });
});

describe("fuzz: labels and taints", () => {
  const spec = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.array(fc.constantFrom("k", "=", ":", "NoSchedule", "NoExecute", "-", ",", "a.io/", "v", " ", "kubernetes.io/", "/"), { maxLength: 8 }).map((a) => a.join("")),
  );
  it("parseTaints: taints or NODE_TAINT_INVALID", () => {
    fc.assert(
      fc.property(fc.array(spec, { maxLength: 4 }), (specs) => {
        try {
          const r = parseTaints(specs);
          for (const t of r.taints) expect(["NoSchedule", "PreferNoSchedule", "NoExecute"]).toContain(t.effect);
        } catch (e) {
          expect(isKitError(e, "NODE_TAINT_INVALID")).toBe(true);
        }
      }),
      { seed: 42, numRuns: 1000 },
    );
  });
  it("validateNodeLabels never throws on strings; parseNodeLabels throws only NODE_LABEL_MALFORMED", () => {
    fc.assert(
      fc.property(fc.array(spec, { maxLength: 4 }), (flags) => {
        const v = validateNodeLabels(flags);
        expect(v.ok).toBe(v.problems.length === 0 && v.kubeletError === undefined);
        try {
          parseNodeLabels(flags);
        } catch (e) {
          expect(isKitError(e, "NODE_LABEL_MALFORMED")).toBe(true);
          expect(v.ok).toBe(false);
        }
      }),
      { seed: 42, numRuns: 1000 },
    );
  });
});

import { describe, expect, it } from "vitest";
import { isKitError } from "../../../src/errors/index.js";
import {
  certStatus,
  createCA,
  decideLeaf,
  fieldsChanged,
  firstServiceIP,
  formatCertificateCheck,
  isExpiring,
  resolveServices,
  serverLeafSpecs,
  serverSANs,
  signLeaf,
  type CertificateCheckEntry,
} from "../../../src/certs/index.js";

const DAY = 86_400_000;
const now = new Date("2026-01-01T00:00:00Z");

describe("isExpiring (§1.3 test vectors, 120-day window)", () => {
  const at = (days: number) => ({ notAfter: new Date(now.getTime() + days * DAY) });
  it.each([
    [121, false],
    [120, true],
    [119.9, true],
    [-1, true],
  ])("NotAfter = now + %sd → %s", (d, want) => {
    expect(isExpiring(at(d), now, 120)).toBe(want);
  });
  it("the page's 90-day default keeps a cert 100 days from expiry", () => {
    expect(isExpiring(at(100), now, 90)).toBe(false);
    expect(isExpiring(at(90), now, 90)).toBe(true);
  });
});

describe("fieldsChanged / decideLeaf (§1.3)", () => {
  const ca = createCA({ commonName: "k3s-server-ca@1", now });
  const other = createCA({ commonName: "k3s-server-ca@2", now });
  const want = { commonName: "kube-apiserver", organization: [], altNames: ["kubernetes", "10.43.0.1"] };
  const leaf = signLeaf(ca, { ...want, usage: "server", altNames: [...want.altNames, "old.example"], now });
  it("extra SANs are fine; a missing SAN, CN, O or issuer change is not", () => {
    expect(fieldsChanged(leaf.info, want, ca.info)).toEqual([]);
    expect(
      fieldsChanged(leaf.info, { ...want, altNames: [...want.altNames, "foo.example"] }, ca.info),
    ).toEqual(["san foo.example"]);
    expect(fieldsChanged(leaf.info, { ...want, altNames: ["10.43.0.2"] }, ca.info)).toEqual([
      "san 10.43.0.2",
    ]);
    expect(fieldsChanged(leaf.info, { ...want, commonName: "x" }, ca.info)).toEqual(["common name"]);
    expect(fieldsChanged(leaf.info, { ...want, organization: ["o"] }, ca.info)).toEqual(["organization"]);
    expect(fieldsChanged(leaf.info, want, other.info)).toEqual(["issuer"]);
  });
  it("IPv6 SANs compare by value", () => {
    const v6 = signLeaf(ca, { commonName: "x", usage: "server", altNames: ["2001:db8:0:0:0:0:0:1"], now });
    expect(
      fieldsChanged(v6.info, { commonName: "x", organization: [], altNames: ["2001:db8::1"] }, ca.info),
    ).toEqual([]);
  });
  it("decides create / renew / keep with reasons", () => {
    const base = { want, ca: ca.info, caRegenerated: false, now, renewWithinDays: 90, keyMatches: true };
    expect(decideLeaf({ ...base })).toMatchObject({ action: "create", reasons: ["missing"] });
    expect(decideLeaf({ ...base, existing: leaf.info })).toMatchObject({ action: "keep", reasons: [] });
    expect(decideLeaf({ ...base, existing: leaf.info, caRegenerated: true }).reasons).toEqual([
      "ca-regenerated",
    ]);
    expect(
      decideLeaf({ ...base, existing: leaf.info, now: new Date(now.getTime() + 300 * DAY) }).reasons,
    ).toEqual(["expiring"]);
    expect(decideLeaf({ ...base, existing: leaf.info, keyMatches: false }).reasons).toEqual(["key-mismatch"]);
  });
});

describe("SAN list and layout (§1.2)", () => {
  it("orders SANs like K3s", () => {
    expect(
      serverSANs({
        tlsSans: ["k3s.example.com,lb.example.com"],
        nodeName: "n1",
        nodeExternalIPs: ["203.0.113.5"],
        hostname: "host.example.com",
        nodeIPs: ["10.0.0.5"],
        serviceCIDR: "10.43.0.0/16,fd00::/112",
        advertiseIP: "10.0.0.9",
      }),
    ).toEqual([
      "k3s.example.com",
      "lb.example.com",
      "127.0.0.1",
      "::1",
      "localhost",
      "n1",
      "203.0.113.5",
      "host",
      "10.0.0.5",
      "10.43.0.1",
      "10.0.0.9",
    ]);
    expect(serverSANs({ nodeName: "n1", hostname: "n1.example.com" })).toEqual([
      "127.0.0.1",
      "::1",
      "localhost",
      "n1",
      "10.43.0.1",
    ]);
  });
  it("computes the first service IP", () => {
    expect(firstServiceIP("10.43.0.0/16")).toBe("10.43.0.1");
    expect(firstServiceIP("10.43.7.9/16")).toBe("10.43.0.1");
    expect(firstServiceIP("fd00:43::/112")).toBe("fd00:43::1");
    for (const bad of ["10.43.0.0", "10.43.0.0/33", "nope/8", "10.43.0.0/"]) {
      expect(() => firstServiceIP(bad)).toThrow(/invalid service CIDR/);
    }
  });
  it("lists every leaf of the table, etcd server cert skipped with disableEtcd", () => {
    const specs = serverLeafSpecs({ sans: ["n1"], clusterDomain: "cluster.local" });
    expect(specs.map((s) => s.cert)).toEqual([
      "client-admin.crt",
      "client-supervisor.crt",
      "client-controller.crt",
      "client-scheduler.crt",
      "client-kube-apiserver.crt",
      "client-k3s-cloud-controller.crt",
      "serving-kube-apiserver.crt",
      "kube-scheduler/kube-scheduler.crt",
      "kube-controller-manager/kube-controller-manager.crt",
      "client-auth-proxy.crt",
      "etcd/client.crt",
      "etcd/peer-server-client.crt",
      "etcd/server-client.crt",
    ]);
    const api = specs.find((s) => s.cert === "serving-kube-apiserver.crt");
    expect(api?.altNames.slice(0, 4)).toEqual([
      "kubernetes",
      "kubernetes.default",
      "kubernetes.default.svc",
      "kubernetes.default.svc.cluster.local",
    ]);
    expect(
      serverLeafSpecs({ sans: [], clusterDomain: "c", disableEtcd: true }).some(
        (s) => s.cert === "etcd/server-client.crt",
      ),
    ).toBe(false);
  });
});

describe("certificate check (§1.5)", () => {
  const nb = new Date("2026-01-01T00:00:00Z");
  const na = new Date("2027-01-01T00:00:00Z");
  it("statuses", () => {
    expect(certStatus(nb, na, new Date("2025-12-31T00:00:00Z"), 90)).toBe("NOT YET VALID");
    expect(certStatus(nb, na, new Date("2027-01-02T00:00:00Z"), 90)).toBe("EXPIRED");
    expect(certStatus(nb, na, new Date("2026-11-01T00:00:00Z"), 90)).toBe("WARNING");
    expect(certStatus(nb, na, new Date("2026-09-01T00:00:00Z"), 90)).toBe("OK");
    expect(certStatus(nb, na, new Date("2026-09-10T00:00:00Z"), 120)).toBe("WARNING");
    expect(certStatus(nb, na, new Date("2026-09-10T00:00:00Z"), 90)).toBe("OK");
  });
  const entries: CertificateCheckEntry[] = [
    {
      service: "admin",
      file: "/d/client-admin.crt",
      index: 0,
      subject: "system:admin",
      issuer: "k3s-client-ca@1",
      usages: ["ClientAuth"],
      notBefore: nb,
      notAfter: na,
      residualDays: 200,
      status: "OK",
    },
  ];
  it("formats text, table, json, yaml like k3s certificate check, and refuses others", async () => {
    const at = new Date("2026-06-01T00:00:00Z");
    const text = await formatCertificateCheck(entries, "text", { now: at });
    expect(text).toBe(
      "client-admin.crt: certificate system:admin (ClientAuth) is ok, expires at 2027-01-01T00:00:00Z\n",
    );
    const warn = await formatCertificateCheck([{ ...entries[0]!, status: "WARNING" }], "text", {
      warnWithinDays: 120,
    });
    expect(warn).toBe(
      "client-admin.crt: certificate system:admin (ClientAuth) will expire within 120 days at 2027-01-01T00:00:00Z\n",
    );
    const early = await formatCertificateCheck([{ ...entries[0]!, status: "NOT YET VALID" }], "text");
    expect(early).toContain("is not valid before 2026-01-01T00:00:00Z");
    expect(await formatCertificateCheck([{ ...entries[0]!, status: "EXPIRED" }], "text")).toContain(
      "expired at 2027-01-01T00:00:00Z",
    );
    const table = (await formatCertificateCheck(entries, "table", { now: at })).split("\n");
    expect(table[1]).toMatch(/^FILENAME\s+SUBJECT\s+USAGES\s+EXPIRES\s+RESIDUAL TIME\s+STATUS$/);
    expect(table[3]).toMatch(
      /^client-admin\.crt\s+system:admin\s+ClientAuth\s+Jan 01, 2027 00:00 UTC\s+6 months\s+OK$/,
    );
    const json = JSON.parse(await formatCertificateCheck(entries, "json", { now: at }));
    expect(json.Certificates[0]).toEqual({
      Filename: "client-admin.crt",
      Subject: "system:admin",
      Issuer: "k3s-client-ca@1",
      Usages: ["ClientAuth"],
      ExpiryTime: "2027-01-01T00:00:00Z",
      ResidualTime: (na.getTime() - at.getTime()) * 1e6,
      Status: "OK",
    });
    expect(
      (await import("yaml")).parse(await formatCertificateCheck(entries, "yaml")).certificates[0].status,
    ).toBe("OK");
    await expect(formatCertificateCheck(entries, "xml" as "json")).rejects.toSatisfy((e: unknown) =>
      isKitError(e, "CERT_FORMAT_UNKNOWN"),
    );
  });
  it("service names", () => {
    expect(resolveServices(undefined, false)).toEqual(["kube-proxy", "kubelet", "k3s-controller"]);
    expect(resolveServices(undefined, true)).toHaveLength(12);
    expect(() => resolveServices(["certificate-authority"], true)).toThrow(
      "service certificate-authority is not recognized",
    );
  });
});

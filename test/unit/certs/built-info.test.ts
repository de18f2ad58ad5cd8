/**
 * The generators return each certificate's CertificateInfo from what built it instead of decoding
 * the DER they just encoded. That shortcut must say exactly what a parser reads back: every case
 * here compares it with parseCertificate on the same DER (and Node's X509Certificate on the names).
 */
import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  type CertificateAuthority,
  type CertificateInfo,
  certificateDers,
  createCA,
  createCSR,
  parseCertificate,
  signCSR,
  signLeaf,
} from "../../../src/certs/index.js";

const reparsed = (info: CertificateInfo): CertificateInfo => parseCertificate(info.der);

function same(info: CertificateInfo): void {
  const back = reparsed(info);
  expect(info).toEqual(back);
  // toEqual ignores an undefined property; these must be absent or present alike.
  expect(Object.keys(info).sort()).toEqual(Object.keys(back).sort());
}

describe("CertificateInfo of a generated certificate = what a parser reads back", () => {
  const root = createCA({ commonName: "k3s-server-ca@1700000000" });
  const cases: [string, () => CertificateAuthority | { info: CertificateInfo }][] = [
    ["self-signed CA (serial 0, SKID, no AKID)", () => root],
    ["CA with organizations and a non-ASCII CN", () => createCA({ commonName: "Zürich CA ✓", organization: ["b-org", "a-org"] })],
    ["intermediate (AKID, random serial, notBefore clamped to the issuer's)", () =>
      createCA({ commonName: "etcd-server-ca", issuer: root, maxPathLen: 0 })],
    ["CA with an explicit serial and a reused key", () => createCA({ commonName: "x", serial: 123456789n, keyPem: root.keyPem })],
    ["CA valid past 2050 (GeneralizedTime)", () => createCA({ commonName: "long", days: 365 * 60 })],
    ["CA with an empty-organization list and a clock", () => createCA({ commonName: "c", organization: [], now: new Date("2031-05-06T07:08:09.999Z") })],
    ["server leaf: DNS, IPv4, IPv6, IPv4-mapped, zone, duplicates", () =>
      signLeaf(root, {
        commonName: "k3s",
        usage: "server",
        altNames: ["kubernetes", "10.43.0.1", "::1", "::ffff:10.0.0.5", "fe80::1%eth0", "kubernetes", "2001:db8:0:0:1:0:0:1", "127.0.0.1"],
      })],
    ["client leaf with organizations", () =>
      signLeaf(root, { commonName: "system:admin", organization: ["system:masters"], usage: "client" })],
    ["both-usage leaf without SANs, 1 day", () => signLeaf(root, { commonName: "both", usage: "both", days: 1 })],
    ["leaf from a CA without SKID? (intermediate chain leaf)", () =>
      signLeaf(createCA({ commonName: "mid", issuer: root }), { commonName: "leaf", usage: "server", altNames: ["a.example"] })],
    ["leaf from a CSR", () =>
      signCSR(root, createCSR().csrPem, { commonName: "system:node:n1", organization: ["system:nodes"], usage: "client" })],
  ];
  for (const [label, make] of cases) {
    it(label, () => {
      const made = make();
      same(made.info);
      if ("certPem" in made) {
        const x = new X509Certificate(certificateDers(made.certPem)[0] as Buffer);
        expect(x.serialNumber.replace(/^0+(?=.)/, "").toLowerCase()).toBe(made.info.serial.toString(16));
      }
    });
  }
});

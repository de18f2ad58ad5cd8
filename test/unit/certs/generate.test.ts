import { createHash, X509Certificate } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isKitError } from "../../../src/errors/index.js";
import {
  certificateDers,
  createCA,
  createCSR,
  isGoPrintable,
  loadCA,
  parseCertificate,
  signCSR,
  signLeaf,
} from "../../../src/certs/index.js";

const T0 = new Date("2025-01-01T00:00:00Z");
const DAY = 86_400_000;

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isKitError(e) ? e.code : `untyped:${String(e)}`;
  }
  return undefined;
}

/** Find the string tag used for a value in the DER (0x13 PrintableString, 0x0c UTF8String). */
function tagOf(der: Buffer, value: string): number | undefined {
  const v = Buffer.from(value);
  const i = der.indexOf(v);
  return i >= 2 ? der[i - 2] : undefined;
}

describe("createCA (§1.1)", () => {
  const ca = createCA({ commonName: "k3s-server-ca@1735689600", now: T0 });
  it("uses serial 0, NotBefore now−1h and 3650 days (test vector)", () => {
    expect(ca.info.serial).toBe(0n);
    expect(ca.info.notBefore.toISOString()).toBe("2024-12-31T23:00:00.000Z");
    expect(ca.info.notAfter.toISOString()).toBe("2034-12-29T23:00:00.000Z");
  });
  it("is a CA with KU DigitalSignature|KeyEncipherment|CertSign and SKID = SHA-1 of the point", () => {
    const x = new X509Certificate(ca.certPem);
    expect(x.ca).toBe(true);
    expect(ca.info.isCA).toBe(true);
    // KU bit string as Go writes it: 03 02 02 a4, critical.
    expect(ca.info.der.includes(Buffer.from("0603551d0f0101ff0404030202a4", "hex"))).toBe(true);
    // BasicConstraints critical, CA:TRUE, no path length.
    expect(ca.info.der.includes(Buffer.from("0603551d130101ff040530030101ff", "hex"))).toBe(true);
    const point = ca.info.spki.subarray(ca.info.spki.length - 65);
    expect(ca.info.subjectKeyId).toEqual(createHash("sha1").update(point).digest());
    expect(ca.info.authorityKeyId).toBeUndefined();
    expect(x.verify(x.publicKey)).toBe(true);
  });
  it("encodes the CN with '@' as UTF8String, as Go does", () => {
    expect(tagOf(ca.info.der, "k3s-server-ca@1735689600")).toBe(0x0c);
  });
  it("writes a SEC1 EC key and a signature algorithm without parameters", () => {
    expect(ca.keyPem).toMatch(/^-----BEGIN EC PRIVATE KEY-----\n/);
    expect(ca.info.der.includes(Buffer.from("300a06082a8648ce3d040302", "hex"))).toBe(true);
    expect(ca.info.der.includes(Buffer.from("300c06082a8648ce3d0403020500", "hex"))).toBe(false);
  });
  it("reuses a given key", () => {
    const again = createCA({ commonName: "x", keyPem: ca.keyPem, now: T0 });
    expect(again.info.spki).toEqual(ca.info.spki);
  });
  it("refuses bad options with typed errors", () => {
    expect(code(() => createCA({ commonName: "" }))).toBe("CERT_OPTION_INVALID");
    expect(code(() => createCA({ commonName: "x", days: -1 }))).toBe("CERT_OPTION_INVALID");
    expect(code(() => createCA({ commonName: "x", now: new Date("nope") }))).toBe("CERT_OPTION_INVALID");
    expect(code(() => createCA({ commonName: "x", keyPem: "garbage" }))).toBe("CERT_KEY_INVALID");
  });
});

describe("signLeaf (§1.1)", () => {
  const ca = createCA({ commonName: "k3s-client-ca@1735689600", now: T0 });
  it("clamps NotBefore to the CA's NotBefore and adds 365 days", () => {
    const leaf = signLeaf(ca, {
      commonName: "system:admin",
      organization: ["system:masters"],
      usage: "client",
      now: T0,
    });
    expect(leaf.info.notBefore.toISOString()).toBe("2024-12-31T23:00:00.000Z");
    expect(leaf.info.notAfter.getTime() - leaf.info.notBefore.getTime()).toBe(365 * DAY);
    const later = signLeaf(ca, { commonName: "a", usage: "client", now: new Date(T0.getTime() + 10 * DAY) });
    expect(later.info.notBefore.getTime()).toBe(T0.getTime() + 10 * DAY - 3_600_000);
  });
  it("has a random positive serial < 2^63−1, KU DigitalSignature|KeyEncipherment, EKU, AKID = CA SKID, no SKID", () => {
    const leaf = signLeaf(ca, {
      commonName: "system:admin",
      organization: ["system:masters"],
      usage: "client",
      now: T0,
    });
    expect(leaf.info.serial).toBeGreaterThanOrEqual(0n);
    expect(leaf.info.serial).toBeLessThan(0x7fffffffffffffffn);
    expect(leaf.info.der.includes(Buffer.from("0603551d0f0101ff0404030205a0", "hex"))).toBe(true);
    expect(leaf.info.extKeyUsage).toEqual(["1.3.6.1.5.5.7.3.2"]);
    expect(leaf.info.authorityKeyId).toEqual(ca.info.subjectKeyId);
    expect(leaf.info.subjectKeyId).toBeUndefined();
    expect(leaf.info.isCA).toBe(false);
    expect(leaf.info.organization).toEqual(["system:masters"]);
    expect(tagOf(leaf.info.der, "system:admin")).toBe(0x13);
    // Issuer is the CA subject byte for byte (Go's chain builder compares raw bytes).
    expect(leaf.info.issuerDer).toEqual(ca.info.subjectDer);
    expect(new X509Certificate(leaf.leafPem).verify(new X509Certificate(ca.certPem).publicKey)).toBe(true);
  });
  it("writes leaf then CA in certPem, and maps usages to EKUs", () => {
    const s = signLeaf(ca, {
      commonName: "etcd-peer",
      usage: "both",
      altNames: ["kine.sock", "10.0.0.1", "::1", "::ffff:10.0.0.2"],
      now: T0,
    });
    expect(certificateDers(s.certPem)).toHaveLength(2);
    expect(s.certPem.endsWith(ca.certPem)).toBe(true);
    expect(s.info.extKeyUsage).toEqual(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"]);
    expect(s.info.dnsNames).toEqual(["kine.sock"]);
    expect(s.info.ipAddresses).toEqual(["10.0.0.1", "::1", "10.0.0.2"]);
    expect(signLeaf(ca, { commonName: "x", usage: "server", now: T0 }).info.extKeyUsage).toEqual([
      "1.3.6.1.5.5.7.3.1",
    ]);
  });
  it("honours days (CATTLE_NEW_SIGNED_CERT_EXPIRATION_DAYS), including 0", () => {
    const z = signLeaf(ca, { commonName: "x", usage: "client", days: 0, now: T0 });
    expect(z.info.notAfter).toEqual(z.info.notBefore);
  });
  it("requires a CN and a usage", () => {
    expect(code(() => signLeaf(ca, { commonName: "", usage: "client" }))).toBe("CERT_OPTION_INVALID");
    expect(code(() => signLeaf(ca, { commonName: "x", usage: "peer" as "client" }))).toBe(
      "CERT_OPTION_INVALID",
    );
  });
});

describe("CSR flow (§1.4)", () => {
  const ca = createCA({ commonName: "k3s-client-ca@1", now: T0 });
  it("signs with the CSR's key and the supervisor's subject", () => {
    const { csrPem, keyPem } = createCSR();
    const leaf = signCSR(ca, csrPem, {
      commonName: "system:node:n1",
      organization: ["system:nodes"],
      usage: "client",
      now: T0,
    });
    expect(leaf.keyPem).toBe("");
    const other = loadCA(leaf.certPem, keyPem); // key matches the issued cert
    expect(other.info.commonName).toBe("system:node:n1");
  });
  it("refuses garbage and tampered CSRs", () => {
    expect(code(() => signCSR(ca, "nope", { commonName: "x", usage: "client" }))).toBe("CERT_CSR_INVALID");
    const { csrPem } = createCSR();
    const body = csrPem.split("\n").slice(1, -2).join("");
    const der = Buffer.from(body, "base64");
    der[der.length - 5] = (der[der.length - 5] ?? 0) ^ 0xff; // flip a signature byte
    const bad = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString("base64")}\n-----END CERTIFICATE REQUEST-----\n`;
    expect(code(() => signCSR(ca, bad, { commonName: "x", usage: "client" }))).toBe("CERT_CSR_INVALID");
  });
});

describe("loadCA and parse errors name the file", () => {
  const ca = createCA({ commonName: "c", now: T0 });
  const other = createCA({ commonName: "o", now: T0 });
  it("mismatched key", () => {
    try {
      loadCA(ca.certPem, other.keyPem, { certFile: "/x/ca.crt", keyFile: "/x/ca.key" });
      expect.unreachable();
    } catch (e) {
      expect(isKitError(e, "CERT_KEY_MISMATCH")).toBe(true);
      expect((e as Error).message).toContain("/x/ca.key");
    }
  });
  it("corrupt PEM", () => {
    const corrupt = ca.certPem.replace(/[A-Z]{8}/, "AAAAAAAA");
    try {
      loadCA(`${corrupt.slice(0, 200)}\n-----END CERTIFICATE-----\n`, ca.keyPem, { certFile: "/x/bad.crt" });
      expect.unreachable();
    } catch (e) {
      expect(isKitError(e)).toBe(true);
      expect((e as Error).message).toContain("/x/bad.crt");
    }
    expect(code(() => parseCertificate(Buffer.from("3003020100", "hex"), "f"))).toBe("CERT_PEM_INVALID");
    expect(code(() => certificateDers("hello", "f"))).toBe("CERT_PEM_INVALID");
  });
});

describe("isGoPrintable matches Go's asn1 isPrintable (asterisk and ampersand rejected)", () => {
  const allowed = new Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 '()+,-./:=?");
  it("agrees with the character table (property, seed 42)", () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 30 }),
        (s) => isGoPrintable(s) === [...s].every((c) => allowed.has(c)),
      ),
      { seed: 42, numRuns: 500 },
    );
    expect(isGoPrintable("k3s-server-ca@1")).toBe(false);
    expect(isGoPrintable("a*b")).toBe(false);
    expect(isGoPrintable("a&b")).toBe(false);
    expect(isGoPrintable("system:admin")).toBe(true);
  });
});

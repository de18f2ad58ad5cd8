/**
 * The RSA-2048 service.key made from two parallel prime searches (issue 17), checked by real OpenSSL
 * (`rsa -check` tests p and q for primality and every CRT value against n, e and d), and the rules
 * that refuse a prime pair, on small primes so no 1024-bit search is needed.
 */
import { execFileSync } from "node:child_process";
import {
  checkPrimeSync,
  createPrivateKey,
  createPublicKey,
  generatePrimeSync,
  publicEncrypt,
  privateDecrypt,
} from "node:crypto";
import { describe, expect, it } from "vitest";
import { generateRsaKeyPem, modInverse, rsaKeyFromPrimes } from "../../../src/certs/rsa.js";

const prime = (bits: number, extra: { add?: bigint; rem?: bigint } = {}): bigint =>
  generatePrimeSync(bits, { bigint: true, ...extra }) as bigint;

describe("generateRsaKeyPem (two primes at once)", () => {
  it("makes keys that OpenSSL's rsa -check accepts: 2048 bits, e = 65537, every CRT value consistent", async () => {
    const pems = await Promise.all([generateRsaKeyPem(), generateRsaKeyPem(), generateRsaKeyPem()]);
    expect(new Set(pems).size).toBe(3);
    for (const pem of pems) {
      expect(pem.startsWith("-----BEGIN RSA PRIVATE KEY-----\n")).toBe(true);
      const out = execFileSync("openssl", ["rsa", "-check", "-noout", "-text"], {
        input: pem,
        encoding: "utf8",
      });
      expect(out).toContain("RSA key ok");
      expect(out).toMatch(/Private-Key: \(2048 bit, 2 primes\)/);
      expect(out).toContain("publicExponent: 65537 (0x10001)");
      const key = createPrivateKey(pem);
      expect(key.asymmetricKeyDetails).toEqual({ modulusLength: 2048, publicExponent: 65537n });
      const secret = Buffer.from("service account signing");
      expect(privateDecrypt(key, publicEncrypt(createPublicKey(key), secret)).equals(secret)).toBe(true);
    }
  });
});

describe("rsaKeyFromPrimes refuses pairs that break Go's or FIPS 186-4's rules", () => {
  it("accepts a good pair and encodes d = e⁻¹ mod (p−1)(q−1) as Go does", () => {
    const p = prime(256);
    const q = prime(256);
    const der = rsaKeyFromPrimes(p, q, 512);
    if (der === undefined) return expect.fail("a good pair was refused");
    const out = execFileSync("openssl", ["rsa", "-inform", "DER", "-check", "-noout"], {
      input: der,
      encoding: "utf8",
    });
    expect(out).toContain("RSA key ok");
    const jwk = createPrivateKey({ key: der, format: "der", type: "pkcs1" }).export({ format: "jwk" });
    const d = BigInt(`0x${Buffer.from(jwk.d as string, "base64url").toString("hex")}`);
    expect((d * 65537n) % ((p - 1n) * (q - 1n))).toBe(1n);
  });
  it("refuses p = q, a modulus one bit short, and a prime with e | p − 1", () => {
    const p = prime(256);
    expect(rsaKeyFromPrimes(p, p, 512)).toBeUndefined();
    expect(rsaKeyFromPrimes(prime(255), prime(256), 512)).toBeUndefined();
    // p ≡ 1 (mod 2·65537): e divides p − 1, so no d exists.
    const bad = prime(256, { add: 2n * 65537n, rem: 1n });
    expect((bad - 1n) % 65537n).toBe(0n);
    let q = prime(256);
    while ((bad * q).toString(2).length !== 512) q = prime(256);
    expect(rsaKeyFromPrimes(bad, q, 512)).toBeUndefined();
  });
  it("refuses p and q closer than 2^(bits/2 − 100)", () => {
    // Two primes of 512 bits that share their top 412 bits: |p − q| < 2^412.
    const base = prime(512);
    const near = prime(400) + base; // not prime in general: search upward for the next prime
    let q = near | 1n;
    while (!checkPrimeSync(q)) q += 2n;
    expect(rsaKeyFromPrimes(base, q, 1024)).toBeUndefined();
  });
  it("modInverse inverts and refuses a non-invertible pair", () => {
    expect(modInverse(3n, 11n)).toBe(4n);
    const m = 3120n * 1000003n;
    expect((65537n * modInverse(65537n, m)) % m).toBe(1n);
    expect(() => modInverse(6n, 9n)).toThrow(/not invertible/);
  });
});

/**
 * P-256 keys are made through ECDH and imported from a SEC1 DER the SDK writes itself (no
 * key-generation job: see src/certs/keys.ts for the Node 20 deadlock that avoids). That DER and PEM
 * must be exactly what OpenSSL writes for the same key, and the point must be the key's own.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CertError } from "../../../src/certs/index.js";
import { generateEcKey, p256Point, parseEcKey } from "../../../src/certs/keys.js";

describe("generateEcKey", () => {
  it("1,000 keys: the PEM is OpenSSL's SEC1 PEM of the same key, the point and SPKI are its own, it signs", () => {
    // 1,000 keys include ~4 whose d starts with a zero byte (the left-padding path) with probability > 98 %.
    for (let i = 0; i < 1000; i++) {
      const k = generateEcKey();
      const reread = createPrivateKey(k.keyPem);
      expect(reread.export({ type: "sec1", format: "pem" })).toBe(k.keyPem);
      expect(k.privateKey.export({ type: "sec1", format: "pem" })).toBe(k.keyPem);
      const pub = createPublicKey(k.privateKey);
      expect(pub.export({ type: "spki", format: "der" }).equals(k.spki)).toBe(true);
      const jwk = pub.export({ format: "jwk" });
      expect(Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x as string, "base64url"), Buffer.from(jwk.y as string, "base64url")]).equals(k.point)).toBe(true);
      if (i % 100 === 0) {
        const sig = sign("sha256", Buffer.from("k3s"), k.privateKey);
        expect(verify("sha256", Buffer.from("k3s"), pub, sig)).toBe(true);
      }
    }
  });

  it("p256Point reads the point of a parsed SEC1 or PKCS#8 key and refuses other curves and public keys", () => {
    const k = generateEcKey();
    const pkcs8 = k.privateKey.export({ type: "pkcs8", format: "pem" }) as string;
    expect(parseEcKey(pkcs8).point.equals(k.point)).toBe(true);
    expect(parseEcKey(k.keyPem).point.equals(k.point)).toBe(true);
    const p384 = createPrivateKey(
      generateKeyPairSync("ec", { namedCurve: "secp384r1" }).privateKey.export({ type: "sec1", format: "pem" }),
    );
    expect(() => p256Point(p384)).toThrow(CertError);
    expect(() => p256Point(createPublicKey(k.privateKey))).toThrow(CertError);
  });
});

/**
 * Key material through node:crypto only: P-256 for every CA and leaf (K3s §1.1, §1.2). The RSA-2048
 * `service.key` is made in rsa.ts.
 * @internal
 */
import { createECDH, createHash, createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { CertError } from "./errors.js";
import { toPem } from "./pem.js";

/** Fixed DER prefix of a P-256 SubjectPublicKeyInfo (algorithm id-ecPublicKey + prime256v1, BIT STRING header). */
const P256_SPKI_PREFIX = Buffer.from("3059301306072a8648ce3d020106082a8648ce3d030107034200", "hex");

/** An EC P-256 key pair with the encodings the certificate builder needs. */
export interface EcKey {
  privateKey: KeyObject;
  /** SEC1 PEM (`EC PRIVATE KEY`), as K3s writes it. */
  keyPem: string;
  /** Uncompressed point 04||x||y (65 bytes). */
  point: Buffer;
  /** DER SubjectPublicKeyInfo. */
  spki: Buffer;
}

/*
 * No key here comes from a key-generation job. On Node 20 (seen on 20.20.2), `export({ format: "jwk" })`
 * of a key made by `generateKeyPair(Sync)` can deadlock the process for good: the export holds the
 * key's mutex while it allocates, a GC it triggers destroys the finished key-generation job, and the
 * job's destructor takes the same mutex. A loop of 10,000 `createCSR()` hung in two of three runs. So
 * fresh keys are made through ECDH (their point comes from it, their SEC1 PEM is written here) and
 * imported; a JWK export is only ever made of an imported key, which no job shares a mutex with.
 */

/** SEC1 `ECPrivateKey` for P-256 around d (32 bytes) and the point, as OpenSSL writes it. */
const SEC1_HEAD = Buffer.from("30770201010420", "hex");
const SEC1_MID = Buffer.from("a00a06082a8648ce3d030107a144034200", "hex");

const sec1Der = (d: Buffer, point: Buffer): Buffer => Buffer.concat([SEC1_HEAD, d, SEC1_MID, point]);

/** 04||x||y of an imported P-256 key (private or public), from its JWK (~5 µs; an SPKI export is ~110). */
function importedPoint(key: KeyObject): Buffer {
  const jwk = key.export({ format: "jwk" });
  if (jwk.kty !== "EC" || jwk.crv !== "P-256" || !jwk.x || !jwk.y) {
    throw new CertError("CERT_KEY_INVALID", "key is not an ECDSA P-256 key", { value: jwk.crv ?? jwk.kty });
  }
  return Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, "base64url"), Buffer.from(jwk.y, "base64url")]);
}

/** The 65-byte point of an imported P-256 private key. */
export function p256Point(key: KeyObject): Buffer {
  if (key.type !== "private")
    throw new CertError("CERT_KEY_INVALID", "expected a P-256 private key", { value: key.type });
  return importedPoint(key);
}

export const p256Spki = (point: Buffer): Buffer => Buffer.concat([P256_SPKI_PREFIX, point]);

/** SHA-1 of the public point: RFC 5280 method 1, what Go puts in SubjectKeyId. */
export const keyId = (point: Buffer): Buffer => createHash("sha1").update(point).digest();

/** Fresh P-256 key (OpenSSL's EC key generation through ECDH; no key-generation job, see above). */
export function generateEcKey(): EcKey {
  const ecdh = createECDH("prime256v1");
  const point = ecdh.generateKeys();
  const raw = ecdh.getPrivateKey();
  // d is a number below the group order: left-pad it to SEC1's fixed 32 bytes.
  const d = raw.length === 32 ? raw : Buffer.concat([Buffer.alloc(32 - raw.length), raw]);
  // Imported from its components: a whole key takes ~92 µs so, ~130 µs through OpenSSL's DER decoder.
  const privateKey = createPrivateKey({
    key: {
      kty: "EC",
      crv: "P-256",
      d: d.toString("base64url"),
      x: point.subarray(1, 33).toString("base64url"),
      y: point.subarray(33).toString("base64url"),
    },
    format: "jwk",
  });
  const der = sec1Der(d, point);
  const keyPem = toPem("EC PRIVATE KEY", der);
  d.fill(0);
  raw.fill(0);
  der.fill(0);
  return { privateKey, keyPem, point, spki: p256Spki(point) };
}


/** Parses a PEM private key (SEC1 or PKCS#8, P-256). `file` names the source in errors. */
export function parseEcKey(pem: string, file = "<input>"): EcKey {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (cause) {
    throw new CertError("CERT_KEY_INVALID", `${file}: not a readable private key`, { value: file, cause });
  }
  if (key.asymmetricKeyType !== "ec") {
    throw new CertError(
      "CERT_KEY_INVALID",
      `${file}: expected an ECDSA P-256 key, got ${key.asymmetricKeyType}`,
      { value: file },
    );
  }
  const point = p256Point(key);
  return { privateKey: key, keyPem: pem, point, spki: p256Spki(point) };
}

/** The public point of a DER SPKI (any P-256 SPKI). */
export function pointFromSpki(spki: Buffer, what = "<input>"): Buffer {
  try {
    return importedPoint(createPublicKey({ key: spki, format: "der", type: "spki" }));
  } catch (cause) {
    if (cause instanceof CertError)
      throw new CertError(cause.code, `${what}: ${cause.message}`, { value: what });
    throw new CertError("CERT_KEY_INVALID", `${what}: unreadable public key`, { value: what, cause });
  }
}


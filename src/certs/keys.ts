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
 * No JWK export anywhere here. On Node 20 (seen on 20.20.2), `export({ format: "jwk" })` of a key made
 * by `generateKeyPair(Sync)` can deadlock the process for good: the export holds the key's mutex
 * while it allocates, a GC it triggers destroys the finished key-generation job, and the job's
 * destructor takes the same mutex. A loop of 10,000 `createCSR()` hung in two of three runs. So
 * keys are made without a key-generation job (ECDH, then imported; their SEC1 PEM is written here),
 * and points are read from SEC1 bytes or from keys that were imported.
 */

/** SEC1 `ECPrivateKey` for P-256 around d (32 bytes) and the point, as OpenSSL writes it. */
const SEC1_HEAD = Buffer.from("30770201010420", "hex");
const SEC1_MID = Buffer.from("a00a06082a8648ce3d030107a144034200", "hex");
/** The tail of a P-256 SEC1 DER: [1] BIT STRING header, then the 65-byte point. */
const SEC1_POINT_HEADER = Buffer.from("a144034200", "hex");

const sec1Der = (d: Buffer, point: Buffer): Buffer => Buffer.concat([SEC1_HEAD, d, SEC1_MID, point]);

/** The 65-byte point 04||x||y of a P-256 private key, read from its SEC1 encoding. */
export function p256Point(key: KeyObject): Buffer {
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (key.type !== "private" || key.asymmetricKeyType !== "ec" || curve !== "prime256v1") {
    throw new CertError("CERT_KEY_INVALID", "key is not an ECDSA P-256 private key", {
      value: curve ?? key.asymmetricKeyType ?? key.type,
    });
  }
  const der = key.export({ type: "sec1", format: "der" });
  const at = der.length - 65 - SEC1_POINT_HEADER.length;
  if (at < 0 || !der.subarray(at, at + SEC1_POINT_HEADER.length).equals(SEC1_POINT_HEADER) || der[at + 5] !== 4)
    throw new CertError("CERT_KEY_INVALID", "P-256 key without its public point", { value: "sec1" });
  return Buffer.from(der.subarray(der.length - 65));
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

export function fromPrivateKey(privateKey: KeyObject): EcKey {
  const point = p256Point(privateKey);
  return {
    privateKey,
    keyPem: privateKey.export({ type: "sec1", format: "pem" }) as string,
    point,
    spki: p256Spki(point),
  };
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
    const key = createPublicKey({ key: spki, format: "der", type: "spki" });
    // A JWK export is safe here: this key comes from an import, not from a key-generation job.
    const jwk = key.export({ format: "jwk" });
    if (jwk.kty !== "EC" || jwk.crv !== "P-256" || !jwk.x || !jwk.y)
      throw new CertError("CERT_KEY_INVALID", "key is not an ECDSA P-256 key", { value: jwk.crv ?? jwk.kty });
    return Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, "base64url"), Buffer.from(jwk.y, "base64url")]);
  } catch (cause) {
    if (cause instanceof CertError)
      throw new CertError(cause.code, `${what}: ${cause.message}`, { value: what });
    throw new CertError("CERT_KEY_INVALID", `${what}: unreadable public key`, { value: what, cause });
  }
}


/**
 * Key material through node:crypto only: P-256 for every CA and leaf (K3s §1.1, §1.2). The RSA-2048
 * `service.key` is made in rsa.ts.
 * @internal
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from "node:crypto";
import { CertError } from "./errors.js";

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

/** The 65-byte point of a P-256 public key, from its JWK (cheap; the SPKI exporter is ~25× slower). */
export function p256Point(key: KeyObject): Buffer {
  const jwk = key.export({ format: "jwk" });
  if (jwk.kty !== "EC" || jwk.crv !== "P-256" || !jwk.x || !jwk.y) {
    throw new CertError("CERT_KEY_INVALID", "key is not an ECDSA P-256 key", { value: jwk.crv ?? jwk.kty });
  }
  return Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, "base64url"), Buffer.from(jwk.y, "base64url")]);
}

export const p256Spki = (point: Buffer): Buffer => Buffer.concat([P256_SPKI_PREFIX, point]);

/** SHA-1 of the public point: RFC 5280 method 1, what Go puts in SubjectKeyId. */
export const keyId = (point: Buffer): Buffer => createHash("sha1").update(point).digest();

/** Fresh P-256 key. */
export function generateEcKey(): EcKey {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  return fromPrivateKey(privateKey);
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
    return p256Point(createPublicKey({ key: spki, format: "der", type: "spki" }));
  } catch (cause) {
    if (cause instanceof CertError)
      throw new CertError(cause.code, `${what}: ${cause.message}`, { value: what });
    throw new CertError("CERT_KEY_INVALID", `${what}: unreadable public key`, { value: what, cause });
  }
}


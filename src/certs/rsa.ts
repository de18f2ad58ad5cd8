/**
 * The RSA-2048 `service.key`, made the way Go's `rsa.GenerateKey` (what K3s calls) makes it, from two
 * primes that OpenSSL searches for at the same time on two libuv threads (`node:crypto` `generatePrime`).
 * OpenSSL's own RSA key generation searches for p, then q, on one thread and was 3–4× slower here
 * (issue 17: it dominated a node's first boot). Go's rules hold: e = 65537, d = e⁻¹ mod (p−1)(q−1),
 * n of exactly 2048 bits (OpenSSL sets a prime's top two bits), p ≠ q. FIPS 186-4's |p − q| bound and
 * a pairwise sign/verify check are added before the key is handed out.
 * @internal
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  generatePrime,
  randomBytes,
  sign,
  verify,
} from "node:crypto";
import { integer, seq, toDer } from "./asn1.js";
import { CertError } from "./errors.js";

const E = 65537n;
const MODULUS_BITS = 2048;

/** RSA-2048 private key as PKCS#1 PEM, like K3s's `service.key`. */
export async function generateRsaKeyPem(): Promise<string> {
  // A prime pair is refused about once in 30,000 draws (e | p−1, or p, q too close); a few tries are plenty.
  for (let attempt = 0; attempt < 4; attempt++) {
    const [p, q] = await Promise.all([prime(MODULUS_BITS / 2), prime(MODULUS_BITS / 2)]);
    const der = rsaKeyFromPrimes(p, q, MODULUS_BITS);
    if (der === undefined) continue;
    const key = createPrivateKey({ key: der, format: "der", type: "pkcs1" });
    await pairwiseCheck(key);
    return key.export({ type: "pkcs1", format: "pem" }) as string;
  }
  return opensslRsaKeyPem();
}

/**
 * PKCS#1 RSAPrivateKey DER from two primes, or undefined when the pair breaks a rule (then draw again).
 * Pure, so the rules are tested without a prime search.
 */
export function rsaKeyFromPrimes(p: bigint, q: bigint, bits: number): Buffer | undefined {
  if (p === q) return undefined;
  const n = p * q;
  if (bitLength(n) !== bits) return undefined;
  if (bitLength(p > q ? p - q : q - p) <= bits / 2 - 100) return undefined;
  const p1 = p - 1n;
  const q1 = q - 1n;
  // 65537 is prime: gcd(e, p−1) = 1 exactly when e does not divide p−1.
  if (p1 % E === 0n || q1 % E === 0n) return undefined;
  const d = modInverse(E, p1 * q1);
  return toDer(
    seq([
      integer(0n),
      integer(n),
      integer(E),
      integer(d),
      integer(p),
      integer(q),
      integer(d % p1),
      integer(d % q1),
      integer(modInverse(q, p)),
    ]),
  );
}

/** a⁻¹ mod m for coprime a, m (extended Euclid). */
export function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [a % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const quotient = oldR / r;
    [oldR, r] = [r, oldR - quotient * r];
    [oldS, s] = [s, oldS - quotient * s];
  }
  if (oldR !== 1n)
    throw new CertError("CERT_KEY_INVALID", "RSA key generation: value not invertible", { value: "rsa" });
  return ((oldS % m) + m) % m;
}

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

function prime(bits: number): Promise<bigint> {
  return new Promise((resolve, reject) =>
    generatePrime(bits, { bigint: true }, (err, p) => (err ? reject(err) : resolve(p as bigint))),
  );
}

/** Signs and verifies a random message, on the thread pool: a key that cannot do both is never written. */
async function pairwiseCheck(key: import("node:crypto").KeyObject): Promise<void> {
  const message = randomBytes(32);
  const signature = await new Promise<Buffer>((resolve, reject) =>
    sign("sha256", message, key, (err, sig) => (err ? reject(err) : resolve(sig))),
  );
  const ok = await new Promise<boolean>((resolve, reject) =>
    verify("sha256", message, createPublicKey(key), signature, (err, good) =>
      err ? reject(err) : resolve(good),
    ),
  );
  if (!ok)
    throw new CertError("CERT_KEY_INVALID", "RSA key generation: pairwise sign/verify check failed", {
      value: "rsa",
    });
}

/** OpenSSL's own key generation: the fallback when no prime pair was accepted. */
function opensslRsaKeyPem(): Promise<string> {
  return new Promise((resolve, reject) => {
    generateKeyPair(
      "rsa",
      {
        modulusLength: MODULUS_BITS,
        privateKeyEncoding: { type: "pkcs1", format: "pem" },
        publicKeyEncoding: { type: "spki", format: "pem" },
      },
      (err, _pub, priv) => (err ? reject(err) : resolve(priv)),
    );
  });
}

/**
 * K3s `hashCA` (§2.2) with node:crypto only (no node-forge in this module).
 */
import { createHash, X509Certificate } from "node:crypto";
import { TokenError } from "./errors.js";
import { derChildren } from "../internal/der.js";
import { is } from "../internal/options.js";
import { arg, options as opts, pemInput } from "./options.js";

const SKID_OID = Buffer.from([0x06, 0x03, 0x55, 0x1d, 0x0e]);
const AKID_OID = Buffer.from([0x06, 0x03, 0x55, 0x1d, 0x23]);

/** Subject and authority key identifiers of a DER certificate (undefined when absent). */
export function keyIds(der: Buffer): { skid?: Buffer; akid?: Buffer } {
  const out: { skid?: Buffer; akid?: Buffer } = {};
  try {
    const [cert] = derChildren(der, 0, der.length);
    if (!cert) return out;
    const [tbs] = derChildren(der, cert[2], cert[3]);
    if (!tbs) return out;
    const ext = derChildren(der, tbs[2], tbs[3]).find((c) => c[0] === 0xa3);
    if (!ext) return out;
    const [list] = derChildren(der, ext[2], ext[3]);
    if (!list) return out;
    for (const e of derChildren(der, list[2], list[3])) {
      const parts = derChildren(der, e[2], e[3]);
      const id = parts[0];
      const val = parts[parts.length - 1];
      if (!id || !val) continue;
      const oid = der.subarray(id[1], id[3]);
      const inner = derChildren(der, val[2], val[3])[0];
      if (!inner) continue;
      if (oid.equals(SKID_OID)) out.skid = Buffer.from(der.subarray(inner[2], inner[3]));
      else if (oid.equals(AKID_OID)) {
        const k = derChildren(der, inner[2], inner[3]).find((c) => c[0] === 0x80);
        if (k) out.akid = Buffer.from(der.subarray(k[2], k[3]));
      }
    }
  } catch {
    // A malformed extension block: treat as no key ids (Go would have refused to parse the cert at all).
  }
  return out;
}

/** Every certificate in a PEM bundle; throws `TOKEN_CA_INVALID` when none parses. */
export function parseBundle(pem: string | Uint8Array, what = "CA bundle"): X509Certificate[] {
  const text = typeof pem === "string" ? pem : Buffer.from(pem).toString("utf8");
  const out: X509Certificate[] = [];
  for (const m of text.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)) {
    try {
      out.push(new X509Certificate(m[0]));
    } catch (cause) {
      throw new TokenError("TOKEN_CA_INVALID", `${what}: certificate does not parse`, { value: what, cause });
    }
  }
  if (out.length === 0)
    throw new TokenError("TOKEN_CA_INVALID", `${what}: no certificate found`, { value: what });
  return out;
}

const SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
const ANY_EKU = "2.5.29.37.0";

function usableForServerAuth(c: X509Certificate): boolean {
  const eku = c.keyUsage as string[] | undefined; // node: the extended key usage OIDs, undefined when absent
  return !eku || eku.length === 0 || eku.includes(SERVER_AUTH) || eku.includes(ANY_EKU);
}

function validAt(c: X509Certificate, now: Date): boolean {
  return new Date(c.validFrom) <= now && now <= new Date(c.validTo);
}

/**
 * Go-like `Verify` of `leaf` against `roots` and `intermediates` at `now` with ServerAuth: returns the root
 * that ends the first chain found, or undefined.
 */
export function verifyToRoot(
  leaf: X509Certificate,
  roots: X509Certificate[],
  intermediates: X509Certificate[],
  now: Date,
): X509Certificate | undefined {
  if (!validAt(leaf, now) || !usableForServerAuth(leaf)) return undefined;
  const signedBy = (child: X509Certificate, parent: X509Certificate): boolean => {
    try {
      return (
        parent.ca &&
        child.checkIssued(parent) &&
        child.verify(parent.publicKey) &&
        validAt(parent, now) &&
        usableForServerAuth(parent)
      );
    } catch {
      return false;
    }
  };
  const walk = (c: X509Certificate, depth: number, seen: Set<string>): X509Certificate | undefined => {
    if (roots.some((r) => r.raw.equals(c.raw))) return c;
    for (const r of roots) if (signedBy(c, r)) return r;
    if (depth > 8) return undefined;
    for (const i of intermediates) {
      const key = i.fingerprint256;
      if (seen.has(key) || !signedBy(c, i)) continue;
      const found = walk(i, depth + 1, new Set([...seen, key]));
      if (found) return found;
    }
    return undefined;
  };
  return walk(leaf, 0, new Set());
}

/**
 * The CA hash that goes into a token (§2.2): SHA-256 hex of the raw file bytes for a single certificate;
 * for a bundle, of the DER of the root that ends the verified chain of the first certificate (roots: certs
 * #2..n with no AKID or AKID==SKID), falling back to the raw bytes when it does not verify.
 *
 * @example
 * ```ts
 * const hash = caHash(readFileSync("/var/lib/rancher/k3s/server/tls/server-ca.crt"));
 * ```
 * @throws TokenError `TOKEN_CA_INVALID` when the input holds no parsable certificate
 */
export function caHash(caBundle: string | Uint8Array, options: { now?: Date; what?: string } = {}): string {
  const bundle = arg<string | Uint8Array>(caBundle, pemInput, "caBundle", "caHash");
  const o = opts<{ now?: Date; what?: string }>(options, { now: is.date, what: is.string }, "caHash");
  return hashOf(bundle, o);
}

/** {@link caHash} on checked arguments (for callers inside the module). @internal */
export function hashOf(caBundle: string | Uint8Array, options: { now?: Date; what?: string }): string {
  const bytes = typeof caBundle === "string" ? Buffer.from(caBundle, "utf8") : Buffer.from(caBundle);
  const certs = parseBundle(bytes, options.what);
  const sha = (b: Uint8Array): string => createHash("sha256").update(b).digest("hex");
  if (certs.length === 1) return sha(bytes);
  const [leaf, ...rest] = certs as [X509Certificate, ...X509Certificate[]];
  const roots: X509Certificate[] = [];
  const inters: X509Certificate[] = [];
  for (const c of rest) {
    const { skid, akid } = keyIds(c.raw);
    if (!akid || (skid && akid.equals(skid))) roots.push(c);
    else inters.push(c);
  }
  const root = verifyToRoot(leaf, roots, inters, options.now ?? new Date());
  return root ? sha(root.raw) : sha(bytes);
}

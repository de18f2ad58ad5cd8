/**
 * Pure renewal decisions for an existing leaf (K3s `createClientCertKey` / `expired` / `fieldsChanged`, §1.3).
 */
import { ipBytes, ipText } from "./ip.js";
import type { CertificateInfo } from "./parse.js";
import { is } from "../internal/options.js";
import { arg, caFields, certFields, expiryFields, options, required, wanted } from "./options.js";

const DAY = 86_400_000;

/** Why a leaf is (re)generated. */
export type RenewReason = "missing" | "ca-regenerated" | "expiring" | "fields-changed" | "key-mismatch";

/**
 * K3s `IsCertExpired`: (NotAfter − now) in days, as a float, `<= days`. Past-expiry counts too.
 * @example
 * ```ts
 * isExpiring({ notAfter: new Date(Date.now() + 100 * 86_400_000) }, new Date(), 120); // true
 * ```
 */
export function isExpiring(cert: Pick<CertificateInfo, "notAfter">, now: Date, days: number): boolean {
  const what = "isExpiring";
  return expiring(
    arg<Pick<CertificateInfo, "notAfter">>(cert, expiryFields, "cert", what),
    arg<Date>(now, is.date, "now", what),
    arg<number>(days, is.finite, "days", what),
  );
}

/** {@link isExpiring} on checked arguments. @internal */
export function expiring(cert: Pick<CertificateInfo, "notAfter">, now: Date, days: number): boolean {
  return (cert.notAfter.getTime() - now.getTime()) / DAY <= days;
}

export interface WantedFields {
  commonName: string;
  organization: readonly string[];
  altNames: readonly string[];
}

/**
 * K3s `fieldsChanged`: CN differs, O set differs, a required DNS or IP SAN is missing (extras are fine),
 * or the cert's AKID is not the CA's SKID.
 * @example
 * ```ts
 * fieldsChanged(leafInfo, { commonName: "kube-apiserver", organization: [], altNames: ["foo.example"] }, caInfo); // ["san foo.example"]
 * ```
 */
export function fieldsChanged(cert: CertificateInfo, want: WantedFields, ca: CertificateInfo): string[] {
  const what = "fieldsChanged";
  return changedFields(
    arg<CertificateInfo>(cert, certFields, "cert", what),
    arg<WantedFields>(want, wanted, "want", what),
    arg<CertificateInfo>(ca, caFields, "ca", what),
  );
}

/** {@link fieldsChanged} on checked arguments. @internal */
export function changedFields(cert: CertificateInfo, want: WantedFields, ca: CertificateInfo): string[] {
  const why: string[] = [];
  if (cert.commonName !== want.commonName) why.push("common name");
  const have = new Set(cert.organization);
  const wantO = new Set(want.organization);
  if (have.size !== wantO.size || [...wantO].some((o) => !have.has(o))) why.push("organization");
  const dns = new Set(cert.dnsNames);
  const ips = new Set(cert.ipAddresses);
  for (const n of want.altNames) {
    const ip = ipBytes(n);
    if (ip ? !ips.has(ipText(ip)) : !dns.has(n)) {
      why.push(`san ${n}`);
    }
  }
  const akid = cert.authorityKeyId;
  const skid = ca.subjectKeyId;
  if (!akid || !skid || !akid.equals(skid)) why.push("issuer");
  return why;
}

export interface LeafDecisionInput {
  existing?: CertificateInfo;
  /** False when the key file is missing or does not match the cert. */
  keyMatches: boolean;
  want: WantedFields;
  ca: CertificateInfo;
  caRegenerated: boolean;
  now: Date;
  renewWithinDays: number;
}

/**
 * Create, renew (with a new key) or keep, and why (K3s §1.3 plus a key/cert match check).
 * @example
 * ```ts
 * decideLeaf({ existing, keyMatches: true, want, ca, caRegenerated: false, now, renewWithinDays: 90 }).action; // "keep"
 * ```
 */
export function decideLeaf(input: LeafDecisionInput): LeafDecision {
  const what = "decideLeaf";
  const o = options<LeafDecisionInput>(
    input,
    {
      existing: certFields,
      keyMatches: is.boolean,
      want: wanted,
      ca: caFields,
      caRegenerated: is.boolean,
      now: is.date,
      renewWithinDays: is.nonNegative,
    },
    what,
  );
  required(o, ["keyMatches", "want", "ca", "caRegenerated", "now", "renewWithinDays"], what);
  return decide(o);
}

/** What {@link decideLeaf} decided. */
export interface LeafDecision {
  action: "create" | "renew" | "keep";
  reasons: RenewReason[];
  details: string[];
}

/** {@link decideLeaf} on checked input. @internal */
export function decide(input: LeafDecisionInput): LeafDecision {
  const { existing } = input;
  if (!existing) return { action: "create", reasons: ["missing"], details: [] };
  const reasons: RenewReason[] = [];
  let details: string[] = [];
  if (input.caRegenerated) reasons.push("ca-regenerated");
  if (expiring(existing, input.now, input.renewWithinDays)) reasons.push("expiring");
  details = changedFields(existing, input.want, input.ca);
  if (details.length) reasons.push("fields-changed");
  if (!input.keyMatches) reasons.push("key-mismatch");
  return { action: reasons.length ? "renew" : "keep", reasons, details };
}

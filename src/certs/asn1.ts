/**
 * DER building blocks on top of node-forge's ASN.1 encoder. Only structure and encoding happen here;
 * keys, signatures and parsing of existing material go through node:crypto (see notes/pki.md).
 * @internal
 */
import { type Asn1, type Asn1Type, asn1, util } from "./forge.js";
import { derChildren } from "../internal/der.js";
import { checkArg, is } from "../internal/options.js";
import { fail } from "./options.js";

export type { Asn1 } from "./forge.js";
const U = asn1.Class.UNIVERSAL;
const C = asn1.Class.CONTEXT_SPECIFIC;
const T = asn1.Type;

/** Buffer → forge binary string. */
export const bin = (b: Uint8Array): string =>
  Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("binary");
/** forge binary string → Buffer. */
export const buf = (s: string): Buffer => Buffer.from(s, "binary");

export const seq = (items: Asn1[]): Asn1 => asn1.create(U, T.SEQUENCE, true, items);
export const set = (items: Asn1[]): Asn1 => asn1.create(U, T.SET, true, items);
export const oid = (dotted: string): Asn1 => asn1.create(U, T.OID, false, asn1.oidToDer(dotted).getBytes());
export const octets = (b: Uint8Array): Asn1 => asn1.create(U, T.OCTETSTRING, false, bin(b));
export const bool = (v: boolean): Asn1 => asn1.create(U, T.BOOLEAN, false, v ? "\xff" : "\x00");
export const nul = (): Asn1 => asn1.create(U, T.NULL, false, "");
/** BIT STRING with `unused` trailing bits. */
export const bits = (b: Uint8Array, unused = 0): Asn1 =>
  asn1.create(U, T.BITSTRING, false, String.fromCharCode(unused) + bin(b));
/** Explicit context tag [n] around `inner`. */
export const explicit = (n: number, inner: Asn1[]): Asn1 => asn1.create(C, n as Asn1Type, true, inner);
/** Implicit primitive context tag [n] with raw content. */
export const implicit = (n: number, content: Uint8Array): Asn1 =>
  asn1.create(C, n as Asn1Type, false, bin(content));
/** Decodes DER without forge's guess-decoding of BIT STRING contents (keys and signatures stay opaque). */
export const fromDer = (der: Uint8Array): Asn1 =>
  (asn1.fromDer as unknown as (b: string, o: object) => Asn1)(bin(der), {
    strict: true,
    decodeBitStrings: false,
  });

/** DER SEQUENCE around already-encoded parts (no re-parsing of the parts). */
export function derSeq(parts: Buffer[]): Buffer {
  const len = parts.reduce((n, p) => n + p.length, 0);
  let head: number[];
  if (len < 0x80) head = [0x30, len];
  else if (len < 0x100) head = [0x30, 0x81, len];
  else if (len < 0x10000) head = [0x30, 0x82, len >> 8, len & 0xff];
  else head = [0x30, 0x83, len >> 16, (len >> 8) & 0xff, len & 0xff];
  return Buffer.concat([Buffer.from(head), ...parts]);
}

/** `[tlvStart, contentStart, contentEnd]` of each TLV directly inside `der[start, end)`. */
export function tlvChildren(der: Buffer, start: number, end: number): Array<[number, number, number]> {
  return derChildren(der, start, end).map(([, tlv, content, contentEnd]) => [tlv, content, contentEnd]);
}

/** Minimal two's-complement positive INTEGER from a non-negative bigint. */
export function integer(n: bigint): Asn1 {
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  // A leading byte >= 0x80 would read as negative; prefix a zero byte.
  if (Number.parseInt(hex.slice(0, 2), 16) >= 0x80) hex = `00${hex}`;
  return asn1.create(U, T.INTEGER, false, Buffer.from(hex, "hex").toString("binary"));
}

export const smallInt = (n: number): Asn1 => integer(BigInt(n));

/** UTCTime before 2050, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5), seconds precision, Z. */
export function time(d: Date): Asn1 {
  const iso = d.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const y = d.getUTCFullYear();
  const body = iso.slice(5, 7) + iso.slice(8, 10) + iso.slice(11, 13) + iso.slice(14, 16) + iso.slice(17, 19);
  if (y >= 1950 && y < 2050) return asn1.create(U, T.UTCTIME, false, `${String(y).slice(2)}${body}Z`);
  return asn1.create(U, T.GENERALIZEDTIME, false, `${String(y).padStart(4, "0")}${body}Z`);
}

/**
 * Go's `isPrintable` as used when marshalling a string (asterisk and ampersand rejected):
 * letters, digits, space and `'()+,-./:=?`. Anything else gets UTF8String. Getting this wrong
 * (e.g. PrintableString for `k3s-server-ca@1735689600`) makes Go reject the certificate while
 * OpenSSL silently accepts it.
 * @example
 * ```ts
 * isGoPrintable("system:admin"); // true
 * isGoPrintable("k3s-server-ca@1735689600"); // false → UTF8String
 * ```
 */
export function isGoPrintable(s: string): boolean {
  return goPrintable(checkArg<string>(s, is.text, "s", fail, "isGoPrintable"));
}

/** {@link isGoPrintable} on a checked string. @internal */
export function goPrintable(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ok =
      (c >= 0x61 && c <= 0x7a) ||
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x30 && c <= 0x39) ||
      c === 0x20 ||
      c === 0x27 ||
      c === 0x28 ||
      c === 0x29 ||
      c === 0x2b ||
      c === 0x2c ||
      c === 0x2d ||
      c === 0x2e ||
      c === 0x2f ||
      c === 0x3a ||
      c === 0x3d ||
      c === 0x3f;
    if (!ok) return false;
  }
  return true;
}

function dirString(s: string): Asn1 {
  if (goPrintable(s)) return asn1.create(U, T.PRINTABLESTRING, false, s);
  return asn1.create(U, T.UTF8, false, util.encodeUtf8(s));
}

export const OID = {
  cn: "2.5.4.3",
  o: "2.5.4.10",
  ecdsaSha256: "1.2.840.10045.4.3.2",
  keyUsage: "2.5.29.15",
  extKeyUsage: "2.5.29.37",
  basicConstraints: "2.5.29.19",
  skid: "2.5.29.14",
  akid: "2.5.29.35",
  san: "2.5.29.17",
  serverAuth: "1.3.6.1.5.5.7.3.1",
  clientAuth: "1.3.6.1.5.5.7.3.2",
} as const;

/**
 * A Name in Go's `pkix.Name.ToRDNSequence` order: O (all values in one RDN), then CN.
 */
export function name(commonName: string, organization: readonly string[] = []): Asn1 {
  const rdns: Asn1[] = [];
  if (organization.length > 0) rdns.push(set(organization.map((o) => seq([oid(OID.o), dirString(o)]))));
  if (commonName !== "") rdns.push(set([seq([oid(OID.cn), dirString(commonName)])]));
  return seq(rdns);
}

export const ecdsaSha256AlgId = (): Asn1 => seq([oid(OID.ecdsaSha256)]); // no NULL parameter (RFC 5758)

export function extension(id: string, critical: boolean, value: Asn1): Asn1 {
  const parts = [oid(id)];
  if (critical) parts.push(bool(true));
  parts.push(octets(buf(asn1.toDer(value).getBytes())));
  return seq(parts);
}

export const toDer = (a: Asn1): Buffer => buf(asn1.toDer(a).getBytes());

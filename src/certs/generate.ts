/**
 * Pure certificate generators with an injectable clock: K3s/dynamiclistener rules (§1.1).
 */
import {
  type KeyObject,
  randomBytes,
  sign as cryptoSign,
  verify as cryptoVerify,
  createPublicKey,
} from "node:crypto";
import { type Asn1Type, asn1 } from "./forge.js";
import {
  type Asn1,
  bits,
  ecdsaSha256AlgId,
  explicit,
  extension,
  implicit,
  integer,
  name,
  OID,
  octets,
  oid,
  derSeq,
  tlvChildren,
  seq,
  smallInt,
  time,
  toDer,
  bool,
} from "./asn1.js";
import { CertError } from "./errors.js";
import { ipBytes, ipText } from "./ip.js";
import {
  type EcKey,
  generateEcKey,
  keyId,
  parseEcKey,
  pointFromSpki,
  p256Spki,
} from "./keys.js";
import { parseDer, type CertificateInfo } from "./parse.js";
import { derCerts, toPem } from "./pem.js";
import { arg, authority, days as daysCheck, name as nameCheck, names, optionalArg, options as opts, pem as pemCheck, required, sans } from "./options.js";
import { is, type Check } from "../internal/options.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Days a K3s self-signed CA is valid (10 × 365 × 24 h; leap days not counted). */
export const CA_VALIDITY_DAYS = 3650;
/** Days a K3s leaf is valid (dynamiclistener default). */
export const LEAF_VALIDITY_DAYS = 365;

/** A CA that can sign: its certificate(s), its key and the fields leaves copy from it. */
export interface CertificateAuthority {
  /** PEM of the CA certificate (the first certificate of the CA file). */
  certPem: string;
  /** The whole CA file (CA cert plus any chain); appended to every leaf it signs. */
  bundlePem: string;
  /** SEC1 PEM of the CA key. */
  keyPem: string;
  /** The CA key as a KeyObject (for signing). */
  privateKey: KeyObject;
  /** Parsed fields of the CA certificate. */
  info: CertificateInfo;
}

/** A signed leaf. */
export interface IssuedCertificate {
  /** Leaf PEM followed by the issuing CA file, as K3s writes leaf `.crt` files. */
  certPem: string;
  /** Leaf PEM only. */
  leafPem: string;
  /** SEC1 PEM of the leaf key (empty for {@link signCSR}: the requester keeps its key). */
  keyPem: string;
  info: CertificateInfo;
}

/** `client` → ClientAuth, `server` → ServerAuth, `both` → ServerAuth+ClientAuth. */
export type LeafUsage = "client" | "server" | "both";

export interface CreateCAOptions {
  /** Subject CN, e.g. `k3s-server-ca@1735689600`. Required. */
  commonName: string;
  /** Subject O values (K3s gives none). */
  organization?: string[];
  /** Clock. Default `new Date()`. */
  now?: Date;
  /** Validity in days. Default 3650. */
  days?: number;
  /** Reuse this PEM private key (K3s reuses an existing CA key file). Default: a fresh P-256 key. */
  keyPem?: string;
  /** Sign with this CA instead of self-signing (for intermediates). */
  issuer?: CertificateAuthority;
  /** Serial number. Default 0 for self-signed (as K3s), random for issuer-signed. */
  serial?: bigint;
  /** Path length constraint; default none. */
  maxPathLen?: number;
}

export interface LeafOptions {
  /** Subject CN. Required. */
  commonName: string;
  organization?: string[];
  usage: LeafUsage;
  /** SAN entries: each becomes an IP SAN when it parses as an IP, otherwise a DNS SAN (K3s `addSANs`). */
  altNames?: string[];
  now?: Date;
  /** Validity in days. Default 365 (K3s honours `CATTLE_NEW_SIGNED_CERT_EXPIRATION_DAYS`; pass it here). */
  days?: number;
  /** Reuse this PEM private key. Default: a fresh P-256 key. */
  keyPem?: string;
}

/** X.509 times run from year 0 to 9999 (Go refuses others): a computed validity must fit. */
function checkValidity(notBefore: Date, notAfter: Date): void {
  const ok = (d: Date): boolean => Number.isFinite(d.getTime()) && d.getUTCFullYear() >= 0 && d.getUTCFullYear() <= 9999;
  if (!ok(notBefore) || !ok(notAfter))
    throw new CertError("CERT_OPTION_INVALID", "the validity period must lie within the years 0 to 9999 (now and days)", {
      value: { notBefore: String(notBefore), notAfter: String(notAfter) },
    });
}

/** X.509 time has seconds precision: truncate so the stored and computed values agree. */
const toSecond = (ms: number): Date => new Date(Math.floor(ms / 1000) * 1000);

/**
 * Random serial in [0, 2^63−1), as dynamiclistener's `NewSignedCert`.
 * @example
 * ```ts
 * randomSerial(); // 4871845120591102081n
 * ```
 */
export function randomSerial(): bigint {
  // No arguments to check: extra ones are ignored, as for any JS function.
  for (;;) {
    const b = randomBytes(8);
    b[0] = (b[0] ?? 0) & 0x7f;
    const n = b.readBigUInt64BE();
    if (n !== 0x7fffffffffffffffn) return n;
  }
}

/** KeyUsage BIT STRING as Go writes it: bits reversed per byte, trailing zero bits dropped. */
function keyUsage(ca: boolean): Asn1 {
  // DigitalSignature(0) | KeyEncipherment(2) [| CertSign(5)]
  return ca ? bits(Buffer.from([0xa4]), 2) : bits(Buffer.from([0xa0]), 5);
}

interface TbsInput {
  serial: bigint;
  issuerDer: Buffer;
  subjectDer: Buffer;
  notBefore: Date;
  notAfter: Date;
  spki: Buffer;
  extensions: Asn1[];
  signer: KeyObject;
}

/**
 * The {@link CertificateInfo} of a certificate built here, from what built it: the same fields
 * `parseDer` would read back out of `der` (a unit test holds the two equal), without decoding the
 * certificate just encoded (a fresh process's first PKI run spent ~4 ms of ~60 doing that).
 */
function builtInfo(
  der: Buffer,
  t: TbsInput,
  f: Pick<
    CertificateInfo,
    "commonName" | "issuerCommonName" | "isCA" | "extKeyUsage" | "dnsNames" | "ipAddresses"
  > & { organization: readonly string[]; subjectKeyId?: Buffer; authorityKeyId?: Buffer | undefined },
): CertificateInfo {
  const info: CertificateInfo = {
    der,
    serial: t.serial,
    subjectDer: t.subjectDer,
    issuerDer: t.issuerDer,
    commonName: f.commonName,
    organization: [...f.organization],
    issuerCommonName: f.issuerCommonName,
    notBefore: t.notBefore,
    notAfter: t.notAfter,
    dnsNames: f.dnsNames,
    ipAddresses: f.ipAddresses,
    isCA: f.isCA,
    extKeyUsage: [...f.extKeyUsage],
    spki: t.spki,
  };
  if (f.subjectKeyId) info.subjectKeyId = f.subjectKeyId;
  if (f.authorityKeyId) info.authorityKeyId = f.authorityKeyId;
  return info;
}

const VERSION_V3 = toDer(explicit(0, [smallInt(2)]));
const ALG_ID = toDer(ecdsaSha256AlgId());

function buildCertificate(t: TbsInput): Buffer {
  const tbsDer = derSeq([
    VERSION_V3,
    toDer(integer(t.serial)),
    ALG_ID,
    t.issuerDer,
    toDer(seq([time(t.notBefore), time(t.notAfter)])),
    t.subjectDer,
    t.spki,
    toDer(explicit(3, [seq(t.extensions)])),
  ]);
  const sig = cryptoSign("sha256", tbsDer, t.signer);
  return derSeq([tbsDer, ALG_ID, toDer(bits(sig))]);
}

/** The SAN extension, and the names as a parser reads them back out of it. */
function sanExtension(altNames: readonly string[]): {
  ext: Asn1 | undefined;
  dnsNames: string[];
  ipAddresses: string[];
} {
  const dns: Asn1[] = [];
  const ips: Asn1[] = [];
  const dnsNames: string[] = [];
  const ipAddresses: string[] = [];
  const seen = new Set<string>();
  for (const n of altNames) {
    if (seen.has(n)) continue;
    seen.add(n);
    const ip = ipBytes(n);
    if (ip) {
      ips.push(implicit(7, ip));
      ipAddresses.push(ipText(ip));
    } else {
      const ascii = Buffer.from(n, "ascii");
      dns.push(implicit(2, ascii));
      dnsNames.push(ascii.toString("latin1"));
    }
  }
  // Go writes DNS names first, then IPs.
  const all = [...dns, ...ips];
  return { ext: all.length ? extension(OID.san, false, seq(all)) : undefined, dnsNames, ipAddresses };
}

/**
 * Creates a CA: self-signed like dynamiclistener's `NewSelfSignedCACert` (serial 0, NotBefore = now − 1 h,
 * NotAfter = NotBefore + 3650 days, KU DigitalSignature|KeyEncipherment|CertSign, CA:TRUE, SKID), or signed by
 * `issuer` for intermediates.
 *
 * @example
 * ```ts
 * const ca = createCA({ commonName: `k3s-server-ca@${Math.floor(Date.now() / 1000)}` });
 * ```
 * @throws CertError `CERT_OPTION_INVALID` (empty CN, bad days/clock), `CERT_KEY_INVALID` (unreadable `keyPem`)
 */
export function createCA(options: CreateCAOptions): CertificateAuthority {
  const o = opts<CreateCAOptions>(options, CA_SPEC, "createCA");
  required(o, ["commonName"], "createCA");
  return makeCA(o);
}

/** {@link createCA} on checked options. @internal */
export function makeCA(options: CreateCAOptions): CertificateAuthority {
  const {
    commonName,
    organization = [],
    now = new Date(),
    days = CA_VALIDITY_DAYS,
    issuer,
    maxPathLen,
  } = options;
  const key: EcKey = options.keyPem !== undefined ? parseEcKey(options.keyPem) : generateEcKey();
  let notBefore = toSecond(now.getTime() - HOUR);
  if (issuer && notBefore < issuer.info.notBefore) notBefore = issuer.info.notBefore;
  const notAfter = new Date(notBefore.getTime() + days * DAY);
  checkValidity(notBefore, notAfter);
  const subjectDer = toDer(name(commonName, organization));
  const skid = keyId(key.point);
  const bc: Asn1[] = [bool(true)];
  if (maxPathLen !== undefined) bc.push(smallInt(maxPathLen));
  const exts = [
    extension(OID.keyUsage, true, keyUsage(true)),
    extension(OID.basicConstraints, true, seq(bc)),
    extension(OID.skid, false, octets(skid)),
  ];
  const authorityKeyId = issuer?.info.subjectKeyId;
  if (authorityKeyId) exts.push(extension(OID.akid, false, seq([implicit(0, authorityKeyId)])));
  const tbs: TbsInput = {
    serial: options.serial ?? (issuer ? randomSerial() : 0n),
    issuerDer: issuer ? issuer.info.subjectDer : subjectDer,
    subjectDer,
    notBefore,
    notAfter,
    spki: key.spki,
    extensions: exts,
    signer: issuer ? issuer.privateKey : key.privateKey,
  };
  const der = buildCertificate(tbs);
  const certPem = toPem("CERTIFICATE", der);
  return {
    certPem,
    bundlePem: issuer ? certPem + issuer.bundlePem : certPem,
    keyPem: key.keyPem,
    privateKey: key.privateKey,
    info: builtInfo(der, tbs, {
      commonName,
      organization,
      issuerCommonName: issuer ? issuer.info.commonName : commonName,
      isCA: true,
      extKeyUsage: [],
      dnsNames: [],
      ipAddresses: [],
      subjectKeyId: skid,
      authorityKeyId,
    }),
  };
}

function issue(
  ca: CertificateAuthority,
  opts: LeafOptions,
  spki: Buffer,
): { der: Buffer; info: CertificateInfo } {
  const {
    commonName,
    organization = [],
    usage,
    altNames = [],
    now = new Date(),
    days = LEAF_VALIDITY_DAYS,
  } = opts;
  let notBefore = toSecond(now.getTime() - HOUR);
  if (notBefore < ca.info.notBefore) notBefore = ca.info.notBefore;
  const notAfter = new Date(notBefore.getTime() + days * DAY);
  checkValidity(notBefore, notAfter);
  const eku =
    usage === "client"
      ? [OID.clientAuth]
      : usage === "server"
        ? [OID.serverAuth]
        : [OID.serverAuth, OID.clientAuth];
  const exts = [
    extension(OID.keyUsage, true, keyUsage(false)),
    extension(OID.extKeyUsage, false, seq(eku.map(oid))),
  ];
  const authorityKeyId = ca.info.subjectKeyId;
  if (authorityKeyId) exts.push(extension(OID.akid, false, seq([implicit(0, authorityKeyId)])));
  const san = sanExtension(altNames);
  if (san.ext) exts.push(san.ext);
  const tbs: TbsInput = {
    serial: randomSerial(),
    issuerDer: ca.info.subjectDer,
    subjectDer: toDer(name(commonName, organization)),
    notBefore,
    notAfter,
    spki,
    extensions: exts,
    signer: ca.privateKey,
  };
  const der = buildCertificate(tbs);
  const info = builtInfo(der, tbs, {
    commonName,
    organization,
    issuerCommonName: ca.info.commonName,
    isCA: false,
    extKeyUsage: eku,
    dnsNames: san.dnsNames,
    ipAddresses: san.ipAddresses,
    authorityKeyId,
  });
  return { der, info };
}

/**
 * Signs a leaf with a new (or the given) P-256 key, like dynamiclistener's `NewSignedCert`: random serial,
 * NotBefore = max(now − 1 h, CA NotBefore), NotAfter = NotBefore + 365 days, KU DigitalSignature|KeyEncipherment,
 * the EKU for `usage`, AKID = CA SKID. `certPem` is the leaf followed by the CA file.
 *
 * @example
 * ```ts
 * const admin = signLeaf(ca, { commonName: "system:admin", organization: ["system:masters"], usage: "client" });
 * ```
 * @throws CertError `CERT_OPTION_INVALID`, `CERT_KEY_INVALID`
 */
export function signLeaf(ca: CertificateAuthority, options: LeafOptions): IssuedCertificate {
  const what = "signLeaf";
  const checkedCA = arg<CertificateAuthority>(ca, authority, "ca", what);
  const o = opts<LeafOptions>(options, LEAF_SPEC, what);
  required(o, ["commonName", "usage"], what);
  return makeLeaf(checkedCA, o);
}

/** {@link signLeaf} on checked arguments. @internal */
export function makeLeaf(ca: CertificateAuthority, options: LeafOptions): IssuedCertificate {
  const key = options.keyPem !== undefined ? parseEcKey(options.keyPem) : generateEcKey();
  const { der, info } = issue(ca, options, key.spki);
  const leafPem = toPem("CERTIFICATE", der);
  return { certPem: leafPem + ca.bundlePem, leafPem, keyPem: key.keyPem, info };
}

/**
 * Builds a CSR with an empty subject for `keyPem` (or a new P-256 key), as a K3s agent does (§1.4).
 *
 * @example
 * ```ts
 * const { csrPem, keyPem } = createCSR();
 * ```
 * @throws CertError `CERT_KEY_INVALID`
 */
export function createCSR(keyPem?: string): { csrPem: string; keyPem: string } {
  return makeCSR(optionalArg<string>(keyPem, pemCheck, "keyPem", "createCSR"));
}

/** {@link createCSR} on a checked key. @internal */
export function makeCSR(keyPem?: string): { csrPem: string; keyPem: string } {
  const key = keyPem !== undefined ? parseEcKey(keyPem) : generateEcKey();
  const attrs = toDer(asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0 as Asn1Type, true, []));
  const infoDer = derSeq([toDer(smallInt(0)), toDer(seq([])), key.spki, attrs]);
  const sig = cryptoSign("sha256", infoDer, key.privateKey);
  const der = derSeq([infoDer, ALG_ID, toDer(bits(sig))]);
  return { csrPem: toPem("CERTIFICATE REQUEST", der), keyPem: key.keyPem };
}

/**
 * Signs a CSR the way the K3s supervisor does for agents (§1.4): only the CSR's public key is used, the
 * subject, SANs and usage come from `options`. The CSR signature is checked first.
 *
 * @example
 * ```ts
 * const { csrPem, keyPem } = createCSR();
 * const kubelet = signCSR(clientCA, csrPem, { commonName: "system:node:n1", organization: ["system:nodes"], usage: "client" });
 * ```
 * @throws CertError `CERT_CSR_INVALID` (not a CSR, bad signature, not P-256), `CERT_OPTION_INVALID`
 */
export function signCSR(
  ca: CertificateAuthority,
  csrPem: string,
  options: Omit<LeafOptions, "keyPem">,
): IssuedCertificate {
  const what = "signCSR";
  const checkedCA = arg<CertificateAuthority>(ca, authority, "ca", what);
  const csr = arg<string>(csrPem, pemCheck, "csrPem", what);
  const o = opts<Omit<LeafOptions, "keyPem">>(options, CSR_LEAF_SPEC, what);
  required(o, ["commonName", "usage"], what);
  return signCSRWith(checkedCA, csr, o);
}

/** {@link signCSR} on checked arguments. @internal */
export function signCSRWith(
  ca: CertificateAuthority,
  csrPem: string,
  options: Omit<LeafOptions, "keyPem">,
): IssuedCertificate {
  let spki: Buffer;
  let point: Buffer;
  const bad = (why: string): CertError =>
    new CertError("CERT_CSR_INVALID", `invalid certificate request: ${why}`, { value: "csr" });
  try {
    const m =
      /-----BEGIN (?:NEW )?CERTIFICATE REQUEST-----([\s\S]*?)-----END (?:NEW )?CERTIFICATE REQUEST-----/.exec(
        csrPem,
      );
    if (!m) throw bad("no CERTIFICATE REQUEST block");
    const der = Buffer.from((m[1] ?? "").replace(/\s+/g, ""), "base64");
    const [outer] = tlvChildren(der, 0, der.length);
    if (!outer) throw bad("empty");
    const [info, , sigT] = tlvChildren(der, outer[1], outer[2]);
    if (!info || !sigT) throw bad("not a CertificationRequest");
    const infoDer = der.subarray(info[0], info[2]);
    const fields = tlvChildren(der, info[1], info[2]);
    const spkiT = fields[2];
    if (!spkiT) throw bad("no public key");
    spki = der.subarray(spkiT[0], spkiT[2]);
    const sigBits = der.subarray(sigT[1] + 1, sigT[2]);
    const pub = createPublicKey({ key: spki, format: "der", type: "spki" });
    if (!cryptoVerify("sha256", infoDer, pub, sigBits)) throw bad("CSR signature does not verify");
    point = pointFromSpki(spki, "CSR");
  } catch (cause) {
    if (cause instanceof CertError && cause.code === "CERT_CSR_INVALID") throw cause;
    throw new CertError("CERT_CSR_INVALID", `invalid certificate request: ${(cause as Error).message}`, {
      value: "csr",
      cause,
    });
  }
  const { der, info } = issue(ca, options, p256Spki(point));
  const leafPem = toPem("CERTIFICATE", der);
  return { certPem: leafPem + ca.bundlePem, leafPem, keyPem: "", info };
}

/**
 * Loads a CA from its file contents, checking that the key matches the first certificate.
 *
 * @example
 * ```ts
 * const ca = loadCA(readFileSync("server-ca.crt", "utf8"), readFileSync("server-ca.key", "utf8"), { certFile: "server-ca.crt" });
 * ```
 * @throws CertError `CERT_PEM_INVALID`, `CERT_KEY_INVALID`, `CERT_KEY_MISMATCH` (each naming the file)
 */
export function loadCA(
  bundlePem: string,
  keyPem: string,
  files: { certFile?: string; keyFile?: string } = {},
): CertificateAuthority {
  const what = "loadCA";
  const bundle = arg<string>(bundlePem, pemCheck, "bundlePem", what);
  const key = arg<string>(keyPem, pemCheck, "keyPem", what);
  const f = opts<{ certFile?: string; keyFile?: string }>(files, { certFile: nameCheck, keyFile: nameCheck }, what);
  return readCA(bundle, key, f);
}

/** {@link loadCA} on checked arguments. @internal */
export function readCA(
  bundlePem: string,
  keyPem: string,
  files: { certFile?: string; keyFile?: string } = {},
): CertificateAuthority {
  const certFile = files.certFile ?? "<ca cert>";
  const keyFile = files.keyFile ?? "<ca key>";
  const ders = derCerts(bundlePem, certFile);
  const info = parseDer(ders[0] as Buffer, certFile);
  const key = parseEcKey(keyPem, keyFile);
  if (!p256Spki(key.point).equals(info.spki)) {
    throw new CertError("CERT_KEY_MISMATCH", `${keyFile} does not match the certificate in ${certFile}`, {
      value: keyFile,
    });
  }
  return {
    certPem: toPem("CERTIFICATE", ders[0] as Buffer),
    bundlePem,
    keyPem,
    privateKey: key.privateKey,
    info,
  };
}


const serial: Check = (v) => (typeof v === "bigint" && v >= 0n && v < 1n << 159n ? undefined : "must be a bigint from 0 to 2^159 − 1");

const CA_SPEC: { readonly [K in keyof CreateCAOptions]-?: Check } = {
  commonName: nameCheck,
  organization: names,
  now: is.date,
  days: daysCheck,
  keyPem: pemCheck,
  issuer: authority,
  serial,
  maxPathLen: is.integer(0, 0x7fffffff),
};

const CSR_LEAF_SPEC: { readonly [K in keyof Omit<LeafOptions, "keyPem">]-?: Check } = {
  commonName: nameCheck,
  organization: names,
  usage: (v) => (v === "client" || v === "server" || v === "both" ? undefined : "must be client, server or both (K3s requires at least one EKU)"),
  altNames: sans,
  now: is.date,
  days: daysCheck,
};

const LEAF_SPEC: { readonly [K in keyof LeafOptions]-?: Check } = { ...CSR_LEAF_SPEC, keyPem: pemCheck };

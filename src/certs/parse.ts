/**
 * Reads the fields K3s's renewal check looks at out of a DER certificate (forge ASN.1 decoding only).
 * @internal
 */
import { type Asn1, asn1, util } from "./forge.js";
import { buf, fromDer, OID } from "./asn1.js";
import { CertError } from "./errors.js";
import { ipText } from "./ip.js";
import { arg, bytes as bytesCheck, name, optionalArg } from "./options.js";

/** The parts of a certificate used for renewal decisions, checks and chain building. */
export interface CertificateInfo {
  der: Buffer;
  serial: bigint;
  /** Raw DER of the subject Name (Go's chain builder compares these bytes). */
  subjectDer: Buffer;
  issuerDer: Buffer;
  commonName: string;
  organization: string[];
  issuerCommonName: string;
  notBefore: Date;
  notAfter: Date;
  dnsNames: string[];
  ipAddresses: string[];
  subjectKeyId?: Buffer;
  authorityKeyId?: Buffer;
  isCA: boolean;
  /** Extended key usage OIDs (empty when the extension is absent). */
  extKeyUsage: string[];
  /** Public key SPKI DER. */
  spki: Buffer;
}

const kids = (a: Asn1 | undefined): Asn1[] => (a && Array.isArray(a.value) ? a.value : []);
const bytes = (a: Asn1 | undefined): string => (a && typeof a.value === "string" ? a.value : "");

function nameParts(n: Asn1): { cn: string; o: string[] } {
  let cn = "";
  const o: string[] = [];
  for (const rdn of kids(n)) {
    for (const atv of kids(rdn)) {
      const [t, v] = kids(atv);
      if (!t || !v) continue;
      const id = asn1.derToOid(bytes(t));
      const text = v.type === asn1.Type.UTF8 ? util.decodeUtf8(bytes(v)) : bytes(v);
      if (id === OID.cn) cn = text;
      else if (id === OID.o) o.push(text);
    }
  }
  return { cn, o };
}

function parseTime(a: Asn1 | undefined): Date {
  if (!a) return new Date(Number.NaN);
  return a.type === asn1.Type.UTCTIME ? asn1.utcTimeToDate(bytes(a)) : asn1.generalizedTimeToDate(bytes(a));
}

/**
 * Parses one DER certificate into the fields K3s's renewal and check logic use.
 * @example
 * ```ts
 * const info = parseCertificate(certificateDers(pem, "client-admin.crt")[0]!, "client-admin.crt");
 * info.commonName; info.notAfter; info.authorityKeyId;
 * ```
 * @throws CertError `CERT_PEM_INVALID` naming `file`
 */
export function parseCertificate(der: Buffer, file = "<input>"): CertificateInfo {
  const what = "parseCertificate";
  const d = arg<Uint8Array>(der, bytesCheck, "der", what);
  return parseDer(Buffer.isBuffer(d) ? d : Buffer.from(d.buffer, d.byteOffset, d.byteLength), optionalArg<string>(file, name, "file", what));
}

/** {@link parseCertificate} on checked arguments. @internal */
export function parseDer(der: Buffer, file = "<input>"): CertificateInfo {
  try {
    const cert = fromDer(der);
    const tbs = kids(cert)[0];
    const f = kids(tbs);
    let i = 0;
    if (f[0] && f[0].tagClass === asn1.Class.CONTEXT_SPECIFIC) i = 1;
    const serialBytes = buf(bytes(f[i]));
    const issuer = f[i + 2] as Asn1;
    const validity = kids(f[i + 3]);
    const subject = f[i + 4] as Asn1;
    const spkiA = f[i + 5] as Asn1;
    const info: CertificateInfo = {
      der,
      serial: serialBytes.length ? BigInt(`0x${serialBytes.toString("hex")}`) : 0n,
      subjectDer: buf(asn1.toDer(subject).getBytes()),
      issuerDer: buf(asn1.toDer(issuer).getBytes()),
      commonName: nameParts(subject).cn,
      organization: nameParts(subject).o,
      issuerCommonName: nameParts(issuer).cn,
      notBefore: parseTime(validity[0]),
      notAfter: parseTime(validity[1]),
      dnsNames: [],
      ipAddresses: [],
      isCA: false,
      extKeyUsage: [],
      spki: buf(asn1.toDer(spkiA).getBytes()),
    };
    const extWrap = f.find((x) => x.tagClass === asn1.Class.CONTEXT_SPECIFIC && x.type === 3);
    for (const ext of kids(kids(extWrap)[0])) {
      const parts = kids(ext);
      const id = asn1.derToOid(bytes(parts[0]));
      const value = fromDer(buf(bytes(parts[parts.length - 1])));
      if (id === OID.skid) info.subjectKeyId = buf(bytes(value));
      else if (id === OID.akid) {
        const k = kids(value).find((x) => x.tagClass === asn1.Class.CONTEXT_SPECIFIC && x.type === 0);
        if (k) info.authorityKeyId = buf(bytes(k));
      } else if (id === OID.basicConstraints) info.isCA = bytes(kids(value)[0]) === "\xff";
      else if (id === OID.extKeyUsage) info.extKeyUsage = kids(value).map((x) => asn1.derToOid(bytes(x)));
      else if (id === OID.san) {
        for (const gn of kids(value)) {
          if (gn.type === 2) info.dnsNames.push(bytes(gn));
          else if (gn.type === 7) info.ipAddresses.push(ipText(buf(bytes(gn))));
        }
      }
    }
    if (Number.isNaN(info.notBefore.getTime()) || Number.isNaN(info.notAfter.getTime()))
      throw new CertError("CERT_PEM_INVALID", `${file}: certificate does not parse (validity)`, { value: file });
    return info;
  } catch (cause) {
    if (cause instanceof CertError) throw cause;
    throw new CertError("CERT_PEM_INVALID", `${file}: certificate does not parse`, { value: file, cause });
  }
}

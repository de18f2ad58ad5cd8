/**
 * PEM splitting and encoding (LF line endings, 64-column base64), shared by certs and kubeconfigs.
 * @internal
 */
import { CertError } from "./errors.js";
import { arg, name, optionalArg, pem } from "./options.js";

export interface PemBlock {
  type: string;
  der: Buffer;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g;

/**
 * Every PEM block in `text` (type and DER); malformed base64 blocks are skipped.
 * @example
 * ```ts
 * pemBlocks(readFileSync("client-admin.crt", "utf8")).length; // 2 (leaf + CA)
 * ```
 */
export function pemBlocks(text: string): PemBlock[] {
  return splitPem(arg<string>(text, pem, "text", "pemBlocks"));
}

/** {@link pemBlocks} on a checked string. @internal */
export function splitPem(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  for (const m of text.matchAll(BLOCK)) {
    const body = (m[2] ?? "").replace(/\s+/g, "");
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body)) continue;
    out.push({ type: m[1] ?? "", der: Buffer.from(body, "base64") });
  }
  return out;
}

/**
 * DER of every CERTIFICATE block.
 * @example
 * ```ts
 * const [leaf, ca] = certificateDers(pem, "client-admin.crt");
 * ```
 * @throws CertError `CERT_PEM_INVALID` naming `file` when there is none
 */
export function certificateDers(text: string, file = "<input>"): Buffer[] {
  const what = "certificateDers";
  return derCerts(arg<string>(text, pem, "text", what), optionalArg<string>(file, name, "file", what));
}

/** {@link certificateDers} on checked arguments. @internal */
export function derCerts(text: string, file = "<input>"): Buffer[] {
  const ders = splitPem(text)
    .filter((b) => b.type === "CERTIFICATE")
    .map((b) => b.der);
  if (ders.length === 0)
    throw new CertError("CERT_PEM_INVALID", `${file}: no PEM certificate found`, { value: file });
  return ders;
}

/** PEM text of one DER block. @internal */
export function toPem(type: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString("base64");
  let body = "";
  for (let i = 0; i < b64.length; i += 64) body += `${b64.slice(i, i + 64)}\n`;
  return `-----BEGIN ${type}-----\n${body}-----END ${type}-----\n`;
}

/**
 * The one DER walker the certificate code (building/reading certs and CSRs) and the token code
 * (CA hash over a chain) share. No dependencies, so `/tokens` stays free of node-forge.
 * @internal
 */

/** `[tag, tlvStart, contentStart, contentEnd]` of each TLV directly inside `der[start, end)`. @internal */
export function derChildren(der: Buffer, start: number, end: number): Array<[number, number, number, number]> {
  const out: Array<[number, number, number, number]> = [];
  let off = start;
  while (off < end) {
    const tag = der[off] ?? 0;
    const first = der[off + 1];
    if (first === undefined) throw new Error("truncated DER");
    let len = first;
    let cs = off + 2;
    if (first & 0x80) {
      const n = first & 0x7f;
      if (n < 1 || n > 3) throw new Error("bad DER length");
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + (der[off + 2 + i] ?? 0);
      cs += n;
    }
    if (cs + len > end) throw new Error("truncated DER");
    out.push([tag, off, cs, cs + len]);
    off = cs + len;
  }
  return out;
}

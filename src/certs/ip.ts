/**
 * IP text ↔ bytes, as Go stores IP SANs (IPv4 and IPv4-mapped IPv6 as 4 bytes, IPv6 as 16).
 * @internal
 */
import { isIP } from "node:net";

/** Bytes of an IP address, or undefined when `s` is not an IP (then it is a DNS SAN, like K3s `addSANs`). */
export function ipBytes(s: string): Buffer | undefined {
  const kind = isIP(s);
  if (kind === 4) return Buffer.from(s.split(".").map(Number));
  if (kind !== 6) return undefined;
  let text = s;
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(":");
  if (text.includes(".", lastColon)) {
    tail = text
      .slice(lastColon + 1)
      .split(".")
      .map(Number);
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const [head, rest] = text.split("::") as [string, string | undefined];
  const h = head === "" ? [] : head.split(":");
  const r = rest === undefined || rest === "" ? [] : rest.split(":");
  const groups = rest === undefined ? h : [...h, ...Array(8 - h.length - r.length).fill("0"), ...r];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => {
    out.writeUInt16BE(Number.parseInt(g, 16), i * 2);
  });
  if (tail.length === 4) out.set(tail, 12);
  // IPv4-mapped (::ffff:a.b.c.d) is stored as the 4-byte form, as Go's To4() does.
  if (out.subarray(0, 10).every((b) => b === 0) && out[10] === 0xff && out[11] === 0xff)
    return Buffer.from(out.subarray(12));
  return out;
}

/** Text of 4- or 16-byte IP bytes (IPv6 in RFC 5952 compressed form). */
export function ipText(b: Uint8Array): string {
  if (b.length === 4) return Array.from(b).join(".");
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((b[i] ?? 0) << 8) | (b[i + 1] ?? 0));
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLen).join(":")}`;
}

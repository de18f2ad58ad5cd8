/**
 * IP text ↔ bytes, as Go stores IP SANs (IPv4 and IPv4-mapped IPv6 as 4 bytes, IPv6 as 16).
 * @internal
 */
import { parseGoIPBytes } from "../internal/go/ip.js";

/**
 * Bytes of an IP address, or undefined when `s` is not an IP (then it is a DNS SAN, like K3s
 * `addSANs`, which asks Go's `net.ParseIP`: no zones, no leading zeros). IPv4-mapped IPv6 becomes
 * the 4-byte form, as Go's x509 stores it (`To4()`). Parsed by hand rather than with `node:net`'s
 * `isIP`, whose IPv6 regular expression costs ~5 ms to compile on a process's first call (a cold
 * PKI run always makes one: `::1` is a SAN of every server cert).
 */
export function ipBytes(s: string): Buffer | undefined {
  const b = parseGoIPBytes(s);
  if (b === undefined) return undefined;
  if (b.length === 4) return Buffer.from(b);
  if (b[10] === 0xff && b[11] === 0xff && b.slice(0, 10).every((x) => x === 0)) return Buffer.from(b.slice(12));
  return Buffer.from(b);
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

import ipaddr from "ipaddr.js";
import { parseGoIPv6Bytes } from "./ip.js";

/**
 * Go `net` address semantics on top of ipaddr.js: K3s parses addresses with `net.ParseIP` and
 * `net.ParseCIDR`, which are stricter than ipaddr.js (no zone IDs, no leading zeros in IPv4 parts,
 * at most four hex digits per IPv6 group). Used by /dns, /proxy and /rootless.
 * @internal
 */
export type GoIP = ipaddr.IPv4 | ipaddr.IPv6;

/** Go `net.ParseIP`: the address, or `undefined` when Go would return nil. @internal */
export function parseGoIP(text: string): GoIP | undefined {
  if (text.length === 0 || text.length > 64) return undefined;
  if (!text.includes(":")) {
    return ipaddr.IPv4.isValidFourPartDecimal(text) ? ipaddr.IPv4.parse(text) : undefined;
  }
  const bytes = parseGoIPv6Bytes(text);
  return bytes ? (ipaddr.fromByteArray(bytes) as ipaddr.IPv6) : undefined;
}

/** Go's `ip.To4()`: the IPv4 form of an IPv4 or IPv4-mapped IPv6 address. @internal */
export function goTo4(ip: GoIP): ipaddr.IPv4 | undefined {
  if (ip.kind() === "ipv4") return ip as ipaddr.IPv4;
  const v6 = ip as ipaddr.IPv6;
  return v6.isIPv4MappedAddress() ? v6.toIPv4Address() : undefined;
}

/** Go's `IP.String()` for an address (IPv4-mapped prints as dotted IPv4, IPv6 per RFC 5952). @internal */
export function goIPString(ip: GoIP): string {
  const v4 = goTo4(ip);
  return v4 ? v4.toString() : (ip as ipaddr.IPv6).toRFC5952String();
}

/** A parsed CIDR in Go's canonical `IPNet.String()` form (host bits cleared). @internal */
export interface GoCIDR {
  /** The network address (host bits cleared). */
  network: GoIP;
  prefix: number;
  /** Family of the network address as Go sees it after `To4()`. */
  family: "ipv4" | "ipv6";
  /** Canonical text, e.g. `10.42.0.0/16`, `2001:cafe:42::/56`. */
  text: string;
  /** True when the input had host bits set (Go's ParseCIDR accepts and clears them). */
  hadHostBits: boolean;
}

/** Go `net.ParseCIDR`, or `undefined` when Go would return an error. @internal */
export function parseGoCIDR(text: string): GoCIDR | undefined {
  const slash = text.indexOf("/");
  if (slash < 0) return undefined;
  const addr = parseGoIP(text.slice(0, slash));
  const bitsText = text.slice(slash + 1);
  if (addr === undefined || !/^[0-9]{1,3}$/.test(bitsText)) return undefined;
  // Go's dtoi accepts leading zeros here ("/016"), so a plain decimal parse matches it.
  const bits = Number(bitsText);
  const isV4Literal = !text.slice(0, slash).includes(":");
  const max = isV4Literal ? 32 : 128;
  if (bits > max) return undefined;
  const bytes = addr.toByteArray();
  const masked = bytes.map((b, i) => {
    const bitStart = i * 8;
    if (bits >= bitStart + 8) return b;
    if (bits <= bitStart) return 0;
    return b & (0xff << (8 - (bits - bitStart))) & 0xff;
  });
  const hadHostBits = masked.some((b, i) => b !== bytes[i]);
  const network = ipaddr.fromByteArray(masked) as GoIP;
  const v4 = goTo4(network);
  // Go prints an IPv4-mapped network as IPv4 with the last 32 bits of its 128-bit mask.
  const shown = v4 ? `${v4.toString()}/${isV4Literal ? bits : bits - 96}` : `${(network as ipaddr.IPv6).toRFC5952String()}/${bits}`;
  return { network, prefix: bits, family: isV4Literal ? "ipv4" : "ipv6", text: shown, hadHostBits };
}


/**
 * Go `net.ParseIP` / `net.ParseCIDR` / `IP.String` on plain byte arrays, with no dependency: the
 * root entry's `planNode` uses these, so importing `k3s-node-kit` loads no address library.
 * `net.ts` builds ipaddr.js objects on top of the same parsers for the modules that want them.
 * @internal
 */
const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;
const V4 = /^(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})$/;

/** Go's IPv4 literal: four decimal parts 0–255, no leading zeros. @internal */
export function parseGoIPv4Bytes(text: string): number[] | undefined {
  const m = V4.exec(text);
  if (!m) return undefined;
  const b = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
  return b.every((x) => x <= 255) ? b : undefined;
}

/**
 * Go's IPv6 parser, because ipaddr.js reads `::1.2.3.4` as IPv4-mapped and accepts zones and long
 * groups; Go reads it as `::102:304` and refuses the others.
 * @internal
 */
export function parseGoIPv6Bytes(text: string): number[] | undefined {
  const dbl = text.indexOf("::");
  if (dbl !== text.lastIndexOf("::")) return undefined;
  const headText = dbl >= 0 ? text.slice(0, dbl) : text;
  const tailText = dbl >= 0 ? text.slice(dbl + 2) : "";
  const head = headText === "" ? [] : headText.split(":");
  const tail = tailText === "" ? [] : tailText.split(":");
  if (dbl < 0 && headText === "") return undefined;
  const toGroups = (parts: string[], holdsLast: boolean): number[] | undefined => {
    const out: number[] = [];
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i] as string;
      if (p.includes(".")) {
        // Dotted IPv4 only as the very last part of the address.
        const b = holdsLast && i === parts.length - 1 ? parseGoIPv4Bytes(p) : undefined;
        if (!b) return undefined;
        out.push(((b[0] as number) << 8) | (b[1] as number), ((b[2] as number) << 8) | (b[3] as number));
      } else if (HEX_GROUP.test(p)) out.push(Number.parseInt(p, 16));
      else return undefined;
    }
    return out;
  };
  const h = toGroups(head, dbl < 0);
  const t = toGroups(tail, true);
  if (!h || !t) return undefined;
  const total = h.length + t.length;
  // Without "::" exactly eight groups; with it, "::" must stand for at least one zero group.
  if (dbl < 0 ? total !== 8 : total > 7) return undefined;
  const groups = [...h, ...new Array<number>(8 - total).fill(0), ...t];
  return groups.flatMap((g) => [g >> 8, g & 0xff]);
}


/** Go `net.ParseIP` as bytes: 4 for an IPv4 literal, 16 for IPv6; undefined when Go returns nil. @internal */
export function parseGoIPBytes(text: string): number[] | undefined {
  if (typeof text !== "string" || text.length === 0 || text.length > 64) return undefined;
  return text.includes(":") ? parseGoIPv6Bytes(text) : parseGoIPv4Bytes(text);
}

/** Go `net.ParseCIDR` as bytes: the network (host bits cleared) and the prefix; undefined on error. @internal */
export function parseGoCIDRBytes(text: string): { network: number[]; prefix: number } | undefined {
  if (typeof text !== "string") return undefined;
  const slash = text.indexOf("/");
  if (slash < 0) return undefined;
  const bytes = parseGoIPBytes(text.slice(0, slash));
  const bitsText = text.slice(slash + 1);
  if (!bytes || !/^[0-9]{1,3}$/.test(bitsText)) return undefined;
  const prefix = Number(bitsText);
  if (prefix > bytes.length * 8) return undefined;
  const network = bytes.map((b, i) => (prefix >= i * 8 + 8 ? b : prefix <= i * 8 ? 0 : b & (0xff << (8 - (prefix - i * 8))) & 0xff));
  return { network, prefix };
}

/** Go's `IP.String()` for 4 or 16 bytes: IPv4 (and IPv4-mapped) dotted, IPv6 with the longest zero run as "::". @internal */
export function goIPBytesString(bytes: readonly number[]): string {
  const mapped = bytes.length === 16 && bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (bytes.length === 4 || mapped) return bytes.slice(-4).join(".");
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  return best < 0 ? hex.join(":") : `${hex.slice(0, best).join(":")}::${hex.slice(best + bestLen).join(":")}`;
}

import ipaddr from "ipaddr.js";
import { goTo4, parseGoIP } from "../internal/go/net.js";
import { checkArg, is } from "../internal/options.js";
import { checkFollowOptions, dnsFail } from "./options.js";

/**
 * Why a nameserver was refused. `invalid` means Go's `net.ParseIP` would not parse it (zone IDs,
 * leading zeros, CIDRs, names, lists, empty). The others are the non-global-unicast classes.
 */
export type NameserverRejection =
  | "invalid"
  | "unspecified"
  | "loopback"
  | "multicast"
  | "link-local"
  | "broadcast";

import type { Follow } from "../internal/follow.js";

export type { Follow };

export interface NameserverOptions {
  /**
   * `"page"` (default): every link-local address is refused, as the documentation page says.
   * `"source"`: K3s's code accepts the cloud instance-metadata address `169.254.169.254`
   * (k3s-behaviours §3, §16.3).
   */
  follow?: Follow;
}

const IMDS = "169.254.169.254";
const V4 = {
  loopback: ipaddr.parseCIDR("127.0.0.0/8"),
  multicast: ipaddr.parseCIDR("224.0.0.0/4"),
  linkLocal: ipaddr.parseCIDR("169.254.0.0/16"),
};
const V6 = {
  multicast: ipaddr.parseCIDR("ff00::/8"),
  linkLocal: ipaddr.parseCIDR("fe80::/10"),
};

/**
 * Classifies a nameserver the way K3s does (`isValidNameserver`: Go `net.ParseIP` then
 * `IsGlobalUnicast`, k3s-behaviours §3). Returns `undefined` when it is viable, else the reason.
 *
 * @example
 * ```ts
 * nameserverRejection("127.0.0.53"); // "loopback"
 * nameserverRejection("10.0.0.2");   // undefined (private ranges are fine)
 * ```
 * @throws {DnsError} `DNS_OPTION_INVALID` when `address` is not a string or `options` is malformed;
 *   any string is classified.
 */
export function nameserverRejection(
  address: string,
  options?: NameserverOptions,
): NameserverRejection | undefined {
  checkArg(address, is.text, "address", dnsFail, "nameserverRejection");
  return classify(address, checkFollowOptions(options, "nameserverRejection").follow ?? "page");
}

/** The classification itself, on checked input. @internal */
export function classify(address: string, follow: "page" | "source"): NameserverRejection | undefined {
  const ip = parseGoIP(address);
  if (ip === undefined) return "invalid";
  const v4 = goTo4(ip);
  if (v4) {
    const s = v4.toString();
    if (s === "0.0.0.0") return "unspecified";
    if (s === "255.255.255.255") return "broadcast";
    if (v4.match(V4.loopback)) return "loopback";
    if (v4.match(V4.multicast)) return "multicast";
    if (v4.match(V4.linkLocal)) {
      // The IMDS exception exists only in the source (upstream fb222e9a6).
      if (s === IMDS && follow === "source") return undefined;
      return "link-local";
    }
    return undefined;
  }
  const v6 = ip as ipaddr.IPv6;
  const parts = v6.toNormalizedString();
  if (parts === "0:0:0:0:0:0:0:0") return "unspecified";
  if (parts === "0:0:0:0:0:0:0:1") return "loopback";
  if (v6.match(V6.multicast)) return "multicast";
  if (v6.match(V6.linkLocal)) return "link-local";
  return undefined;
}

/**
 * True when K3s would accept `address` as a nameserver in a host resolv.conf (k3s-behaviours §3).
 *
 * @example
 * ```ts
 * isViableNameserver("8.8.8.8");                              // true
 * isViableNameserver("fe80::1%eth0");                         // false
 * isViableNameserver("169.254.169.254");                      // false (page default)
 * isViableNameserver("169.254.169.254", { follow: "source" }); // true
 * ```
 * @throws {DnsError} `DNS_OPTION_INVALID` when `address` is not a string or `options` is malformed.
 */
export function isViableNameserver(address: string, options?: NameserverOptions): boolean {
  checkArg(address, is.text, "address", dnsFail, "isViableNameserver");
  return classify(address, checkFollowOptions(options, "isViableNameserver").follow ?? "page") === undefined;
}

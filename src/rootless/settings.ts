import type { Follow } from "../internal/follow.js";
import { checkOptions, describe, is, isPlainRecord } from "../internal/options.js";
import { followCheck, rootlessFail } from "./options.js";
import { parseGoCIDR } from "../internal/go/net.js";
import { RootlessError } from "./errors.js";
import { goParseBool, goParseInt } from "../internal/go/strconv.js";

/** The rootlesskit/slirp4netns settings K3s derives from `K3S_ROOTLESS_*` (k3s-behaviours §10). */
export interface RootlessSettings {
  /** Effective MTU of the slirp4netns interface. */
  mtu: number;
  /** Network of the slirp4netns interface, canonical form. */
  cidr: string;
  enableIPv6: boolean;
  portDriver: "builtin" | "slirp4netns";
  disableHostLoopback: boolean;
  /** Directories copied up into the child's mount namespace. */
  copyUpDirs: string[];
  /** Network interface name inside the namespace (always `tap0` in K3s). */
  ifname: "tap0";
}

/** A warning K3s logs while reading the variables (its exact text). */
export interface RootlessWarning {
  variable: string;
  value: string;
  message: string;
}

export interface RootlessSettingsOptions {
  /**
   * `--node-ip` flag values, one per flag (K3s does not split them on commas here). IPv6 is on by
   * default only when they hold both an IPv4 and an IPv6 address. Default: none (IPv6 off).
   */
  nodeIPs?: readonly string[];
  /**
   * `"page"` (default): MTU default 1500, as the page's table says.
   * `"source"`: MTU default 65520 (K3s passes 0 and slirp4netns substitutes 65520).
   */
  follow?: Follow;
}

export interface RootlessSettingsResult {
  settings: RootlessSettings;
  warnings: RootlessWarning[];
}

/** K3s's default slirp4netns network. */
export const DEFAULT_ROOTLESS_CIDR = "10.41.0.0/16";
/** The directories K3s always copies up. */
export const DEFAULT_COPY_UP_DIRS: readonly string[] = Object.freeze([
  "/etc",
  "/var/run",
  "/run",
  "/var/lib",
]);
/** MTU defaults: the page's table, and what the source ends up with. */
export const PAGE_ROOTLESS_MTU = 1500;
/** What K3s ends up with (slirp4netns default for MTU 0). */
export const SOURCE_ROOTLESS_MTU = 65520;

/**
 * k8s `ParseIPSloppy`: Go's ParseIP, but IPv4 parts may have leading zeros. Returns the family.
 */
function ipFamilySloppy(text: string): 4 | 6 | undefined {
  if (/^[0-9]+(\.[0-9]+){3}$/.test(text)) {
    return text.split(".").every((p) => Number(p) <= 255) ? 4 : undefined;
  }
  const parsed = parseGoCIDR(`${text}/128`);
  if (!parsed) return undefined;
  return parsed.text.includes(":") ? 6 : 4;
}

/**
 * Reads the `K3S_ROOTLESS_*` variables as K3s's rootless parent does (`createParentOpt`,
 * k3s-behaviours §10), in K3s's order: MTU (`ParseInt`), host loopback and IPv6 (`ParseBool`),
 * CIDR (`ParseCIDR`, no host bits), port driver (lower-cased), copy-up dirs. A value K3s cannot parse
 * keeps the default and yields K3s's warning text; what K3s treats as fatal throws.
 *
 * @example
 * ```ts
 * rootlessSettingsFromEnv({ K3S_ROOTLESS_MTU: "abc" }).warnings[0].message;
 * // "Failed to parse rootless mtu value; using default"
 * rootlessSettingsFromEnv({}, { nodeIPs: ["10.0.0.5", "fd00::5"] }).settings.enableIPv6; // true
 * ```
 * @throws {RootlessError} `ROOTLESS_NODE_IP_INVALID` (a node IP K3s cannot parse, including a
 *   comma list in one flag), `ROOTLESS_CIDR_INVALID`, `ROOTLESS_CIDR_HOST_BITS`,
 *   `ROOTLESS_MTU_NEGATIVE`, `ROOTLESS_OPTION_INVALID`.
 */
export function rootlessSettingsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  options?: RootlessSettingsOptions,
): RootlessSettingsResult {
  const o = checkOptions<RootlessSettingsOptions>(
    options,
    { follow: followCheck, nodeIPs: is.any },
    rootlessFail,
    "rootlessSettingsFromEnv",
  );
  const follow = o.follow ?? "page";
  if (!isPlainRecord(env)) {
    throw new RootlessError("ROOTLESS_OPTION_INVALID", "env must be an object", { value: describe(env) });
  }
  const nodeIPs = o.nodeIPs ?? [];
  if (!Array.isArray(nodeIPs))
    throw new RootlessError("ROOTLESS_OPTION_INVALID", 'option "nodeIPs" must be a list', { value: nodeIPs });
  // IsDualStackIPStrings: every entry must parse, then both families present.
  const families = new Set<number>();
  for (const ip of nodeIPs) {
    const fam = typeof ip === "string" ? ipFamilySloppy(ip) : undefined;
    if (!fam) {
      throw new RootlessError(
        "ROOTLESS_NODE_IP_INVALID",
        `failed to parse IP ${JSON.stringify(ip)} (K3s checks each --node-ip value whole; use one flag per address)`,
        {
          value: ip,
        },
      );
    }
    families.add(fam);
  }
  const get = (k: string) => {
    const v = env[k];
    return typeof v === "string" && v !== "" ? v : undefined;
  };
  const warnings: RootlessWarning[] = [];

  let mtu = follow === "page" ? PAGE_ROOTLESS_MTU : SOURCE_ROOTLESS_MTU;
  let mtuNegative: bigint | undefined;
  const mtuText = get("K3S_ROOTLESS_MTU");
  if (mtuText !== undefined) {
    const v = goParseInt(mtuText);
    if (v === undefined)
      warnings.push({
        variable: "K3S_ROOTLESS_MTU",
        value: mtuText,
        message: "Failed to parse rootless mtu value; using default",
      });
    else if (v < 0n) mtuNegative = v;
    else if (v > 0n) mtu = Number(v);
    // 0 means "driver default": 65520 for slirp4netns.
    else mtu = SOURCE_ROOTLESS_MTU;
  }

  let disableHostLoopback = true;
  const loopText = get("K3S_ROOTLESS_DISABLE_HOST_LOOPBACK");
  if (loopText !== undefined) {
    const v = goParseBool(loopText);
    if (v === undefined) {
      warnings.push({
        variable: "K3S_ROOTLESS_DISABLE_HOST_LOOPBACK",
        value: loopText,
        message: "Failed to parse rootless disable-host-loopback value; using default",
      });
    } else disableHostLoopback = v;
  }

  let enableIPv6 = families.has(4) && families.has(6);
  const v6Text = get("K3S_ROOTLESS_ENABLE_IPV6");
  if (v6Text !== undefined) {
    const v = goParseBool(v6Text);
    if (v === undefined)
      warnings.push({
        variable: "K3S_ROOTLESS_ENABLE_IPV6",
        value: v6Text,
        message: "Failed to parse rootless enable-ipv6 value; using default",
      });
    else enableIPv6 = v;
  }

  const cidrText = get("K3S_ROOTLESS_CIDR") ?? DEFAULT_ROOTLESS_CIDR;
  const cidr = parseGoCIDR(cidrText);
  if (!cidr)
    throw new RootlessError("ROOTLESS_CIDR_INVALID", `invalid CIDR address: ${cidrText}`, {
      value: cidrText,
    });
  if (cidr.hadHostBits) {
    throw new RootlessError(
      "ROOTLESS_CIDR_HOST_BITS",
      "host identifier bits must not be set in CIDR prefix",
      { value: cidrText },
    );
  }
  // rootlesskit's slirp4netns driver refuses a negative MTU after the CIDR was accepted.
  if (mtuNegative !== undefined)
    throw new RootlessError("ROOTLESS_MTU_NEGATIVE", `got negative mtu: ${mtuNegative}`, { value: mtuText });

  const driverText = (env.K3S_ROOTLESS_PORT_DRIVER ?? "").toLowerCase();
  let portDriver: RootlessSettings["portDriver"] = "builtin";
  if (driverText === "slirp4netns") portDriver = "slirp4netns";
  else if (driverText !== "" && driverText !== "builtin") {
    warnings.push({
      variable: "K3S_ROOTLESS_PORT_DRIVER",
      value: env.K3S_ROOTLESS_PORT_DRIVER ?? "",
      message: `Unsupported port driver ${driverText}, using default builtin`,
    });
  }

  const copyUpDirs = [...DEFAULT_COPY_UP_DIRS];
  const copyText = get("K3S_ROOTLESS_COPYUPDIRS");
  if (copyText !== undefined) copyUpDirs.push(...copyText.split(","));

  return {
    settings: {
      mtu,
      cidr: cidr.text,
      enableIPv6,
      portDriver,
      disableHostLoopback,
      copyUpDirs,
      ifname: "tap0",
    },
    warnings,
  };
}

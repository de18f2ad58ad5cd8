import { DnsError } from "./errors.js";
import { classify, type Follow, type NameserverRejection } from "./nameserver.js";
import { checkFollowOptions, checkResolvText } from "./options.js";

/** A `nameserver` line as K3s matches it. */
export interface ResolvConfNameserver {
  /** 1-based line number. */
  line: number;
  /** The captured address text (may be empty: `nameserver   `). */
  address: string;
}

/** What {@link parseResolvConf} found. */
export interface ParsedResolvConf {
  nameservers: ResolvConfNameserver[];
}

/** A nameserver that made the file unusable. */
export interface RejectedNameserver extends ResolvConfNameserver {
  reason: NameserverRejection;
}

/** Why a whole file is not viable. */
export type ResolvConfProblem = "no-nameserver" | "rejected-nameserver" | "line-too-long";

/** Result of {@link checkResolvConf}. */
export interface ResolvConfCheck {
  /** True when K3s would hand this file to the kubelet. */
  viable: boolean;
  /** Every matched nameserver, in file order. */
  nameservers: ResolvConfNameserver[];
  /** The matched nameservers that fail the check (any one makes the file unusable). */
  rejected: RejectedNameserver[];
  /** Set when `viable` is false. */
  problem?: ResolvConfProblem;
}

export interface ResolvConfCheckOptions {
  /** See {@link NameserverOptions.follow}. Default `"page"`. */
  follow?: Follow;
}

// Go's bufio.Scanner gives up on a line that does not fit its 64 KiB buffer.
const MAX_LINE_BYTES = 64 * 1024;
// Go RE2 `\s` is ASCII only: tab, newline, form feed, carriage return, space.
const NAMESERVER_LINE = /^nameserver[\t\n\f\r ]+([^\t\n\f\r ]*)/;

function byteLength(text: string, latin1: boolean): number {
  return latin1 ? text.length : Buffer.byteLength(text, "utf8");
}

/**
 * Finds the `nameserver` lines exactly as K3s does (`isValidResolvConf`, k3s-behaviours §3): lines
 * split on `\n` with one trailing `\r` dropped, matched case-sensitively from column 0 with
 * `^nameserver\s+(\S*)`. Indented, commented and uppercase lines are ignored; trailing text after the
 * address is ignored. Bytes are taken as Latin-1 when a `Uint8Array` is given, as K3s reads bytes.
 *
 * @example
 * ```ts
 * parseResolvConf("nameserver\t1.1.1.1 # c\n").nameservers; // [{ line: 1, address: "1.1.1.1" }]
 * ```
 * @throws {DnsError} `RESOLV_CONF_LINE_TOO_LONG` when a line is 64 KiB or longer (Go's scanner error);
 *   `DNS_OPTION_INVALID` when `text` is neither a string nor bytes.
 */
export function parseResolvConf(text: string | Uint8Array): ParsedResolvConf {
  return parseChecked(checkResolvText(text, "parseResolvConf"));
}

function parseChecked(text: string | Uint8Array): ParsedResolvConf {
  const latin1 = typeof text !== "string";
  const body =
    typeof text === "string"
      ? text
      : Buffer.from(text.buffer, text.byteOffset, text.byteLength).toString("latin1");
  const nameservers: ResolvConfNameserver[] = [];
  const lines = body.split("\n");
  // A trailing newline does not start another line.
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i] as string;
    if (byteLength(line, latin1) >= MAX_LINE_BYTES) {
      throw new DnsError("RESOLV_CONF_LINE_TOO_LONG", `resolv.conf line ${i + 1} is longer than 64 KiB`, {
        value: i + 1,
      });
    }
    if (line.endsWith("\r")) line = line.slice(0, -1);
    const m = NAMESERVER_LINE.exec(line);
    if (m) nameservers.push({ line: i + 1, address: m[1] ?? "" });
  }
  return { nameservers };
}

/**
 * Decides whether K3s would use this resolv.conf (k3s-behaviours §3): at least one `nameserver` line,
 * and every one of them viable.
 *
 * @example
 * ```ts
 * checkResolvConf("nameserver 127.0.0.53\noptions edns0\n");
 * // { viable: false, problem: "rejected-nameserver",
 * //   rejected: [{ line: 1, address: "127.0.0.53", reason: "loopback" }], ... }
 * ```
 * @throws {DnsError} `DNS_OPTION_INVALID` for an unknown `follow` or a `text` that is neither a
 *   string nor bytes. Malformed text never throws.
 */
export function checkResolvConf(
  text: string | Uint8Array,
  options?: ResolvConfCheckOptions,
): ResolvConfCheck {
  const checked = checkResolvText(text, "checkResolvConf");
  return checkResolvChecked(checked, checkFollowOptions(options, "checkResolvConf").follow ?? "page");
}

/** {@link checkResolvConf} on checked input. @internal */
export function checkResolvChecked(text: string | Uint8Array, follow: Follow): ResolvConfCheck {
  let parsed: ParsedResolvConf;
  try {
    parsed = parseChecked(text);
  } catch (err) {
    if (err instanceof DnsError)
      return { viable: false, nameservers: [], rejected: [], problem: "line-too-long" };
    throw err;
  }
  const rejected: RejectedNameserver[] = [];
  for (const ns of parsed.nameservers) {
    const reason = classify(ns.address, follow);
    if (reason) rejected.push({ ...ns, reason });
  }
  if (parsed.nameservers.length === 0)
    return { viable: false, nameservers: [], rejected, problem: "no-nameserver" };
  if (rejected.length > 0)
    return { viable: false, nameservers: parsed.nameservers, rejected, problem: "rejected-nameserver" };
  return { viable: true, nameservers: parsed.nameservers, rejected };
}

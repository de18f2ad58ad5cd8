import { checkOptions, is, isPlainRecord } from "../internal/options.js";
import { HostError } from "./errors.js";
import { checkText, clip, hostFail } from "./options.js";

/** The annotations kube-router reads on a NetworkPolicy. */
export const NFLOG_LIMIT_ANNOTATION = "kube-router.io/netpol-nflog-limit";
/** Burst annotation. */
export const NFLOG_LIMIT_BURST_ANNOTATION = "kube-router.io/netpol-nflog-limit-burst";
/** kube-router's defaults (and the page's). */
export const DEFAULT_NFLOG_LIMIT = "10/minute";
/** Default burst. */
export const DEFAULT_NFLOG_LIMIT_BURST = "10";

/** kube-router's warning when the annotations are wrong (its klog text). */
export const NFLOG_ANNOTATIONS_WARNING =
  "Network Policy annotations are wrong, default values will be used. Check the docs for more information";

export interface NflogLimit {
  limit: string;
  burst: string;
  /** True when the annotations were present but wrong, so both reverted to the defaults. */
  fellBack: boolean;
  /** kube-router's warning when `fellBack`. */
  warning?: string;
}

const UNITS = ["second", "minute", "hour", "day", "s", "m", "h", "d"];

/** Go `strconv.Atoi` on 64-bit: optional sign, decimal digits, int64 range. */
function isGoInt(s: string): boolean {
  if (!/^[+-]?[0-9]+$/.test(s)) return false;
  const v = BigInt(s);
  return v >= -(2n ** 63n) && v <= 2n ** 63n - 1n;
}

/**
 * kube-router's `areNFlogParamsCorrect` (k3s-behaviours §15): `limit` is `N` or `N/unit` with unit one
 * of `second minute hour day s m h d` (case-sensitive), and `burst` is an integer; integers are Go
 * `Atoi` (signs allowed, so negatives pass).
 *
 * @example
 * ```ts
 * nflogParamsCorrect("5/s", "3");     // true
 * nflogParamsCorrect("5/sec", "3");   // false
 * ```
 * @throws never.
 */
export function nflogParamsCorrect(limit: string, burst: string): boolean {
  checkText(limit, "limit", "nflogParamsCorrect");
  checkText(burst, "burst", "nflogParamsCorrect");
  return paramsCorrect(limit, burst);
}

function paramsCorrect(limit: string, burst: string): boolean {
  const parts = limit.split("/");
  if (parts.length === 1) {
    if (!isGoInt(parts[0] as string)) return false;
  } else if (parts.length === 2) {
    if (!UNITS.includes(parts[1] as string) || !isGoInt(parts[0] as string)) return false;
  } else return false;
  return isGoInt(burst);
}

/**
 * The NFLOG rate limit kube-router applies to a NetworkPolicy (`getIptablesNFlogLimit`,
 * k3s-behaviours §15): the limit annotation (default `10/minute` when absent) and the burst annotation
 * (default `10`); when they are wrong, **both** revert to the defaults with kube-router's warning.
 *
 * @example
 * ```ts
 * parseNflogAnnotations({ "kube-router.io/netpol-nflog-limit": "5/s" }); // { limit: "5/s", burst: "10", fellBack: false }
 * parseNflogAnnotations({ "kube-router.io/netpol-nflog-limit": "5/sec" }).limit; // "10/minute"
 * ```
 * @throws {HostError} `NODE_OPTION_INVALID` when annotations is not an object of strings.
 */
export function parseNflogAnnotations(annotations: Readonly<Record<string, string>> | undefined): NflogLimit {
  const a = annotations ?? {};
  if (!isPlainRecord(a)) {
    throw new HostError("NODE_OPTION_INVALID", "annotations must be an object", { value: clip(annotations) });
  }
  const get = (k: string, d: string) => {
    if (!Object.hasOwn(a, k)) return d;
    const v = a[k];
    if (typeof v !== "string")
      throw new HostError("NODE_OPTION_INVALID", `annotation ${k} must be a string`, { value: clip(k) });
    return v;
  };
  const limit = get(NFLOG_LIMIT_ANNOTATION, DEFAULT_NFLOG_LIMIT);
  const burst = get(NFLOG_LIMIT_BURST_ANNOTATION, DEFAULT_NFLOG_LIMIT_BURST);
  if (paramsCorrect(limit, burst)) return { limit, burst, fellBack: false };
  return {
    limit: DEFAULT_NFLOG_LIMIT,
    burst: DEFAULT_NFLOG_LIMIT_BURST,
    fellBack: true,
    warning: NFLOG_ANNOTATIONS_WARNING,
  };
}

/**
 * kube-router's `safeJoin` for the NFLOG prefix: `<ns>/<name>` kept under 48 characters by cutting
 * the name, else the namespace, else both to 23.
 *
 * @example
 * ```ts
 * nflogPolicyName("default", "deny-all"); // "default/deny-all"
 * ```
 * @throws never.
 */
export function nflogPolicyName(namespace: string, name: string): string {
  const ns = checkText(namespace, "namespace", "nflogPolicyName");
  const n = checkText(name, "name", "nflogPolicyName");
  return policyName(ns, n);
}

function policyName(ns: string, n: string): string {
  if (ns.length + n.length < 48) return `${ns}/${n}`;
  if (ns.length < 24) return `${ns}/${n.slice(0, 47 - ns.length)}`;
  if (n.length < 24) return `${ns.slice(0, 47 - n.length)}/${n}`;
  return `${ns.slice(0, 23)}/${n.slice(0, 23)}`;
}

/**
 * The iptables rule kube-router appends to a policy chain to log dropped packets to NFLOG group 100
 * (k3s-behaviours §15), with the limit from {@link parseNflogAnnotations}.
 *
 * @example
 * ```ts
 * nflogRule({ chain: "KUBE-NWPLCY-X", namespace: "default", name: "deny", annotations: {} });
 * // '-A KUBE-NWPLCY-X -m comment --comment "rule to log dropped traffic" -m limit --limit 10/minute --limit-burst 10 -m mark ! --mark 0x10000/0x10000 -j NFLOG --nflog-group 100 --nflog-prefix "DROP by policy default/deny"'
 * ```
 * @throws {HostError} `NODE_OPTION_INVALID`.
 */
export function nflogRule(input: {
  chain: string;
  namespace: string;
  name: string;
  annotations?: Readonly<Record<string, string>>;
}): string {
  const o = checkOptions<{ chain: string; namespace: string; name: string; annotations?: Readonly<Record<string, string>> }>(
    input ?? {},
    { chain: is.nonEmptyString, namespace: is.text, name: is.text, annotations: is.any },
    hostFail,
    "nflogRule",
  );
  for (const k of ["chain", "namespace", "name"] as const) {
    if (o[k] === undefined) throw hostFail(`nflogRule: option "${k}" is required`, { option: k });
  }
  const { limit, burst } = parseNflogAnnotations(o.annotations);
  return `-A ${o.chain} -m comment --comment "rule to log dropped traffic" -m limit --limit ${limit} --limit-burst ${burst} -m mark ! --mark 0x10000/0x10000 -j NFLOG --nflog-group 100 --nflog-prefix "DROP by policy ${policyName(o.namespace, o.name)}"`;
}

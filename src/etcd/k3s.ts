import { k3sLayout } from "../layout/index.js";
import { join } from "node:path";
import { readCertFile } from "./cert-file.js";
import { EtcdError } from "./errors.js";
import { type EtcdClient, clientFromChecked } from "./client.js";
import type { EtcdClientOptions } from "./options.js";
import type { EmbeddedEtcdTls } from "./embedded.js";
import { checkClientOptions, checkDataDir } from "./validate.js";
import { type Check, checkOptions, is, isAbortSignal } from "../internal/options.js";

/**
 * Paths of the K3s-managed etcd client credentials under a server data dir
 * (k3s-behaviours §9: `<dd>/server/tls/etcd/{server-ca.crt,client.crt,client.key}`). Pure.
 * @example
 * ```ts
 * k3sEtcdCertPaths("/var/lib/rancher/k3s").ca // ".../server/tls/etcd/server-ca.crt"
 * ```
 */
export function k3sEtcdCertPaths(dataDir: string): { ca: string; cert: string; key: string } {
  return certPaths(checkDataDir(dataDir, "k3sEtcdCertPaths"));
}

function certPaths(dataDir: string): { ca: string; cert: string; key: string } {
  const dir = k3sLayout(dataDir).server.etcdTlsDir;
  return { ca: join(dir, "server-ca.crt"), cert: join(dir, "client.crt"), key: join(dir, "client.key") };
}

/**
 * Options of {@link etcdClientForK3s}: every {@link EtcdClientOptions} field but `tls` (which comes
 * from the data dir), with `endpoints` optional.
 */
export interface K3sEtcdClientOptions extends Omit<EtcdClientOptions, "endpoints" | "tls"> {
  /** Client URLs. Default `["https://127.0.0.1:2379"]` (K3s's embedded etcd on this server). */
  endpoints?: readonly string[];
  /** Aborts reading the cert files (the client itself is closed with `client.close()`). */
  signal?: AbortSignal;
}

const DEFAULT_K3S_ENDPOINTS = ["https://127.0.0.1:2379"] as const;
const WHAT = "etcdClientForK3s";

function badOption(message: string, value: unknown): never {
  throw new EtcdError("ETCD_OPTION_INVALID", `${WHAT}: ${message}`, { value });
}

/** Every option name either call form takes (values are checked later, with createEtcdClient's rules). */
const K3S_OPTION_NAMES: Record<keyof K3sEtcdClientOptions | "tls", Check> = {
  endpoints: is.any,
  tls: is.any,
  signal: is.any,
  auth: is.any,
  deadlineMs: is.any,
  connectTimeoutMs: is.any,
  keepAliveIntervalMs: is.any,
  keepAliveTimeoutMs: is.any,
  healthCheckIntervalMs: is.any,
  endpointCooldownMs: is.any,
  retryBaseMs: is.any,
  retryMaxMs: is.any,
  retry: is.any,
  callDeadline: is.any,
  onEvent: is.any,
};

const optionFail = (message: string, value: unknown) => new EtcdError("ETCD_OPTION_INVALID", message, { value });

/**
 * The options object from either call form, shape-checked: a null-prototype copy (unknown names
 * refused with a did-you-mean, a throwing getter is an option error), `tls` refused, endpoints a
 * non-empty list of strings, signal an AbortSignal. @internal
 */
export function k3sClientOptions(second: unknown, third: unknown): K3sEtcdClientOptions {
  let o: K3sEtcdClientOptions & { tls?: unknown };
  if (Array.isArray(second)) {
    // The earlier positional form: (dataDir, endpoints, options).
    if (third !== undefined && (typeof third !== "object" || third === null || Array.isArray(third)))
      badOption("the third argument must be an options object", typeof third);
    o = checkOptions<K3sEtcdClientOptions>(third, K3S_OPTION_NAMES, optionFail, WHAT);
    if (o.endpoints !== undefined) badOption("endpoints are the second argument; not also an option", "endpoints");
    o.endpoints = [...second] as string[];
  } else if (second === undefined || second === null) {
    if (third !== undefined) badOption("options go in the second argument", "third argument");
    o = Object.create(null) as K3sEtcdClientOptions;
  } else if (typeof second === "object") {
    if (third !== undefined) badOption("with an options object, there is no third argument", "third argument");
    o = checkOptions<K3sEtcdClientOptions>(second, K3S_OPTION_NAMES, optionFail, WHAT);
  } else return badOption("the second argument must be an options object or a list of endpoints", typeof second);
  if (o.tls !== undefined)
    badOption("tls comes from the data dir's server/tls/etcd; use createEtcdClient for other certs", "tls");
  const eps: unknown = o.endpoints;
  if (
    eps !== undefined &&
    (!Array.isArray(eps) || eps.length === 0 || !eps.every((e) => typeof e === "string" && e !== ""))
  )
    badOption("endpoints must be a non-empty list of URL strings", "endpoints");
  if (o.signal !== undefined && !isAbortSignal(o.signal)) badOption("signal must be an AbortSignal", "signal");
  return o;
}

/**
 * A client for a K3s embedded etcd, using the certs K3s keeps in its data dir
 * (`<dd>/server/tls/etcd/{server-ca.crt,client.crt,client.key}`). Default endpoint
 * `https://127.0.0.1:2379` (k3s-behaviours §9). Takes the {@link EtcdClientOptions} of
 * `createEtcdClient` (deadlines, retry, keepalive, `onEvent`...) except `tls`; the earlier form
 * `etcdClientForK3s(dataDir, endpoints, options)` still works.
 * @throws ETCD_OPTION_INVALID for an options shape this function refuses (not an object, `tls`
 *   given, endpoints not a non-empty list of strings, a signal that is not an AbortSignal); the
 *   value names the option.
 * @throws ETCD_OPTION_INVALID from `createEtcdClient` for a bad client option value (e.g. `deadlineMs: -1`).
 * @throws ETCD_CERTS_MISSING when a cert file cannot be read (the path is the error's value).
 * @throws the signal's reason when `signal` aborts while the certs are read.
 * @example
 * ```ts
 * const client = await etcdClientForK3s("/var/lib/rancher/k3s", { endpoints: ["https://10.0.0.5:2379"], deadlineMs: 2000, onEvent: console.log });
 * console.log(await client.memberList());
 * ```
 */
export async function etcdClientForK3s(
  dataDir: string,
  options?: K3sEtcdClientOptions | readonly string[],
  legacyOptions?: Omit<EtcdClientOptions, "endpoints" | "tls">,
): Promise<EtcdClient> {
  const dd = checkDataDir(dataDir, WHAT);
  const { endpoints, signal, ...rest } = k3sClientOptions(options, legacyOptions);
  // Every client option is checked (createEtcdClient's rules) before a file is read.
  const checked = checkClientOptions({ ...rest, endpoints: endpoints ?? DEFAULT_K3S_ENDPOINTS }, WHAT);
  signal?.throwIfAborted();
  const paths = certPaths(dd);
  const [ca, cert, key] = await Promise.all([
    readCertFile(paths.ca, signal),
    readCertFile(paths.cert, signal),
    readCertFile(paths.key, signal),
  ]);
  signal?.throwIfAborted();
  checked.tls = { ca, cert, key };
  return clientFromChecked(checked);
}

/**
 * The cert files a K3s server's embedded etcd runs with (k3s-behaviours §1.2, §9): server and peer
 * certs with their CAs, and the client cert for the SDK's own client. Pure; pass it as
 * `startEmbeddedEtcd({ tls })` after `ensureServerCertificates({ dataDir })` wrote them.
 * @example
 * ```ts
 * const etcd = await startEmbeddedEtcd({ dataDir: "/tmp/etcd", name: "n1", clientPort: 2379, peerPort: 2380, tls: k3sEmbeddedEtcdTls("/var/lib/rancher/k3s") });
 * ```
 */
export function k3sEmbeddedEtcdTls(dataDir: string): EmbeddedEtcdTls {
  dataDir = checkDataDir(dataDir, "k3sEmbeddedEtcdTls");
  const dir = k3sLayout(dataDir).server.etcdTlsDir;
  return {
    caFile: join(dir, "server-ca.crt"),
    certFile: join(dir, "server-client.crt"),
    keyFile: join(dir, "server-client.key"),
    peerCaFile: join(dir, "peer-ca.crt"),
    peerCertFile: join(dir, "peer-server-client.crt"),
    peerKeyFile: join(dir, "peer-server-client.key"),
    clientCertFile: join(dir, "client.crt"),
    clientKeyFile: join(dir, "client.key"),
  };
}

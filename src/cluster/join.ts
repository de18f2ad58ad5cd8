/**
 * Token-only server join, as K3s does it between servers: a running server serves `/cacerts` (no auth) and
 * `/v1-k3s/server-bootstrap` (Basic auth, role `k3s:server` from its passwd file) over HTTPS with its serving
 * cert; a joining server fetches the CA bundle, checks it against the token's CA hash, fetches the bootstrap
 * data trusting only that CA, and writes the files. Thin I/O (node:https) over the codec and the tokens module.
 */
import { timingSafeEqual } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, request as httpsRequest } from "node:https";
import { join } from "node:path";
import { is } from "../internal/options.js";
import { k3sLayout } from "../layout/index.js";
import { normalizeServerToken, parsePasswd, validateServerCA } from "../tokens/index.js";
import { decodeData, encodeData } from "./codec.js";
import { type EtcdMemberInfo, type EtcdMemberLister, encodeMembers, parseMembers } from "./db-info.js";
import type { BootstrapData } from "./data.js";
import { type BootstrapDiskOptions, type ReconcilePlan, readFromDisk, reconcileWithDisk } from "./disk.js";
import { ClusterError } from "./errors.js";
import { diskSpec, host as hostCheck, listenPort, memberLister, ms, options as checkedOptions, redactUrl, secret, serverUrl } from "./options.js";

/** K3s's supervisor path of the bootstrap data (`"/v1-" + version.Program + "/server-bootstrap"`). */
export const SERVER_BOOTSTRAP_PATH = "/v1-k3s/server-bootstrap";

/** Options of {@link serveJoinEndpoints}. */
export interface JoinServerOptions extends Omit<BootstrapDiskOptions, "signal"> {
  /** Address to listen on, e.g. `127.0.0.11`. Must be in the serving cert's SANs for joiners to verify it. */
  host: string;
  /** Port; 0 picks a free one (see `url`). */
  port: number;
  /** Serving cert and key. Default `<dataDir>/server/tls/serving-kube-apiserver.{crt,key}` (signed by the server CA). */
  certFile?: string;
  keyFile?: string;
  /**
   * The node's etcd client. When given, `GET /db/info` (role `k3s:server`) answers the member list as K3s does,
   * so joining servers find the cluster's client URLs with the token alone ({@link fetchEtcdMembers}).
   */
  etcd?: EtcdMemberLister;
}

/** K3s's route for the etcd member list joining servers read (`handlers.DBInfo`, role `k3s:server`). */
export const DB_INFO_PATH = "/db/info";

/** A running join endpoint server. */
export interface JoinServer {
  /** `https://<host>:<port>` to give joiners. */
  readonly url: string;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, type: string, body: string | Uint8Array): void {
  res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body) });
  res.end(body);
}

const sameText = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Basic credentials longer than this are refused unread (a token is at most 64 KiB). */
const MAX_AUTH_HEADER = 128 * 1024;

/**
 * K3s's role check for server endpoints (`auth.HasRole(…, "k3s:server")`), against the passwd file read on every
 * request (so a rotated token takes effect at once). Basic credentials whose user row has the password and the
 * `k3s:server` group pass; anything else — no credentials, a wrong password, the `node` user (agent token), a
 * Bearer bootstrap token — is 403 `forbidden`, as K3s answers.
 */
async function authorizedAsServer(req: IncomingMessage, passwdFile: string): Promise<boolean> {
  const header = req.headers.authorization ?? "";
  if (header.length > MAX_AUTH_HEADER) return false;
  const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header);
  if (!m) return false;
  const decoded = Buffer.from(m[1] as string, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return false;
  const user = decoded.slice(0, colon);
  const pass = decoded.slice(colon + 1);
  const rows = parsePasswd(await readFile(passwdFile, "utf8"), passwdFile);
  const row = rows.find((r) => r.name === user);
  return row !== undefined && sameText(row.password, pass) && row.groups.includes("k3s:server");
}

/**
 * Serves K3s's server-join endpoints from a data dir over HTTPS: `GET /cacerts` (the `server-ca.crt` bytes,
 * `text/plain`, no auth), `GET /ping` (`pong`) and `GET /v1-k3s/server-bootstrap` (the bootstrap data as K3s's
 * `ReadFromDisk` JSON, only for a request authenticated as role `k3s:server`). Everything else is 404. A request
 * that fails inside (a file gone) is answered 500; nothing a client sends can throw in the host process.
 * @example
 * ```ts
 * const srv = await serveJoinEndpoints({ dataDir, host: "10.0.0.11", port: 6443 });
 * // on another server: await joinServerFiles({ dataDir, server: srv.url, token });
 * await srv.close();
 * ```
 * @throws ClusterError `CLUSTER_OPTION_INVALID`, `CLUSTER_BOOTSTRAP_READ` (serving cert or key unreadable),
 * `CLUSTER_JOIN_LISTEN_FAILED` (address in use, not local, bad cert/key pair)
 */
export async function serveJoinEndpoints(options: JoinServerOptions): Promise<JoinServer> {
  const o = checkedOptions<JoinServerOptions>(
    options,
    { ...diskSpec, host: hostCheck, port: listenPort, certFile: is.absolutePath, keyFile: is.absolutePath, etcd: memberLister },
    "serveJoinEndpoints",
    ["dataDir", "host", "port"],
  );
  const layout = k3sLayout(o.dataDir).server;
  const certFile = o.certFile ?? join(layout.tlsDir, "serving-kube-apiserver.crt");
  const keyFile = o.keyFile ?? join(layout.tlsDir, "serving-kube-apiserver.key");
  const caFile = join(layout.tlsDir, "server-ca.crt");
  const read = async (p: string) => {
    try {
      return await readFile(p);
    } catch (cause) {
      throw new ClusterError("CLUSTER_BOOTSTRAP_READ", `cannot read ${p}`, { value: p, cause });
    }
  };
  const [cert, key] = await Promise.all([read(certFile), read(keyFile)]);
  const listenFailed = (cause: unknown) =>
    new ClusterError("CLUSTER_JOIN_LISTEN_FAILED", `cannot serve the join endpoints on ${o.host}:${o.port}: ${(cause as Error)?.message ?? cause}`, {
      value: `${o.host}:${o.port}`,
      cause,
    });
  const disk: BootstrapDiskOptions = { dataDir: o.dataDir, ...(o.secretsEncryption ? { secretsEncryption: true } : {}) };
  const etcd = o.etcd;
  let srv: ReturnType<typeof createServer>;
  try {
    srv = createServer({ cert, key }, (req, res) => {
      const path = (req.url ?? "/").split("?")[0];
      void (async () => {
        if (req.method !== "GET") return send(res, 405, "text/plain", "method not allowed");
        if (path === "/cacerts") return send(res, 200, "text/plain", await readFile(caFile));
        if (path === "/ping") return send(res, 200, "text/plain", "pong");
        if (path === SERVER_BOOTSTRAP_PATH) {
          if (!(await authorizedAsServer(req, layout.passwdFile))) return send(res, 403, "text/plain", "forbidden");
          return send(res, 200, "application/json", encodeData(await readFromDisk(disk)));
        }
        if (path === DB_INFO_PATH && etcd) {
          if (!(await authorizedAsServer(req, layout.passwdFile))) return send(res, 403, "text/plain", "forbidden");
          // K3s gives the member list 2 s; when etcd cannot answer, the joiner is told so rather than kept waiting.
          const members = await etcd.memberList({ deadlineMs: 2000 }).catch(() => undefined);
          if (!members) return send(res, 503, "text/plain", "etcd member list unavailable");
          return send(res, 200, "application/json", encodeMembers(members));
        }
        return send(res, 404, "text/plain", "404 page not found");
      })().catch(() => {
        if (!res.headersSent) send(res, 500, "text/plain", "internal error");
        else res.destroy();
      });
    });
  } catch (cause) {
    // A cert and key that do not parse or do not match.
    throw listenFailed(cause);
  }
  // A client that drops mid-handshake or mid-request must not surface as an 'error' nobody listens to.
  srv.on("tlsClientError", () => undefined);
  srv.on("clientError", (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    srv.once("error", (e) => reject(listenFailed(e)));
    srv.listen(o.port, o.host, () => {
      srv.removeAllListeners("error");
      srv.on("error", () => undefined);
      resolve();
    });
  });
  const port = (srv.address() as { port: number }).port;
  const shownHost = o.host.includes(":") ? `[${o.host}]` : o.host;
  return {
    url: `https://${shownHost}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        srv.close(() => resolve());
        srv.closeAllConnections();
      }),
  };
}

interface Fetched {
  status: number;
  body: Buffer;
}

/** Bootstrap data is a few dozen kB; an answer past this is refused rather than buffered. */
const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

class TooLarge extends Error {}

/** One GET with a hard deadline (the whole exchange, not idle time), a body limit and the caller's signal. */
function get(
  url: URL,
  tls: { ca?: Buffer; insecure?: boolean },
  headers: Record<string, string>,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      {
        method: "GET",
        headers,
        ...(tls.ca ? { ca: tls.ca } : {}),
        rejectUnauthorized: tls.insecure !== true,
        ...(signal ? { signal } : {}),
        // IP URLs: no SNI, but the certificate is still checked against the IP SAN.
        ...(url.hostname.match(/^[0-9.]+$|^\[/) ? { servername: "" } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          size += c.length;
          if (size > MAX_RESPONSE_BYTES) req.destroy(new TooLarge(`answer larger than ${MAX_RESPONSE_BYTES} bytes`));
          else chunks.push(c);
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on("error", reject);
      },
    );
    const timer = setTimeout(() => req.destroy(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    const done = () => clearTimeout(timer);
    req.on("close", done);
    req.on("error", (e) => {
      done();
      reject(e);
    });
    req.end();
  });
}

/** What {@link fetchServerBootstrap} returns. */
export interface FetchedBootstrap {
  data: BootstrapData;
  /** The server's CA bundle as served at `/cacerts`. */
  caBundle: Buffer;
  /** True when the token carried a CA hash and it matched; false when it had none (K3s accepts with a warning). */
  caVerified: boolean;
  warning?: string;
}

/** Options of {@link fetchServerBootstrap}. */
export interface FetchServerBootstrapOptions {
  /** The running server, `https://host:port` (credentials in it are never echoed in errors). */
  server: string;
  /** The server token (`K10<hash>::server:<password>` or the bare password). */
  token: string;
  /** Deadline of each HTTPS exchange (connect to last byte). Default 10 s for `/cacerts`, 15 s for the data, as K3s. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

const fetchSpec = { server: serverUrl, token: secret, timeoutMs: ms, signal: is.signal } as const;

/**
 * Fetches a running server's bootstrap data with only its URL and the server token, as a joining K3s server
 * does (`ParseAndValidateTokenForUser(url, token, "server")` + `httpBootstrap`): `/cacerts` (first with the
 * system trust store; when that TLS fails, without verification), the bundle checked against the token's CA
 * hash, `/cacerts` again trusting only that bundle, then `/v1-k3s/server-bootstrap` with Basic `server:<password>`.
 * Writes nothing. Each exchange has a hard deadline and answers are limited to 16 MiB.
 * @example
 * ```ts
 * const { data } = await fetchServerBootstrap({ server: "https://10.0.0.11:6443", token });
 * ```
 * @throws TokenError `TOKEN_NORMALIZE` (a bootstrap or unparsable token: K3s refuses those for servers),
 * `TOKEN_CA_MISMATCH`; ClusterError `CLUSTER_OPTION_INVALID` (not an https URL), `CLUSTER_JOIN_UNREACHABLE`,
 * `CLUSTER_JOIN_CA_VALIDATION`, `CLUSTER_JOIN_FORBIDDEN` (wrong password or not a server token),
 * `CLUSTER_JOIN_FAILED` (another HTTP status, or an answer over 16 MiB), `CLUSTER_BOOTSTRAP_JSON`; the signal's
 * reason when aborted
 */
export async function fetchServerBootstrap(options: FetchServerBootstrapOptions): Promise<FetchedBootstrap> {
  const what = "fetchServerBootstrap";
  return fetchChecked(checkedOptions<FetchServerBootstrapOptions>(options, fetchSpec, what, ["server", "token"]), what);
}

/** A server whose CA has been checked against the token: what the authenticated GETs need. */
interface TrustedServer {
  base: URL;
  password: string;
  caBundle: Buffer;
  caVerified: boolean;
  warning?: string;
  /** The CA to trust; undefined when the system trust store verified the server. */
  trust?: Buffer;
  options: FetchServerBootstrapOptions;
}

const unreachable = (base: URL, cause: unknown) =>
  new ClusterError("CLUSTER_JOIN_UNREACHABLE", `cannot reach ${base.origin}: ${(cause as Error).message}`, { value: base.origin, cause });
const tooLarge = (base: URL, cause: unknown) =>
  new ClusterError("CLUSTER_JOIN_FAILED", `${base.origin}: ${(cause as Error).message}`, { value: base.origin, cause });
const failed = (base: URL, cause: unknown, signal?: AbortSignal) => {
  if (signal?.aborted) return signal.reason;
  return cause instanceof TooLarge ? tooLarge(base, cause) : unreachable(base, cause);
};
const at = (base: URL, path: string) => new URL(base.pathname.replace(/\/+$/, "") + path, base.origin);

/**
 * K3s's `ParseAndValidateTokenForUser`: `/cacerts` with the system trust store; when that TLS fails, without
 * verification, the bundle checked against the token's CA hash, then `/cacerts` again trusting only that bundle.
 */
async function trustServer(options: FetchServerBootstrapOptions, what: string): Promise<TrustedServer> {
  const shown = redactUrl(options.server);
  let base: URL;
  try {
    base = new URL(options.server);
  } catch {
    // No cause: Node's URL error carries the raw input, credentials included.
    throw new ClusterError("CLUSTER_OPTION_INVALID", `${what}: server ${JSON.stringify(shown)} is not a URL`, {
      value: { option: "server", value: shown },
    });
  }
  if (base.protocol !== "https:")
    throw new ClusterError("CLUSTER_OPTION_INVALID", `only https:// URLs are supported, invalid scheme: ${shown}`, {
      value: { option: "server", value: shown },
    });
  const password = normalizeServerToken(options.token);
  const { signal } = options;
  const caTimeout = options.timeoutMs ?? 10_000;
  try {
    const sys = await get(at(base, "/cacerts"), {}, {}, caTimeout, signal);
    return {
      base,
      password,
      caBundle: sys.body,
      caVerified: false,
      warning: "the server is trusted by the system CA bundle; the token's CA hash is not checked",
      options,
    };
  } catch (sysErr) {
    if (signal?.aborted) throw signal.reason;
    if (sysErr instanceof TooLarge) throw tooLarge(base, sysErr);
  }
  let insecure: Fetched;
  try {
    insecure = await get(at(base, "/cacerts"), { insecure: true }, {}, caTimeout, signal);
  } catch (cause) {
    throw failed(base, cause, signal);
  }
  const caBundle = insecure.body;
  const v = validateServerCA(options.token, caBundle);
  try {
    await get(at(base, "/cacerts"), { ca: caBundle }, {}, caTimeout, signal);
  } catch (cause) {
    if (signal?.aborted) throw signal.reason;
    throw new ClusterError("CLUSTER_JOIN_CA_VALIDATION", `CA cert validation failed: ${(cause as Error).message}`, {
      value: base.origin,
      cause,
    });
  }
  return { base, password, caBundle, caVerified: v.verified, ...(v.warning ? { warning: v.warning } : {}), trust: caBundle, options };
}

/** A GET of a server-role endpoint with Basic `server:<password>`: 401/403 are FORBIDDEN, other non-200s FAILED. */
async function serverGet(t: TrustedServer, path: string): Promise<Buffer> {
  let res: Fetched;
  try {
    res = await get(
      at(t.base, path),
      t.trust ? { ca: t.trust } : {},
      { authorization: `Basic ${Buffer.from(`server:${t.password}`).toString("base64")}` },
      t.options.timeoutMs ?? 15_000,
      t.options.signal,
    );
  } catch (cause) {
    throw failed(t.base, cause, t.options.signal);
  }
  if (res.status === 401 || res.status === 403)
    throw new ClusterError(
      "CLUSTER_JOIN_FORBIDDEN",
      `${t.base.origin} refused the token for ${path} (${res.status}): wrong token, or not a server token`,
      { value: res.status },
    );
  if (res.status !== 200)
    throw new ClusterError("CLUSTER_JOIN_FAILED", `${t.base.origin}${path} answered ${res.status}`, { value: res.status });
  return res.body;
}

async function fetchChecked(options: FetchServerBootstrapOptions, what: string): Promise<FetchedBootstrap> {
  const t = await trustServer(options, what);
  const { data } = decodeData(await serverGet(t, SERVER_BOOTSTRAP_PATH));
  return { data, caBundle: t.caBundle, caVerified: t.caVerified, ...(t.warning ? { warning: t.warning } : {}) };
}

/**
 * Reads a running server's etcd member list with only its URL and the server token, as a joining K3s server
 * does before it member-adds itself (`etcd.ClientURLs` → `GET /db/info`): the same CA check against the token
 * as {@link fetchServerBootstrap}, then Basic `server:<password>`. Writes nothing.
 * @example
 * ```ts
 * const members = await fetchEtcdMembers({ server: "https://10.0.0.11:6443", token });
 * const endpoints = members.flatMap((m) => m.clientURLs);
 * ```
 * @throws the errors of {@link fetchServerBootstrap}; ClusterError `CLUSTER_JOIN_FAILED` when the answer is not a
 * member list (or the server has no etcd: 404)
 */
export async function fetchEtcdMembers(options: FetchServerBootstrapOptions): Promise<EtcdMemberInfo[]> {
  const what = "fetchEtcdMembers";
  const o = checkedOptions<FetchServerBootstrapOptions>(options, fetchSpec, what, ["server", "token"]);
  const t = await trustServer(o, what);
  return parseMembers(await serverGet(t, DB_INFO_PATH), t.base.origin);
}

/**
 * Joins a data dir to a cluster by token alone: {@link fetchServerBootstrap}, then the files are reconciled
 * into `<dataDir>/server` by K3s's rules (all written into an empty dir). Nothing is written when any step
 * fails. Create the node's own leaf certs afterwards (`ensureServerCertificates` keeps the fetched CAs).
 * @example
 * ```ts
 * await joinServerFiles({ dataDir: "/var/lib/rancher/k3s", server: "https://10.0.0.11:6443", token });
 * ```
 * @throws the errors of {@link fetchServerBootstrap} and {@link reconcileBootstrapWithDisk}
 */
export async function joinServerFiles(
  options: BootstrapDiskOptions & FetchServerBootstrapOptions,
): Promise<FetchedBootstrap & { reconcile: ReconcilePlan & { written: string[] } }> {
  const what = "joinServerFiles";
  const o = checkedOptions<BootstrapDiskOptions & FetchServerBootstrapOptions>(options, { ...fetchSpec, ...diskSpec }, what, [
    "dataDir",
    "server",
    "token",
  ]);
  const fetched = await fetchChecked(o, what);
  const disk: BootstrapDiskOptions = {
    dataDir: o.dataDir,
    ...(o.secretsEncryption ? { secretsEncryption: true } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
  };
  const reconcile = await reconcileWithDisk(disk, fetched.data);
  return { ...fetched, reconcile };
}

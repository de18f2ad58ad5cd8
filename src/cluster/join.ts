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
import { normalizeServerToken, parsePasswd, validateServerCA } from "../tokens/index.js";
import { type BootstrapData, decodeBootstrapData, encodeBootstrapData } from "./codec.js";
import {
  type BootstrapDiskOptions,
  type ReconcilePlan,
  readBootstrapFromDisk,
  reconcileBootstrapWithDisk,
} from "./disk.js";
import { ClusterError } from "./errors.js";

/** K3s's supervisor path of the bootstrap data (`"/v1-" + version.Program + "/server-bootstrap"`). */
export const SERVER_BOOTSTRAP_PATH = "/v1-k3s/server-bootstrap";

/** Options of {@link serveJoinEndpoints}. */
export interface JoinServerOptions extends BootstrapDiskOptions {
  /** Address to listen on, e.g. `127.0.0.11`. Must be in the serving cert's SANs for joiners to verify it. */
  host: string;
  /** Port; 0 picks a free one (see `url`). */
  port: number;
  /** Serving cert and key. Default `<dataDir>/server/tls/serving-kube-apiserver.{crt,key}` (signed by the server CA). */
  certFile?: string;
  keyFile?: string;
}

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

/**
 * K3s's role check for server endpoints (`auth.HasRole(…, "k3s:server")`), against the passwd file read on every
 * request (so a rotated token takes effect at once). Basic credentials whose user row has the password and the
 * `k3s:server` group pass; anything else — no credentials, a wrong password, the `node` user (agent token), a
 * Bearer bootstrap token — is 403 `forbidden`, as K3s answers.
 */
async function authorizedAsServer(req: IncomingMessage, passwdFile: string): Promise<boolean> {
  const header = req.headers.authorization ?? "";
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
 * `ReadFromDisk` JSON, only for a request authenticated as role `k3s:server`). Everything else is 404.
 * @example
 * ```ts
 * const srv = await serveJoinEndpoints({ dataDir, host: "10.0.0.11", port: 6443 });
 * // on another server: await joinServerFiles({ dataDir, server: srv.url, token });
 * await srv.close();
 * ```
 * @throws ClusterError `CLUSTER_BOOTSTRAP_READ` (serving cert or key unreadable); Node's listen errors
 */
export async function serveJoinEndpoints(options: JoinServerOptions): Promise<JoinServer> {
  const server = join(options.dataDir, "server");
  const certFile = options.certFile ?? join(server, "tls", "serving-kube-apiserver.crt");
  const keyFile = options.keyFile ?? join(server, "tls", "serving-kube-apiserver.key");
  const read = async (p: string) => {
    try {
      return await readFile(p);
    } catch (cause) {
      throw new ClusterError("CLUSTER_BOOTSTRAP_READ", `cannot read ${p}`, { value: p, cause });
    }
  };
  const [cert, key] = await Promise.all([read(certFile), read(keyFile)]);
  const passwdFile = join(server, "cred", "passwd");
  const srv = createServer({ cert, key }, (req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    void (async () => {
      if (req.method !== "GET") return send(res, 405, "text/plain", "method not allowed");
      if (path === "/cacerts")
        return send(res, 200, "text/plain", await readFile(join(server, "tls", "server-ca.crt")));
      if (path === "/ping") return send(res, 200, "text/plain", "pong");
      if (path === SERVER_BOOTSTRAP_PATH) {
        if (!(await authorizedAsServer(req, passwdFile))) return send(res, 403, "text/plain", "forbidden");
        return send(res, 200, "application/json", encodeBootstrapData(await readBootstrapFromDisk(options)));
      }
      return send(res, 404, "text/plain", "404 page not found");
    })().catch(() => {
      if (!res.headersSent) send(res, 500, "text/plain", "internal error");
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    srv.once("error", reject);
    srv.listen(options.port, options.host, () => {
      srv.off("error", reject);
      resolve();
    });
  });
  const port = (srv.address() as { port: number }).port;
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  return {
    url: `https://${host}:${port}`,
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
        timeout: timeoutMs,
        ...(signal ? { signal } : {}),
        // IP URLs: no SNI, but the certificate is still checked against the IP SAN.
        ...(url.hostname.match(/^[0-9.]+$|^\[/) ? { servername: "" } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    req.on("error", reject);
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

/**
 * Fetches a running server's bootstrap data with only its URL and the server token, as a joining K3s server
 * does (`ParseAndValidateTokenForUser(url, token, "server")` + `httpBootstrap`): `/cacerts` (first with the
 * system trust store; when that TLS fails, without verification), the bundle checked against the token's CA
 * hash, `/cacerts` again trusting only that bundle, then `/v1-k3s/server-bootstrap` with Basic `server:<password>`.
 * Writes nothing.
 * @example
 * ```ts
 * const { data } = await fetchServerBootstrap({ server: "https://10.0.0.11:6443", token });
 * ```
 * @throws TokenError `TOKEN_NORMALIZE` (a bootstrap or unparsable token: K3s refuses those for servers),
 * `TOKEN_CA_MISMATCH`; ClusterError `CLUSTER_OPTION_INVALID` (not an https URL), `CLUSTER_JOIN_UNREACHABLE`,
 * `CLUSTER_JOIN_CA_VALIDATION`, `CLUSTER_JOIN_FORBIDDEN` (wrong password or not a server token),
 * `CLUSTER_JOIN_FAILED` (another HTTP status), `CLUSTER_BOOTSTRAP_JSON`
 */
export async function fetchServerBootstrap(options: {
  server: string;
  token: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}): Promise<FetchedBootstrap> {
  let base: URL;
  try {
    base = new URL(options.server);
  } catch (cause) {
    throw new ClusterError(
      "CLUSTER_OPTION_INVALID",
      `server ${JSON.stringify(options.server)} is not a URL`,
      {
        value: options.server,
        cause,
      },
    );
  }
  if (base.protocol !== "https:")
    throw new ClusterError(
      "CLUSTER_OPTION_INVALID",
      `only https:// URLs are supported, invalid scheme: ${options.server}`,
      {
        value: options.server,
      },
    );
  const password = normalizeServerToken(options.token);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const at = (path: string) => new URL(base.pathname.replace(/\/+$/, "") + path, base);
  const unreachable = (cause: unknown) =>
    new ClusterError("CLUSTER_JOIN_UNREACHABLE", `cannot reach ${base.origin}: ${(cause as Error).message}`, {
      value: base.origin,
      cause,
    });

  let caBundle: Buffer;
  let caVerified = false;
  let warning: string | undefined;
  let trust: Buffer | undefined;
  try {
    const sys = await get(at("/cacerts"), {}, {}, timeoutMs, options.signal);
    caBundle = sys.body;
    warning = "the server is trusted by the system CA bundle; the token's CA hash is not checked";
  } catch (sysErr) {
    if (options.signal?.aborted) throw options.signal.reason;
    let insecure: Fetched;
    try {
      insecure = await get(at("/cacerts"), { insecure: true }, {}, timeoutMs, options.signal);
    } catch (cause) {
      throw unreachable(cause ?? sysErr);
    }
    caBundle = insecure.body;
    const v = validateServerCA(options.token, caBundle);
    caVerified = v.verified;
    warning = v.warning;
    trust = caBundle;
    try {
      await get(at("/cacerts"), { ca: trust }, {}, timeoutMs, options.signal);
    } catch (cause) {
      throw new ClusterError(
        "CLUSTER_JOIN_CA_VALIDATION",
        `CA cert validation failed: ${(cause as Error).message}`,
        {
          value: base.origin,
          cause,
        },
      );
    }
  }
  let res: Fetched;
  try {
    res = await get(
      at(SERVER_BOOTSTRAP_PATH),
      trust ? { ca: trust } : {},
      { authorization: `Basic ${Buffer.from(`server:${password}`).toString("base64")}` },
      Math.max(timeoutMs, 15_000),
      options.signal,
    );
  } catch (cause) {
    if (options.signal?.aborted) throw options.signal.reason;
    throw unreachable(cause);
  }
  if (res.status === 401 || res.status === 403)
    throw new ClusterError(
      "CLUSTER_JOIN_FORBIDDEN",
      `${base.origin} refused the token for ${SERVER_BOOTSTRAP_PATH} (${res.status}): wrong token, or not a server token`,
      { value: res.status },
    );
  if (res.status !== 200)
    throw new ClusterError(
      "CLUSTER_JOIN_FAILED",
      `${base.origin}${SERVER_BOOTSTRAP_PATH} answered ${res.status}`,
      {
        value: res.status,
      },
    );
  const { data } = decodeBootstrapData(res.body);
  return { data, caBundle, caVerified, ...(warning ? { warning } : {}) };
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
  options: BootstrapDiskOptions & { server: string; token: string; timeoutMs?: number; signal?: AbortSignal },
): Promise<FetchedBootstrap & { reconcile: ReconcilePlan & { written: string[] } }> {
  const fetched = await fetchServerBootstrap(options);
  const reconcile = await reconcileBootstrapWithDisk(options, fetched.data);
  return { ...fetched, reconcile };
}

/**
 * Server/agent token files and the passwd file (§2.1), and `token rotate` (§2.4). Thin I/O over format.ts,
 * passwd.ts and ca-hash.ts.
 */
import { randomBytes } from "node:crypto";
import { lstat, readFile, rm } from "node:fs/promises";
import { KitError } from "../errors/index.js";
import { removeStaleTemps, writeFileAtomic, writeSymlinkAtomic } from "../internal/atomic-write.js";
import { type Check, is } from "../internal/options.js";
import { assertInside } from "../internal/paths.js";
import { k3sLayout } from "../layout/index.js";
import { caHash } from "./ca-hash.js";
import { TokenError } from "./errors.js";
import { formatToken, normalizeServerToken, parseToken } from "./format.js";
import { type PasswdEntry, parsePasswd, renderPasswd, setUser, stripUserPrefix } from "./passwd.js";
import { BOOTSTRAP_TOKEN_PATTERN } from "./format.js";
import { arg, dataDir as dataDirCheck, requiredOptions, token as tokenCheck, tokenText } from "./options.js";

/**
 * K3s `util.Random(16)`: 32 lowercase hex chars.
 * @example
 * ```ts
 * randomPassword(); // "9f1c…" (32 chars)
 * ```
 */
export const randomPassword = (): string => randomBytes(16).toString("hex");

interface Paths {
  /** The data dir: every write stays under it (no link out of it is followed). */
  root: string;
  server: string;
  cred: string;
  token: string;
  nodeToken: string;
  agentToken: string;
  passwd: string;
  serverCA: string;
}

const pathsOf = (dataDir: string): Paths => {
  const l = k3sLayout(dataDir);
  return {
    root: l.dataDir,
    server: l.server.dir,
    cred: l.server.credDir,
    token: l.server.tokenFile,
    nodeToken: l.server.nodeTokenFile,
    agentToken: l.server.agentTokenFile,
    passwd: l.server.passwdFile,
    serverCA: `${l.server.tlsDir}/server-ca.crt`,
  };
};

/**
 * Before a write run: every file it writes or removes must not sit behind a link leading out of the
 * data dir (`PATH_UNSAFE` before the first write), and temp files a killed run left in its
 * directories (they may hold a token) are removed.
 */
async function prepareWrites(p: Paths): Promise<void> {
  await Promise.all([p.token, p.nodeToken, p.agentToken, p.passwd].map((f) => assertInside(p.root, f)));
  await Promise.all([removeStaleTemps(p.server), removeStaleTemps(p.cred)]);
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new TokenError("TOKEN_FILE_INVALID", `cannot read ${path}: ${(e as Error).message}`, {
      value: path,
      cause: e,
    });
  }
}

async function serverCAHash(p: Paths): Promise<string> {
  const pem = await readText(p.serverCA);
  if (pem === undefined)
    throw new TokenError("TOKEN_CA_INVALID", `${p.serverCA} does not exist; create the server CA first`, {
      value: p.serverCA,
    });
  return caHash(pem, { what: p.serverCA });
}

async function readPasswd(p: Paths): Promise<PasswdEntry[]> {
  const text = await readText(p.passwd);
  return text === undefined ? [] : parsePasswd(text, p.passwd);
}

const writeSecret = (p: Paths, path: string, data: string): Promise<void> =>
  writeFileAtomic(path, data, { mode: 0o600, dirMode: 0o700, root: p.root });

/** Points `link` at `target` (a basename) atomically: a temp symlink (recognisable temp name) renamed over it. */
const atomicSymlink = (p: Paths, target: string, link: string): Promise<void> => writeSymlinkAtomic(target, link, { root: p.root });

async function removeFile(path: string): Promise<void> {
  try {
    await rm(path, { force: true });
  } catch (err) {
    throw new KitError("WRITE_FAILED", `cannot remove ${path}: ${(err as Error).message}`, { value: path, cause: err });
  }
}

async function isRegularFile(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Where a cluster keeps K3s bootstrap data encrypted under the server token: the hook `rotateServerToken`
 * calls so the datastore follows the rotation. Structural, so this module needs no etcd client:
 * `bootstrapDatastore(client)` from `k3s-node-kit/cluster` makes one. Both calls get normalised passwords and
 * must be idempotent.
 */
export interface ServerTokenDatastore {
  /** Re-encrypts the data under `newToken` and writes its key; the old key stays. */
  addToken(oldToken: string, newToken: string): Promise<void>;
  /** Deletes the old token's key (only once the new one is readable). */
  removeToken(oldToken: string, newToken: string): Promise<void>;
}

export interface ServerTokenResult {
  /** `K10<caHash>::server:<password>`. */
  token: string;
  /** The agent token: equal to `token` unless a separate agent token is configured. */
  agentToken: string;
  /** Hash of `server-ca.crt` (§2.2). */
  caHash: string;
}

export interface GenerateServerTokenOptions {
  /** K3s data dir; needs `<dataDir>/server/tls/server-ca.crt` (run ensureServerCertificates first). */
  dataDir: string;
  /** `--token`: a bare password or a full token. Default: the existing passwd `server` entry, else random. */
  token?: string;
  /** `--agent-token`. Default: agents use the server password (agent-token symlinks to token). */
  agentToken?: string;
}

/**
 * Writes `<dataDir>/server/token` (0600), the `node-token` symlink, `agent-token` (symlink, or a file when an
 * agent token is set) and `cred/passwd` (rows `server` / `k3s:server`, `node` / `k3s:agent`), deriving the
 * passwords like K3s (§2.1).
 *
 * @example
 * ```ts
 * const { token, caHash } = await generateServerToken({ dataDir: "/var/lib/rancher/k3s" });
 * ```
 * @throws TokenError `TOKEN_NORMALIZE` (a bootstrap-format or unparsable `token`, which K3s refuses at start),
 * `TOKEN_CA_INVALID`, `TOKEN_FILE_INVALID`, `TOKEN_EMPTY`; KitError `WRITE_FAILED`
 */
export async function generateServerToken(options: GenerateServerTokenOptions): Promise<ServerTokenResult> {
  const o = requiredOptions<GenerateServerTokenOptions>(
    options,
    { dataDir: dataDirCheck, token: tokenCheck, agentToken: tokenCheck },
    ["dataDir"],
    "generateServerToken",
  );
  return generateServer(o);
}

async function generateServer(options: GenerateServerTokenOptions): Promise<ServerTokenResult> {
  const p = pathsOf(options.dataDir);
  const hash = await serverCAHash(p);
  let entries = await readPasswd(p);
  const existingServer = entries.find((e) => e.name === "server")?.password;
  let serverPass: string;
  if (options.token !== undefined) {
    if (options.token === "") throw new TokenError("TOKEN_EMPTY", "token must not be empty", { value: "" });
    // K3s refuses to start with a token that does not normalise (bootstrap format, bad hash length, no password).
    normalizeServerToken(options.token);
    serverPass = stripUserPrefix(options.token, "server");
  } else serverPass = existingServer ?? randomPassword();

  let nodePass: string;
  if (options.agentToken !== undefined) {
    if (options.agentToken === "")
      throw new TokenError("TOKEN_EMPTY", "agent token must not be empty", { value: "" });
    nodePass = stripUserPrefix(options.agentToken, "node");
  } else if (BOOTSTRAP_TOKEN_PATTERN.test(serverPass)) nodePass = serverPass;
  else {
    try {
      nodePass = parseToken(serverPass).password || serverPass;
    } catch {
      nodePass = serverPass;
    }
  }
  entries = setUser(entries, "server", "k3s:server", serverPass);
  entries = setUser(entries, "node", "k3s:agent", nodePass);
  await prepareWrites(p);
  await writeSecret(p, p.passwd, renderPasswd(entries));

  const token = formatToken({ caHash: hash, username: "server", password: serverPass });
  await writeSecret(p, p.token, `${token}\n`);
  await atomicSymlink(p, "token", p.nodeToken);
  let agentToken = token;
  if (options.agentToken !== undefined) {
    agentToken = formatToken({ caHash: hash, username: "node", password: nodePass });
    await removeFile(p.agentToken);
    await writeSecret(p, p.agentToken, `${agentToken}\n`);
  } else if (!(await isRegularFile(p.agentToken))) {
    await atomicSymlink(p, "token", p.agentToken);
  } else {
    agentToken = (await readText(p.agentToken))?.trim() ?? token;
  }
  return { token, agentToken, caHash: hash };
}

/**
 * Sets a separate agent token (`--agent-token`): writes `agent-token` as a regular file and the passwd `node`
 * row. A random password is used when none is given.
 *
 * @example
 * ```ts
 * const { agentToken } = await generateAgentToken({ dataDir });
 * ```
 * @throws TokenError `TOKEN_CA_INVALID`, `TOKEN_FILE_INVALID`; KitError `WRITE_FAILED`
 */
export async function generateAgentToken(options: {
  dataDir: string;
  agentToken?: string;
}): Promise<{ agentToken: string; caHash: string }> {
  const o = requiredOptions<{ dataDir: string; agentToken?: string }>(
    options,
    { dataDir: dataDirCheck, agentToken: tokenCheck },
    ["dataDir"],
    "generateAgentToken",
  );
  return generateAgent(o);
}

async function generateAgent(options: { dataDir: string; agentToken?: string }): Promise<{ agentToken: string; caHash: string }> {
  const p = pathsOf(options.dataDir);
  const hash = await serverCAHash(p);
  const pass =
    options.agentToken !== undefined ? stripUserPrefix(options.agentToken, "node") : randomPassword();
  if (pass === "") throw new TokenError("TOKEN_EMPTY", "agent token must not be empty", { value: "" });
  const entries = setUser(await readPasswd(p), "node", "k3s:agent", pass);
  await prepareWrites(p);
  await writeSecret(p, p.passwd, renderPasswd(entries));
  const agentToken = formatToken({ caHash: hash, username: "node", password: pass });
  await removeFile(p.agentToken);
  await writeSecret(p, p.agentToken, `${agentToken}\n`);
  return { agentToken, caHash: hash };
}

/**
 * `k3s token rotate` offline (§2.4): normalises `newToken` to its password (random 32 hex chars when omitted),
 * rewrites the passwd `server` row, the `node` row too when it equalled the old server password and no
 * separate agent token exists, then the token file. Each file is replaced atomically (passwd first, so a crash
 * in between leaves the passwd authoritative and the old token file simply stale).
 *
 * With `datastore` (a cluster whose datastore holds K3s bootstrap data, e.g. `bootstrapDatastore(client)` from
 * `k3s-node-kit/cluster`), the data is re-encrypted as `k3s token rotate` does, in an order that survives a
 * crash at any point: `addToken` (new key written, old kept) before the files are rewritten, `removeToken`
 * (old key deleted) after. Either token's files then always find their key.
 *
 * @example
 * ```ts
 * const { token } = await rotateServerToken({ dataDir, newToken: "my-new-secret" });
 * await rotateServerToken({ dataDir, newToken: "next", datastore: bootstrapDatastore(etcdClient) });
 * ```
 * @throws TokenError `TOKEN_NORMALIZE` (bootstrap-format or unparsable new token), `TOKEN_FILE_INVALID`
 * (no token/passwd yet), `TOKEN_CA_INVALID`; KitError `WRITE_FAILED`; whatever `datastore` throws (files
 * untouched when `addToken` fails)
 */
export async function rotateServerToken(options: {
  dataDir: string;
  newToken?: string;
  datastore?: ServerTokenDatastore;
}): Promise<ServerTokenResult & { nodePasswordChanged: boolean }> {
  const o = requiredOptions<{ dataDir: string; newToken?: string; datastore?: ServerTokenDatastore }>(
    options,
    { dataDir: dataDirCheck, newToken: tokenCheck, datastore: datastoreCheck },
    ["dataDir"],
    "rotateServerToken",
  );
  return rotate(o);
}

const datastoreCheck: Check = (v) =>
  typeof v === "object" &&
  v !== null &&
  typeof (v as ServerTokenDatastore).addToken === "function" &&
  typeof (v as ServerTokenDatastore).removeToken === "function"
    ? undefined
    : "must be an object with addToken and removeToken functions";

async function rotate(options: { dataDir: string; newToken?: string; datastore?: ServerTokenDatastore }): Promise<ServerTokenResult & { nodePasswordChanged: boolean }> {
  const p = pathsOf(options.dataDir);
  const newPass = options.newToken === undefined ? randomPassword() : normalizeServerToken(options.newToken);
  const entries = await readPasswd(p);
  const server = entries.find((e) => e.name === "server");
  if (!server)
    throw new TokenError(
      "TOKEN_FILE_INVALID",
      `${p.passwd} has no server entry; generate the server token first`,
      { value: p.passwd },
    );
  const hash = await serverCAHash(p);
  const hasAgentToken = await isRegularFile(p.agentToken);
  const node = entries.find((e) => e.name === "node");
  const nodePasswordChanged = !hasAgentToken && node !== undefined && node.password === server.password;
  let next = setUser(entries, "server", "k3s:server", newPass);
  if (nodePasswordChanged) next = setUser(next, "node", "k3s:agent", newPass);
  await prepareWrites(p);
  await options.datastore?.addToken(server.password, newPass);
  await writeSecret(p, p.passwd, renderPasswd(next));
  const token = formatToken({ caHash: hash, username: "server", password: newPass });
  await writeSecret(p, p.token, `${token}
`);
  await options.datastore?.removeToken(server.password, newPass);
  const agentToken = hasAgentToken ? ((await readText(p.agentToken))?.trim() ?? token) : token;
  return { token, agentToken, caHash: hash, nodePasswordChanged };
}

/**
 * Would the K3s supervisor accept `token` from a joining `role`? Checks the CA hash (when the token has one)
 * against `server-ca.crt` and the password against the passwd row K3s uses: `server` for servers, `node` for
 * agents (the token's username is overridden, §2.1). Bootstrap tokens are not checked here (they live in the
 * cluster's Secrets) and return false.
 *
 * @example
 * ```ts
 * await verifyServerToken({ dataDir, token, role: "agent" }); // true | false
 * ```
 * @throws TokenError parse errors of the token, `TOKEN_FILE_INVALID`, `TOKEN_CA_INVALID`
 */
export async function verifyServerToken(options: {
  dataDir: string;
  token: string;
  role?: "server" | "agent";
}): Promise<boolean> {
  const o = requiredOptions<{ dataDir: string; token: string; role?: "server" | "agent" }>(
    options,
    { dataDir: dataDirCheck, token: tokenText, role: is.oneOf("server", "agent") },
    ["dataDir", "token"],
    "verifyServerToken",
  );
  return verify(o);
}

async function verify(options: { dataDir: string; token: string; role?: "server" | "agent" }): Promise<boolean> {
  const p = pathsOf(options.dataDir);
  const parsed = parseToken(options.token);
  if (parsed.bootstrap) return false;
  if (parsed.caHash !== "" && parsed.caHash !== (await serverCAHash(p))) return false;
  const user = options.role === "agent" ? "node" : "server";
  const row = (await readPasswd(p)).find((e) => e.name === user);
  return row !== undefined && row.password === parsed.password;
}

/**
 * Reads `<dataDir>/server/token`, or undefined when there is none.
 * @example
 * ```ts
 * const token = await readServerToken("/var/lib/rancher/k3s");
 * ```
 * @throws TokenError `TOKEN_FILE_INVALID` when it cannot be read
 */
export async function readServerToken(dataDir: string): Promise<string | undefined> {
  const p = pathsOf(arg<string>(dataDir, dataDirCheck, "dataDir", "readServerToken"));
  return (await readText(p.token))?.trim();
}

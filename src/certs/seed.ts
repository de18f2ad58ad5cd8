import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { writeFileAtomic } from "../internal/atomic-write.js";
import { type Check, is } from "../internal/options.js";
import { k3sLayout } from "../layout/index.js";
import { caHash, formatToken, generateServerToken, readServerToken } from "../tokens/index.js";
import { CertError } from "./errors.js";
import { type CertificateAuthority, makeCA } from "./generate.js";
import { readIfExists } from "./io.js";
import { SERVER_CAS } from "./layout.js";
import { arg, authority, days, options as opts } from "./options.js";

/** One file of a pre-generated PKI, relative to `<dataDir>/server/tls` (e.g. `etcd/server-ca.crt`). */
export interface SeedFile {
  path: string;
  content: string;
  /** Octal mode; default `0600` for `.key` files and `0644` otherwise. */
  mode?: number;
}

export interface ClusterSeedOptions {
  /** Clock for the CAs' validity (`NotBefore = now − 1 h`, 3650 days). Default `new Date()`. */
  now?: Date;
  /** Server password part of the token. Default: 16 random bytes, hex (as K3s). */
  password?: string;
  /** Validity of each CA in days. Default 3650 (K3s). */
  days?: number;
  /**
   * Sign the five CAs with this CA (e.g. an intermediate from `loadCA`) instead of self-signing them,
   * as K3s custom CA certificates do; each CA file then holds the CA followed by the issuer's bundle.
   */
  issuer?: CertificateAuthority;
}

/** A cluster's CAs and token, made before any server exists. */
export interface ClusterSeed {
  /** The five K3s CAs (cert + key), paths relative to `<dataDir>/server/tls`. Keys are secrets. */
  files: SeedFile[];
  /** `K10<caHash>::server:<password>`: a secret. */
  token: string;
  /** SHA-256 of `server-ca.crt`, which joining nodes check. */
  caHash: string;
}

/**
 * Generates a K3s cluster's CAs (client, server, request-header, etcd server, etcd peer — the names
 * and CNs K3s uses, k3s-behaviours §1.2) and a secure server token bound to the server CA, in
 * memory. Feed the result to `cloudInitForServer` (`k3s-node-kit/cloud-init`) (or your own secret store): every server
 * seeded with it trusts the same CAs, and agents can join with the token.
 *
 * @example
 * ```ts
 * const seed = generateClusterSeed();
 * const userData = cloudInitForServer({ pki: seed.files, token: seed.token });
 * ```
 */
export function generateClusterSeed(options: ClusterSeedOptions = {}): ClusterSeed {
  const o = opts<ClusterSeedOptions>(options, { now: is.date, password: seedPassword, days, issuer: authority }, "generateClusterSeed");
  return makeSeed(o);
}

/** A token password: non-empty, no NUL or newline, bounded (it is written into token files). */
const seedPassword: Check = (v) =>
  typeof v !== "string" || v === "" ? "must be a non-empty string" : /[\0\r\n]/.test(v) ? "must not contain NUL or a line break" : v.length > 4096 ? "is too long" : undefined;

function makeSeed(options: ClusterSeedOptions): ClusterSeed {
  const now = options.now ?? new Date();
  const stamp = Math.floor(now.getTime() / 1000);
  const files: SeedFile[] = [];
  let serverCaPem = "";
  for (const spec of SERVER_CAS) {
    const ca = makeCA({
      commonName: `${spec.prefix}-ca@${stamp}`,
      now,
      ...(options.days !== undefined ? { days: options.days } : {}),
      ...(options.issuer ? { issuer: options.issuer } : {}),
    });
    files.push(
      { path: spec.cert, content: ca.bundlePem, mode: 0o644 },
      { path: spec.key, content: ca.keyPem, mode: 0o600 },
    );
    if (spec.name === "server") serverCaPem = ca.bundlePem;
  }
  const hash = caHash(serverCaPem);
  const token = formatToken({
    caHash: hash,
    username: "server",
    password: options.password ?? randomBytes(16).toString("hex"),
  });
  return { files, token, caHash: hash };
}

/** Options of {@link writeClusterSeed}. */
export interface WriteClusterSeedOptions {
  /** Replace CAs (and the token) that differ from the seed's. Default `false`: refuse. */
  force?: boolean;
  /**
   * Also write the server token files through `generateServerToken` (`server/token` 0600, the
   * `node-token`/`agent-token` symlinks, `server/cred/passwd`), so K3s starts with the seed's
   * token. Default `true`.
   */
  token?: boolean;
  signal?: AbortSignal;
}

/** What {@link writeClusterSeed} did, as paths under the data dir. */
export interface WriteClusterSeedResult {
  /** Files written (created or, with `force`, replaced). */
  written: string[];
  /** Seed files already present with the same content, left alone. */
  unchanged: string[];
}

const CA_FILES = new Map<string, { key: boolean; nochain?: string }>();
for (const spec of SERVER_CAS) {
  CA_FILES.set(
    spec.cert,
    spec.nochain !== undefined ? { key: false, nochain: spec.nochain } : { key: false },
  );
  CA_FILES.set(spec.key, { key: true });
}

function seedInvalid(message: string, value: unknown): never {
  throw new CertError("CERT_SEED_INVALID", `writeClusterSeed: ${message}`, { value });
}

/** The seed's files by path, checked: exactly the five CAs' certs and keys, PEM text. */
function checkSeed(seed: ClusterSeed): Map<string, string> {
  if (typeof seed !== "object" || seed === null || !Array.isArray(seed.files))
    seedInvalid("seed must be a generateClusterSeed() result", typeof seed);
  const files = new Map<string, string>();
  for (const f of seed.files as unknown[]) {
    const { path, content } = (f ?? {}) as { path?: unknown; content?: unknown };
    if (typeof path !== "string" || !CA_FILES.has(path))
      seedInvalid("a file is not one of K3s's CA files", String(path));
    if (typeof content !== "string" || !content.includes("-----BEGIN "))
      seedInvalid(`${path} is not PEM text`, path);
    if (files.has(path)) seedInvalid(`${path} is given twice`, path);
    files.set(path, content);
  }
  for (const p of CA_FILES.keys()) if (!files.has(p)) seedInvalid(`${p} is missing from the seed`, p);
  const serverCa = files.get("server-ca.crt") as string;
  if (typeof seed.token !== "string" || !seed.token.startsWith(`K10${caHash(serverCa)}::`))
    seedInvalid("the token is not bound to the seed's server CA", "token");
  return files;
}

const samePem = (a: string | undefined, b: string): boolean => a !== undefined && a.trim() === b.trim();

/**
 * Lays down a {@link generateClusterSeed} result as a K3s server data dir: the five CAs under
 * `<dataDir>/server/tls` where K3s looks for them (`client-ca.crt`, `server-ca.crt`,
 * `request-header-ca.crt`, `etcd/server-ca.crt`, `etcd/peer-ca.crt`, their keys, and the
 * `*.nochain.crt` copies K3s makes), keys 0600 and certs 0644 in 0700 dirs, each write atomic, keys
 * before certs. With `token` (default) the server token files are written too. Same seed again: no
 * change (idempotent). A data dir holding a different CA (or token) is refused before anything is
 * written, unless `force`. Then `ensureServerCertificates({ dataDir })` signs the leaves with these CAs.
 *
 * @example
 * ```ts
 * const seed = generateClusterSeed();
 * await writeClusterSeed("/var/lib/rancher/k3s", seed);
 * await ensureServerCertificates({ dataDir: "/var/lib/rancher/k3s", nodeName: "s1" });
 * ```
 * @throws CertError `CERT_SEED_CONFLICT` (value: the first differing file) when the data dir holds
 *   another CA or token and `force` is not set; `CERT_SEED_INVALID` for a seed that is not a
 *   generateClusterSeed() result (value: the file or field); `CERT_OPTION_INVALID` for bad options;
 *   KitError `WRITE_FAILED`; AbortError when `signal` aborts.
 */
export async function writeClusterSeed(
  dataDir: string,
  seed: ClusterSeed,
  options: WriteClusterSeedOptions = {},
): Promise<WriteClusterSeedResult> {
  const what = "writeClusterSeed";
  arg<string>(dataDir, is.absolutePath, "dataDir", what);
  const o = opts<WriteClusterSeedOptions>(options, { force: is.boolean, token: is.boolean, signal: is.signal }, what);
  const { force = false, token = true, signal } = o;
  signal?.throwIfAborted();
  const files = checkSeed(seed);
  const layout = k3sLayout(dataDir);
  const tls = layout.server.tlsDir;
  const at = (p: string) => join(tls, p);

  // Decide everything before the first write, so a refusal leaves the data dir as it was.
  const plan: { path: string; content: string; key: boolean }[] = [];
  const unchanged: string[] = [];
  for (const [path, content] of files) {
    const spec = CA_FILES.get(path) as { key: boolean; nochain?: string };
    const entries: [string, string, boolean][] = [[path, content, spec.key]];
    // K3s copies each chained CA's first cert to *.nochain.crt; a seed CA is its own first cert.
    if (spec.nochain !== undefined) entries.push([spec.nochain, content, false]);
    for (const [p, c, isKey] of entries) {
      const existing = await readIfExists(at(p));
      if (existing === undefined) plan.push({ path: p, content: c, key: isKey });
      else if (samePem(existing, c)) unchanged.push(`server/tls/${p}`);
      else if (force) plan.push({ path: p, content: c, key: isKey });
      else
        throw new CertError(
          "CERT_SEED_CONFLICT",
          `writeClusterSeed: ${at(p)} holds a different CA than the seed; pass { force: true } to replace it`,
          { value: at(p) },
        );
    }
  }
  let tokenDiffers = false;
  if (token) {
    const existing = await readServerToken(dataDir);
    if (existing !== undefined && existing !== seed.token) {
      if (!force)
        throw new CertError(
          "CERT_SEED_CONFLICT",
          `writeClusterSeed: ${layout.server.tokenFile} holds a different token than the seed; pass { force: true } to replace it`,
          { value: layout.server.tokenFile },
        );
      tokenDiffers = true;
    } else if (existing === undefined) tokenDiffers = true;
    else unchanged.push("server/token");
  }

  // Keys first: a crash in between leaves a key without its cert, which a rerun completes.
  plan.sort((a, b) => Number(b.key) - Number(a.key));
  const written: string[] = [];
  for (const f of plan) {
    // Keys 0600, certs 0644, dirs 0700; never through a link out of the data dir.
    await writeFileAtomic(at(f.path), f.content, {
      mode: f.key ? 0o600 : 0o644,
      dirMode: 0o700,
      root: dataDir,
      ...(signal ? { signal } : {}),
    });
    written.push(`server/tls/${f.path}`);
  }
  if (tokenDiffers) {
    signal?.throwIfAborted();
    await generateServerToken({ dataDir, token: seed.token });
    written.push("server/token", "server/node-token", "server/agent-token", "server/cred/passwd");
  }
  return { written, unchanged };
}

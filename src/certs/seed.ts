import { randomBytes } from "node:crypto";
import { type CertificateAuthority, createCA } from "./generate.js";
import { SERVER_CAS } from "./layout.js";
import { caHash, formatToken } from "../tokens/index.js";

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
 * memory. Feed the result to `cloudInitForServer` (package root) (or your own secret store): every server
 * seeded with it trusts the same CAs, and agents can join with the token.
 *
 * @example
 * ```ts
 * const seed = generateClusterSeed();
 * const userData = cloudInitForServer({ pki: seed.files, token: seed.token });
 * ```
 */
export function generateClusterSeed(options: ClusterSeedOptions = {}): ClusterSeed {
  const now = options.now ?? new Date();
  const stamp = Math.floor(now.getTime() / 1000);
  const files: SeedFile[] = [];
  let serverCaPem = "";
  for (const spec of SERVER_CAS) {
    const ca = createCA({
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

/**
 * Bootstrap ("kubeadm-style") join tokens and their Secret (§2.4). kubernetes-models and yaml are loaded lazily.
 */
import { randomInt } from "node:crypto";
import { is } from "../internal/options.js";
import { TokenError } from "./errors.js";
import { arg, fail } from "./options.js";
import { BOOTSTRAP_TOKEN_PATTERN } from "./format.js";

const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";
/** Usages K3s accepts (`KnownTokenUsages`). */
export const BOOTSTRAP_TOKEN_USAGES = ["signing", "authentication"] as const;
export type BootstrapTokenUsage = (typeof BOOTSTRAP_TOKEN_USAGES)[number];
/** `k3s token create` default group. */
export const DEFAULT_BOOTSTRAP_GROUP = "system:bootstrappers:k3s:default-node-token";
/** k8s bootstrap group pattern. */
const GROUP_PATTERN = /^system:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]$/;

const pick = (n: number): string =>
  Array.from({ length: n }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");

/**
 * A fresh bootstrap token `<6 chars>.<16 chars>` from `[a-z0-9]` with a CSPRNG.
 *
 * @example
 * ```ts
 * generateBootstrapToken(); // e.g. "k2d9xq.0f3m8a1zq7c4b6n2"
 * ```
 */
export function generateBootstrapToken(): string {
  return `${pick(6)}.${pick(16)}`;
}

/**
 * Splits a bootstrap token (bare `id.secret` or full `K10<hash>::id.secret`).
 *
 * @example
 * ```ts
 * parseBootstrapToken("abcdef.0123456789abcdef"); // { id: "abcdef", secret: "0123456789abcdef" }
 * ```
 * @throws TokenError `TOKEN_BOOTSTRAP_INVALID`
 */
export function parseBootstrapToken(token: string): { id: string; secret: string } {
  const creds =
    typeof token === "string" && token.startsWith("K10") ? token.slice(token.indexOf("::") + 2) : token;
  const m = typeof creds === "string" ? BOOTSTRAP_TOKEN_PATTERN.exec(creds) : null;
  if (!m)
    throw new TokenError("TOKEN_BOOTSTRAP_INVALID", "bootstrap token must match [a-z0-9]{6}.[a-z0-9]{16}", {
      value: "<redacted>",
    });
  return { id: m[1] as string, secret: m[2] as string };
}

export interface BootstrapTokenSecretOptions {
  /** Lifetime in seconds; 0 = never expires (no `expiration` key). Default 86400 (`--ttl 24h`). */
  ttlSeconds?: number;
  /** Default `["signing", "authentication"]`. */
  usages?: BootstrapTokenUsage[];
  /** Default `["system:bootstrappers:k3s:default-node-token"]`. */
  groups?: string[];
  description?: string;
  /** Clock for `expiration`. Default `new Date()`. */
  now?: Date;
}

/** A built bootstrap-token Secret. */
export interface BootstrapTokenSecret {
  /** The Secret as a plain object (validated with kubernetes-models). */
  manifest: Record<string, unknown>;
  /** The same Secret as YAML. */
  yaml: string;
  /** Expiry, or undefined when the token never expires. */
  expiration?: Date;
}

/**
 * Builds the `kube-system/bootstrap-token-<id>` Secret of type `bootstrap.kubernetes.io/token` that
 * `k3s token create` stores (§2.4), validated with kubernetes-models and serialised to YAML.
 *
 * @example
 * ```ts
 * const { yaml } = await bootstrapTokenSecret(generateBootstrapToken(), { ttlSeconds: 3600 });
 * ```
 * @throws TokenError `TOKEN_BOOTSTRAP_INVALID` (token), `TOKEN_OPTION_INVALID` (ttl, usage, group)
 */
export async function bootstrapTokenSecret(
  token: string,
  options: BootstrapTokenSecretOptions = {},
): Promise<BootstrapTokenSecret> {
  const { id, secret } = parseBootstrapToken(token);
  const {
    ttlSeconds = 86_400,
    usages = [...BOOTSTRAP_TOKEN_USAGES],
    groups = [DEFAULT_BOOTSTRAP_GROUP],
    description,
    now = new Date(),
  } = options;
  if (!Number.isFinite(ttlSeconds) || ttlSeconds < 0)
    throw new TokenError("TOKEN_OPTION_INVALID", "ttlSeconds must be >= 0", { value: ttlSeconds });
  for (const u of usages) {
    if (!(BOOTSTRAP_TOKEN_USAGES as readonly string[]).includes(u))
      throw new TokenError("TOKEN_OPTION_INVALID", `unknown token usage ${u}`, { value: u });
  }
  for (const g of groups) {
    if (!GROUP_PATTERN.test(g))
      throw new TokenError("TOKEN_OPTION_INVALID", `group ${g} must match ${GROUP_PATTERN.source}`, {
        value: g,
      });
  }
  const stringData: Record<string, string> = { "token-id": id, "token-secret": secret };
  if (description) stringData.description = description;
  let expiration: Date | undefined;
  if (ttlSeconds > 0) {
    expiration = new Date(Math.floor(now.getTime() / 1000) * 1000 + ttlSeconds * 1000);
    stringData.expiration = expiration.toISOString().replace(/\.\d{3}Z$/, "Z");
  }
  for (const u of usages) stringData[`usage-bootstrap-${u}`] = "true";
  if (groups.length) stringData["auth-extra-groups"] = groups.join(",");
  const data = Object.fromEntries(
    Object.entries(stringData).map(([k, v]) => [k, Buffer.from(v).toString("base64")]),
  );
  const [{ Secret }, YAML] = await Promise.all([import("kubernetes-models/v1/Secret"), import("yaml")]);
  const obj = new Secret({
    metadata: { name: `bootstrap-token-${id}`, namespace: "kube-system" },
    type: "bootstrap.kubernetes.io/token",
    data,
  });
  obj.validate();
  const manifest = obj.toJSON() as unknown as Record<string, unknown>;
  return { manifest, yaml: YAML.stringify(manifest), ...(expiration ? { expiration } : {}) };
}

/**
 * True when a bootstrap token Secret (its manifest or its `data`) has an `expiration` at or before `now`.
 * Secrets without `expiration` never expire.
 *
 * @example
 * ```ts
 * isBootstrapTokenExpired(manifest, new Date());
 * ```
 * @throws TokenError `TOKEN_BOOTSTRAP_INVALID` when `expiration` is not RFC 3339
 */
export function isBootstrapTokenExpired(
  secret: { data?: Record<string, string>; stringData?: Record<string, string> },
  now: Date = new Date(),
): boolean {
  // The manifest is read, never echoed: it holds the token secret.
  arg(secret, (v) => (typeof v === "object" && v !== null && !Array.isArray(v) ? undefined : "must be a Secret object"), "secret", "isBootstrapTokenExpired");
  arg(now, is.date, "now", "isBootstrapTokenExpired");
  for (const k of ["data", "stringData"] as const) {
    const m = secret[k];
    if (m !== undefined && is.stringRecord(m) !== undefined) throw fail(`isBootstrapTokenExpired: secret.${k} must be a map of strings`, { field: k });
  }
  const raw =
    secret.stringData?.expiration ??
    (secret.data?.expiration !== undefined
      ? Buffer.from(secret.data.expiration, "base64").toString("utf8")
      : undefined);
  if (raw === undefined) return false;
  const t = Date.parse(raw);
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(raw) || Number.isNaN(t)) {
    throw new TokenError("TOKEN_BOOTSTRAP_INVALID", "expiration is not an RFC 3339 time", { value: raw });
  }
  return now.getTime() >= t;
}

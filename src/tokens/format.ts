/**
 * K3s token strings (§2.1): `K10<caHash>::<username>:<password>` or `K10<caHash>::<id>.<secret>`.
 */
import { is } from "../internal/options.js";
import { TokenError } from "./errors.js";
import { requiredOptions, tokenText } from "./options.js";

/** Prefix of every full token. */
export const TOKEN_PREFIX = "K10";
/** Bootstrap token pattern (k8s `cluster-bootstrap`): 6-char id, 16-char secret, `[a-z0-9]`. */
export const BOOTSTRAP_TOKEN_PATTERN = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;

/** A parsed token. Exactly one of `password` / `bootstrap` carries the credential. */
export interface ParsedToken {
  /** 64 hex chars, or "" when the token carries no CA hash. */
  caHash: string;
  /** Username ("" for bare tokens and bootstrap tokens). */
  username: string;
  /** Password ("" for bootstrap tokens). */
  password: string;
  /** Set for bootstrap ("kubeadm-style") tokens. */
  bootstrap?: { id: string; secret: string };
}

/**
 * Parses a token exactly like K3s `parseToken` (§2.1): a bare string (no `K10` prefix) is a password with an
 * empty username, even when it contains `:`; a bare bootstrap token stays a bootstrap token; the CA hash
 * length must be 0 or 64 (its content is not checked, as in K3s).
 *
 * @example
 * ```ts
 * parseToken("K10" + "a".repeat(64) + "::server:abc123"); // { caHash: "aaa…", username: "server", password: "abc123" }
 * parseToken("server:abc123"); // { caHash: "", username: "", password: "server:abc123" }
 * ```
 * @throws TokenError `TOKEN_EMPTY` (`token must not be empty`), `TOKEN_CA_HASH_LENGTH`
 * (`invalid token CA hash length`), `TOKEN_FORMAT` (`invalid token format`)
 */
export function parseToken(token: string): ParsedToken {
  if (typeof token !== "string" || token.length === 0)
    throw new TokenError("TOKEN_EMPTY", "token must not be empty", { value: "" });
  let full = token;
  if (!token.startsWith(TOKEN_PREFIX))
    full = BOOTSTRAP_TOKEN_PATTERN.test(token) ? `${TOKEN_PREFIX}::${token}` : `${TOKEN_PREFIX}:::${token}`;
  const rest = full.slice(TOKEN_PREFIX.length);
  const sep = rest.indexOf("::");
  let caHash = "";
  let creds = rest;
  if (sep >= 0) {
    caHash = rest.slice(0, sep);
    creds = rest.slice(sep + 2);
    if (caHash.length !== 0 && caHash.length !== 64) {
      throw new TokenError("TOKEN_CA_HASH_LENGTH", "invalid token CA hash length", { value: caHash.length });
    }
  }
  const bts = BOOTSTRAP_TOKEN_PATTERN.exec(creds);
  if (bts)
    return {
      caHash,
      username: "",
      password: "",
      bootstrap: { id: bts[1] as string, secret: bts[2] as string },
    };
  const colon = creds.indexOf(":");
  if (colon < 0 || colon === creds.length - 1)
    throw new TokenError("TOKEN_FORMAT", "invalid token format", { value: "<redacted>" });
  return { caHash, username: creds.slice(0, colon), password: creds.slice(colon + 1) };
}

/**
 * Builds a full token `K10<caHash>::<username>:<password>` (or `K10<caHash>::<id>.<secret>` for a bootstrap
 * token), like K3s `Info.String()`.
 *
 * @example
 * ```ts
 * formatToken({ caHash, username: "server", password: "0123456789abcdef0123456789abcdef" });
 * formatToken({ caHash, bootstrapToken: "abcdef.0123456789abcdef" });
 * ```
 * @throws TokenError `TOKEN_CA_HASH_LENGTH` (hash not 0 or 64 hex chars), `TOKEN_FORMAT` (empty password,
 * `:` in the username, malformed bootstrap token)
 */
export function formatToken(parts: {
  caHash: string;
  username?: string;
  password?: string;
  bootstrapToken?: string;
}): string {
  const o = requiredOptions<{ caHash: string; username?: string; password?: string; bootstrapToken?: string }>(
    parts,
    { caHash: is.string, username: is.string, password: tokenText, bootstrapToken: tokenText },
    ["caHash"],
    "formatToken",
  );
  return format(o);
}

function format(parts: { caHash: string; username?: string; password?: string; bootstrapToken?: string }): string {
  const { caHash } = parts;
  if (caHash !== "" && !/^[0-9a-f]{64}$/.test(caHash)) {
    throw new TokenError("TOKEN_CA_HASH_LENGTH", "CA hash must be empty or 64 lowercase hex characters", {
      value: caHash.length,
    });
  }
  if (parts.bootstrapToken !== undefined) {
    if (!BOOTSTRAP_TOKEN_PATTERN.test(parts.bootstrapToken))
      throw new TokenError("TOKEN_FORMAT", "bootstrap token must match [a-z0-9]{6}.[a-z0-9]{16}", {
        value: "<redacted>",
      });
    return `${TOKEN_PREFIX}${caHash}::${parts.bootstrapToken}`;
  }
  const username = parts.username ?? "";
  const password = parts.password ?? "";
  if (password === "") throw new TokenError("TOKEN_FORMAT", "password must not be empty", { value: "" });
  if (username.includes(":"))
    throw new TokenError("TOKEN_FORMAT", "username must not contain ':'", { value: username });
  return `${TOKEN_PREFIX}${caHash}::${username}:${password}`;
}

/**
 * K3s `normalizeToken` for `token rotate` (§2.4): the password part of a full or bare token. Bootstrap tokens
 * and unparsable values are refused with K3s's message.
 *
 * @example
 * ```ts
 * normalizeServerToken("K10…::server:abc"); // "abc"
 * ```
 * @throws TokenError `TOKEN_NORMALIZE`
 */
export function normalizeServerToken(token: string): string {
  let parsed: ParsedToken;
  try {
    parsed = parseToken(token);
  } catch (cause) {
    throw normalizeError(cause);
  }
  if (parsed.bootstrap) throw normalizeError(undefined);
  return parsed.password;
}

function normalizeError(cause: unknown): TokenError {
  return new TokenError(
    "TOKEN_NORMALIZE",
    "failed to normalize server token; must be in format K10<CA-HASH>::<USERNAME>:<PASSWORD> or <PASSWORD>",
    { value: "<redacted>", ...(cause ? { cause } : {}) },
  );
}

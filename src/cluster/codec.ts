/**
 * K3s's bootstrap data, byte for byte (pkg/cluster/encrypt.go, pkg/bootstrap/bootstrap.go). Pure: values in,
 * values out; node:crypto only.
 *
 * - key: `/bootstrap/` + the first 12 hex chars of sha256(passphrase);
 * - value: `<salt>:<base64(nonce ‖ AES-256-GCM(ciphertext ‖ tag))>`, salt = 8 random bytes hex-encoded and
 *   used as text, key = PBKDF2-SHA1(passphrase, salt, 4096 rounds, 32 bytes), 12-byte random nonce;
 * - plaintext: Go's JSON of `map[string]File{Timestamp time.Time; Content []byte}` (keys sorted, a trailing
 *   newline from `json.Encoder`), or the old `map[string][]byte` that K3s still migrates on read.
 *
 * The passphrase is the normalised server token (the password part of `K10<hash>::server:<password>`).
 */
import { createCipheriv, createDecipheriv, createHash, pbkdf2Sync, randomBytes } from "node:crypto";
import { normalizeServerToken } from "../tokens/index.js";
import type { BootstrapData, BootstrapFile, BootstrapFormat } from "./data.js";
import { ClusterError } from "./errors.js";
import { arg, bootstrapData, bytes, copyData, options as checkedOptions, secret, secretArg, textOrBytes } from "./options.js";
import { GO_ZERO_TIME, parseTimestamp } from "./time.js";

export type { BootstrapData, BootstrapFile, BootstrapFormat } from "./data.js";


const PBKDF2_ROUNDS = 4096;
const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const SALT_BYTES = 8;
/** Go's base64.StdEncoding (padded, no whitespace). */
const STD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The datastore key prefix every K3s bootstrap key lives under. */
export const BOOTSTRAP_PREFIX = "/bootstrap/";

/**
 * K3s `storageKey(passphrase)`: the datastore key for an already normalised passphrase (`""` gives the key
 * of data encrypted with the empty string, which K3s migrates). Pure.
 * @example
 * ```ts
 * bootstrapKeyForPassphrase("abc"); // "/bootstrap/ba7816bf8f01"
 * ```
 */
export function bootstrapKeyForPassphrase(passphrase: string): string {
  return keyForPassphrase(secretArg(passphrase, secret, "passphrase", "bootstrapKeyForPassphrase"));
}

/** {@link bootstrapKeyForPassphrase} on a checked passphrase. @internal */
export function keyForPassphrase(passphrase: string): string {
  return BOOTSTRAP_PREFIX + createHash("sha256").update(passphrase, "utf8").digest("hex").slice(0, 12);
}

/**
 * The datastore key of the bootstrap data for a server token (full `K10…::server:<pw>` or bare). Pure.
 * @example
 * ```ts
 * bootstrapKey("K10abc::server:abc") === bootstrapKey("abc"); // true
 * ```
 * @throws TokenError `TOKEN_NORMALIZE` (a bootstrap-format or unparsable token)
 */
export function bootstrapKey(token: string): string {
  return keyForPassphrase(normalizeServerToken(secretArg(token, secret, "token", "bootstrapKey")));
}

function deriveKey(passphrase: string, salt: string): Buffer {
  return pbkdf2Sync(
    Buffer.from(passphrase, "utf8"),
    Buffer.from(salt, "utf8"),
    PBKDF2_ROUNDS,
    KEY_BYTES,
    "sha1",
  );
}

/**
 * K3s `encrypt`: seals `plaintext` under `passphrase`. `salt` (text) and `nonce` (12 bytes) are random
 * unless given (tests). Pure apart from the randomness.
 * @example
 * ```ts
 * const value = encryptBootstrapValue("pw", Buffer.from("{}\n")); // "3f9a…:base64…"
 * ```
 * @throws ClusterError `CLUSTER_OPTION_INVALID` (a salt with ":" or a nonce not 12 bytes)
 */
export function encryptBootstrapValue(
  passphrase: string,
  plaintext: Uint8Array,
  options: { salt?: string; nonce?: Uint8Array } = {},
): string {
  const what = "encryptBootstrapValue";
  return encryptValue(
    secretArg(passphrase, secret, "passphrase", what),
    arg<Uint8Array>(plaintext, bytes, "plaintext", what),
    sealOptions(options, what),
  );
}

/** The test hooks of the encrypting functions: a fixed salt (text without ':') and nonce (12 bytes). */
function sealOptions(options: unknown, what: string): { salt?: string; nonce?: Uint8Array } {
  return checkedOptions<{ salt?: string; nonce?: Uint8Array }>(
    options,
    {
      salt: (v) => (typeof v !== "string" || v.length > 1024 ? "must be a string of at most 1024 characters" : undefined),
      nonce: bytes,
    },
    what,
  );
}

/** {@link encryptBootstrapValue} on checked values. @internal */
export function encryptValue(
  passphrase: string,
  plaintext: Uint8Array,
  options: { salt?: string; nonce?: Uint8Array } = {},
): string {
  const salt = options.salt ?? randomBytes(SALT_BYTES).toString("hex");
  if (salt.includes(":"))
    throw new ClusterError("CLUSTER_OPTION_INVALID", "salt must not contain ':'", { value: salt });
  const nonce = options.nonce ?? randomBytes(NONCE_BYTES);
  if (nonce.length !== NONCE_BYTES)
    throw new ClusterError("CLUSTER_OPTION_INVALID", `nonce must be ${NONCE_BYTES} bytes`, {
      value: nonce.length,
    });
  const cipher = createCipheriv("aes-256-gcm", deriveKey(passphrase, salt), nonce);
  const sealed = Buffer.concat([nonce, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return `${salt}:${sealed.toString("base64")}`;
}

/**
 * K3s `decrypt`: opens a value written by {@link encryptBootstrapValue} (or by K3s). Pure.
 * @example
 * ```ts
 * decryptBootstrapValue("pw", value).toString(); // "{}\n"
 * ```
 * @throws ClusterError `CLUSTER_BOOTSTRAP_FORMAT` (not `salt:base64`, too short), `CLUSTER_BOOTSTRAP_DECRYPT`
 * (wrong passphrase or altered data)
 */
export function decryptBootstrapValue(passphrase: string, value: string | Uint8Array): Buffer {
  const what = "decryptBootstrapValue";
  return decryptValue(secretArg(passphrase, secret, "passphrase", what), arg<string | Uint8Array>(value, textOrBytes, "value", what));
}

/** {@link decryptBootstrapValue} on checked values. @internal */
export function decryptValue(passphrase: string, value: string | Uint8Array): Buffer {
  const text = typeof value === "string" ? value : Buffer.from(value).toString("utf8");
  const colon = text.indexOf(":");
  if (colon < 0)
    throw new ClusterError("CLUSTER_BOOTSTRAP_FORMAT", "invalid cipher text, not : delimited", {
      value: text.length,
    });
  const salt = text.slice(0, colon);
  const b64 = text.slice(colon + 1);
  if (!STD_BASE64.test(b64))
    throw new ClusterError("CLUSTER_BOOTSTRAP_FORMAT", "bootstrap cipher text is not standard base64", {
      value: b64.length,
    });
  const data = Buffer.from(b64, "base64");
  if (data.length < NONCE_BYTES + TAG_BYTES)
    throw new ClusterError("CLUSTER_BOOTSTRAP_FORMAT", "bootstrap cipher text is too short", {
      value: data.length,
    });
  const decipher = createDecipheriv(
    "aes-256-gcm",
    deriveKey(passphrase, salt),
    data.subarray(0, NONCE_BYTES),
  );
  decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
  try {
    return Buffer.concat([
      decipher.update(data.subarray(NONCE_BYTES, data.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch (cause) {
    throw new ClusterError(
      "CLUSTER_BOOTSTRAP_DECRYPT",
      "bootstrap data does not open with this token (wrong token, or the data was altered)",
      { value: "<redacted>", cause },
    );
  }
}

/**
 * The plaintext K3s writes (`json.NewEncoder(w).Encode(map[string]File)`): keys sorted, `Content` base64,
 * a trailing newline. Pure.
 * @example
 * ```ts
 * encodeBootstrapData({ ServerCA: { timestamp: "2024-01-01T00:00:00Z", content: pem } });
 * ```
 * @throws ClusterError `CLUSTER_BOOTSTRAP_JSON` (a timestamp that is not RFC 3339)
 */
export function encodeBootstrapData(data: BootstrapData): Buffer {
  return encodeData(arg<BootstrapData>(data, bootstrapData, "data", "encodeBootstrapData"));
}

/** {@link encodeBootstrapData} on checked data. @internal */
export function encodeData(data: BootstrapData): Buffer {
  const parts: string[] = [];
  for (const name of Object.keys(data).sort()) {
    const file = data[name] as BootstrapFile;
    parseTimestamp(file.timestamp);
    parts.push(
      `${JSON.stringify(name)}:{"Timestamp":${JSON.stringify(file.timestamp)},"Content":${JSON.stringify(Buffer.from(file.content).toString("base64"))}}`,
    );
  }
  return Buffer.from(`{${parts.join(",")}}\n`, "utf8");
}

function jsonError(message: string, value: unknown, cause?: unknown): ClusterError {
  return new ClusterError("CLUSTER_BOOTSTRAP_JSON", message, { value, ...(cause ? { cause } : {}) });
}

function base64Field(v: unknown, what: string): Buffer {
  if (v === null) return Buffer.alloc(0);
  if (typeof v !== "string" || !STD_BASE64.test(v)) throw jsonError(`${what} is not base64 text`, what);
  return Buffer.from(v, "base64");
}

/** Go's case-insensitive struct field lookup (an exact match first). */
function goField(o: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(o, name)) return o[name];
  const lower = name.toLowerCase();
  for (const k of Object.keys(o)) if (k.toLowerCase() === lower) return o[k];
  return undefined;
}

function decodeFiles(obj: Record<string, unknown>): BootstrapData {
  // Null prototype: a field named `__proto__` (own key from JSON.parse) stays data.
  const out = Object.create(null) as BootstrapData;
  for (const [name, v] of Object.entries(obj)) {
    if (v === null) {
      out[name] = { timestamp: GO_ZERO_TIME, content: Buffer.alloc(0) };
      continue;
    }
    if (typeof v !== "object" || Array.isArray(v)) throw jsonError(`${name} is not an object`, name);
    const ts = goField(v as Record<string, unknown>, "Timestamp");
    const content = goField(v as Record<string, unknown>, "Content");
    let timestamp = GO_ZERO_TIME;
    if (ts !== undefined && ts !== null) {
      if (typeof ts !== "string") throw jsonError(`${name}.Timestamp is not a string`, name);
      parseTimestamp(ts);
      timestamp = ts;
    }
    out[name] = {
      timestamp,
      content: content === undefined ? Buffer.alloc(0) : base64Field(content, `${name}.Content`),
    };
  }
  return out;
}

function decodeLegacy(obj: Record<string, unknown>): BootstrapData {
  const out = Object.create(null) as BootstrapData;
  for (const [name, v] of Object.entries(obj))
    out[name] = { timestamp: GO_ZERO_TIME, content: base64Field(v, name) };
  return out;
}

/**
 * Reads bootstrap plaintext in either layout, as K3s's `ReconcileBootstrapData` does: the `files` layout
 * first, else the old `map[string][]byte` (each file then gets Go's zero time, as K3s's migration does). Pure.
 * @example
 * ```ts
 * const { data, format } = decodeBootstrapData(plaintext);
 * ```
 * @throws ClusterError `CLUSTER_BOOTSTRAP_JSON`
 */
export function decodeBootstrapData(plaintext: Uint8Array): { data: BootstrapData; format: BootstrapFormat } {
  return decodeData(arg<Uint8Array>(plaintext, bytes, "plaintext", "decodeBootstrapData"));
}

/** {@link decodeBootstrapData} on checked bytes. @internal */
export function decodeData(plaintext: Uint8Array): { data: BootstrapData; format: BootstrapFormat } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(plaintext).toString("utf8"));
  } catch (cause) {
    throw jsonError("bootstrap data is not JSON", plaintext.length, cause);
  }
  if (parsed === null) return { data: Object.create(null) as BootstrapData, format: "files" };
  if (typeof parsed !== "object" || Array.isArray(parsed))
    throw jsonError("bootstrap data is not a JSON object", typeof parsed);
  const obj = parsed as Record<string, unknown>;
  try {
    return { data: decodeFiles(obj), format: "files" };
  } catch (filesError) {
    try {
      return { data: decodeLegacy(obj), format: "legacy" };
    } catch {
      throw filesError;
    }
  }
}

/**
 * Encrypts bootstrap data under a server token as K3s's `Save` does. Pure apart from the random salt and nonce.
 * @example
 * ```ts
 * const { key, value } = encodeBootstrap(token, await readBootstrapFromDisk(dataDir));
 * ```
 * @throws TokenError `TOKEN_NORMALIZE`; ClusterError `CLUSTER_BOOTSTRAP_JSON`
 */
export function encodeBootstrap(
  token: string,
  data: BootstrapData,
  options: { salt?: string; nonce?: Uint8Array } = {},
): { key: string; value: string } {
  const what = "encodeBootstrap";
  const passphrase = normalizeServerToken(secretArg(token, secret, "token", what));
  const checked = copyData(arg<BootstrapData>(data, bootstrapData, "data", what));
  const seal = sealOptions(options, what);
  return { key: keyForPassphrase(passphrase), value: encryptValue(passphrase, encodeData(checked), seal) };
}

/**
 * Decrypts and reads a bootstrap value with a server token (either plaintext layout). Pure.
 * @example
 * ```ts
 * const { data } = decodeBootstrap(token, kv.value);
 * data.ServerCA?.content.toString(); // "-----BEGIN CERTIFICATE-----…"
 * ```
 * @throws TokenError `TOKEN_NORMALIZE`; ClusterError `CLUSTER_BOOTSTRAP_FORMAT`, `CLUSTER_BOOTSTRAP_DECRYPT`,
 * `CLUSTER_BOOTSTRAP_JSON`
 */
export function decodeBootstrap(
  token: string,
  value: string | Uint8Array,
): { data: BootstrapData; format: BootstrapFormat } {
  const what = "decodeBootstrap";
  const passphrase = normalizeServerToken(secretArg(token, secret, "token", what));
  return decodeData(decryptValue(passphrase, arg<string | Uint8Array>(value, textOrBytes, "value", what)));
}

/**
 * Bootstrap data in the cluster's etcd, through the SDK's etcd client, as K3s's pkg/cluster/storage.go does:
 * list under `/bootstrap`, create-only writes (a txn on `createRevision == 0`), deletes guarded by the
 * key's `modRevision`, and the migration / rotation that re-encrypts under another token, new key first.
 */
import type { CallOptions, EtcdClient, KeyValue, RequestOp } from "../etcd/index.js";
import { type ServerTokenDatastore, normalizeServerToken } from "../tokens/index.js";
import { is } from "../internal/options.js";
import { decodeData, decryptValue, encodeData, encryptValue, keyForPassphrase } from "./codec.js";
import type { BootstrapData, BootstrapFormat } from "./data.js";
import { ClusterError } from "./errors.js";
import {
  arg,
  bootstrapData,
  callSpec,
  copyData,
  etcdClient,
  key as keyCheck,
  options as checkedOptions,
  fail,
  secret,
  secretArg,
} from "./options.js";

/** The part of {@link EtcdClient} these functions use (any object with these methods works). */
export type BootstrapEtcdClient = Pick<EtcdClient, "range" | "txn">;

/** Per-call options: deadline and abort signal of each etcd call. */
export type BootstrapCallOptions = Pick<CallOptions, "signal" | "deadlineMs">;

/** K3s lists `/bootstrap` as a prefix (without the trailing slash). */
const LIST_PREFIX = "/bootstrap";

const putOp = (key: string, value: string): RequestOp => ({
  put: { key: Buffer.from(key), value: Buffer.from(value) },
});
const deleteOp = (key: string): RequestOp => ({ deleteRange: { key: Buffer.from(key) } });

const clientArg = (client: unknown, what: string): BootstrapEtcdClient => arg<BootstrapEtcdClient>(client, etcdClient, "client", what);
const callOptions = <T extends object = BootstrapCallOptions>(value: unknown, what: string, extra: Record<string, (v: unknown) => string | undefined> = {}): T =>
  checkedOptions<T>(value, { ...callSpec, ...extra } as never, what);
const tokenArg = (token: unknown, name: string, what: string): string =>
  normalizeServerToken(secretArg(token, secret, name, what));

/**
 * Every key under `/bootstrap` (K3s `storageClient.List(ctx, "/bootstrap", 0)`).
 * @example
 * ```ts
 * (await listBootstrapKeys(client)).map((kv) => kv.key.toString());
 * ```
 * @throws ClusterError `CLUSTER_OPTION_INVALID` (also: a client whose range answer has no kvs list); EtcdError
 */
export async function listBootstrapKeys(
  client: BootstrapEtcdClient,
  options: BootstrapCallOptions = {},
): Promise<KeyValue[]> {
  const what = "listBootstrapKeys";
  return list(clientArg(client, what), callOptions(options, what));
}

async function list(client: BootstrapEtcdClient, options: BootstrapCallOptions): Promise<KeyValue[]> {
  const res = await client.range({ key: LIST_PREFIX, prefix: true, ...options });
  const kvs = (res as { kvs?: unknown } | undefined)?.kvs;
  if (!Array.isArray(kvs) || !kvs.every((kv) => kv !== null && typeof kv === "object" && kv.key instanceof Uint8Array && kv.value instanceof Uint8Array))
    throw fail("client.range answered without a list of key-values", { option: "client" });
  return kvs as KeyValue[];
}

/**
 * K3s `Create`: writes `key` only when it does not exist. Returns false when it already existed ("key exists").
 * @example
 * ```ts
 * await createKey(client, "/bootstrap/abc", value); // true | false
 * ```
 * @throws ClusterError `CLUSTER_OPTION_INVALID`; EtcdError
 */
export async function createKey(
  client: BootstrapEtcdClient,
  key: string,
  value: string,
  options: BootstrapCallOptions = {},
): Promise<boolean> {
  const what = "createKey";
  return create(
    clientArg(client, what),
    arg<string>(key, keyCheck, "key", what),
    arg<string>(value, is.text, "value", what),
    callOptions(options, what),
  );
}

async function create(client: BootstrapEtcdClient, key: string, value: string, options: BootstrapCallOptions): Promise<boolean> {
  const res = await client.txn().compare(key, "create", "==", 0).onSuccess(putOp(key, value)).exec(options);
  return res.succeeded;
}

/** K3s `Update`/`Delete(key, revision)`: applies only while the key's modRevision is still `revision`. */
async function guarded(
  client: BootstrapEtcdClient,
  key: string,
  revision: number,
  write: RequestOp,
  options: BootstrapCallOptions,
): Promise<boolean> {
  const res = await client.txn().compare(key, "mod", "==", revision).onSuccess(write).exec(options);
  return res.succeeded;
}

/** One decrypted bootstrap entry as read from the datastore. */
export interface DatastoreBootstrap {
  key: string;
  data: BootstrapData;
  format: BootstrapFormat;
  modRevision: number;
}

/** Re-encrypts `kv` from `oldPass` to `newPass`: new key created first, old key deleted after (K3s doMigrateToken). */
async function migrate(
  client: BootstrapEtcdClient,
  kv: KeyValue,
  oldPass: string,
  newPass: string,
  options: BootstrapCallOptions,
): Promise<{ created: boolean; deletedOld: boolean }> {
  const plaintext = decryptValue(oldPass, kv.value);
  const created = await create(client, keyForPassphrase(newPass), encryptValue(newPass, plaintext), options);
  const deletedOld = await guarded(
    client,
    kv.key.toString(),
    kv.modRevision,
    deleteOp(kv.key.toString()),
    options,
  );
  return { created, deletedOld };
}

/**
 * Reads the bootstrap data for a server token as K3s's `getBootstrapKeyFromStorage` + `decrypt` do. Before
 * reading, data under the empty-string key or under the un-normalised token is migrated to the normalised
 * token's key (new key written, then the old one deleted), as K3s does on start; `migrate: false` skips that.
 * Returns undefined when the datastore holds no bootstrap key.
 * @example
 * ```ts
 * const found = await readBootstrapFromDatastore(client, token);
 * found?.data.ServerCA?.content.toString();
 * ```
 * @throws ClusterError `CLUSTER_BOOTSTRAP_TOKEN_MISMATCH` (only keys of another token), `CLUSTER_BOOTSTRAP_LOCKED`
 * (the key is K3s's empty lock: another server is populating it), `CLUSTER_BOOTSTRAP_DECRYPT`,
 * `CLUSTER_BOOTSTRAP_FORMAT`, `CLUSTER_BOOTSTRAP_JSON`; TokenError `TOKEN_NORMALIZE`; EtcdError
 */
export async function readBootstrapFromDatastore(
  client: BootstrapEtcdClient,
  token: string,
  options: BootstrapCallOptions & { migrate?: boolean } = {},
): Promise<DatastoreBootstrap | undefined> {
  const what = "readBootstrapFromDatastore";
  const c = clientArg(client, what);
  const raw = secretArg(token, secret, "token", what);
  const pass = normalizeServerToken(raw);
  const o = callOptions<BootstrapCallOptions & { migrate?: boolean }>(options, what, { migrate: is.boolean });
  return read(c, raw, pass, o);
}

async function read(
  client: BootstrapEtcdClient,
  token: string,
  pass: string,
  options: BootstrapCallOptions & { migrate?: boolean },
): Promise<DatastoreBootstrap | undefined> {
  const call: BootstrapCallOptions = { ...(options.signal ? { signal: options.signal } : {}), ...(options.deadlineMs ? { deadlineMs: options.deadlineMs } : {}) };
  const tokenKey = keyForPassphrase(pass);
  let kvs = await list(client, call);
  if (kvs.length === 0) return undefined;
  if (options.migrate !== false) {
    const emptyKey = keyForPassphrase("");
    const rawKey = keyForPassphrase(token);
    let migrated = false;
    for (const kv of kvs) {
      const k = kv.key.toString();
      if (k === emptyKey && k !== tokenKey) {
        await migrate(client, kv, "", pass, call);
        migrated = true;
      } else if (k === rawKey && rawKey !== tokenKey) {
        await migrate(client, kv, token, pass, call);
        migrated = true;
      }
    }
    if (migrated) kvs = await list(client, call);
  }
  const kv = kvs.find((x) => x.key.toString() === tokenKey);
  if (!kv)
    throw new ClusterError(
      "CLUSTER_BOOTSTRAP_TOKEN_MISMATCH",
      "bootstrap data already found and encrypted with different token",
      { value: kvs.map((x) => x.key.toString()) },
    );
  if (kv.value.length === 0)
    throw new ClusterError(
      "CLUSTER_BOOTSTRAP_LOCKED",
      "the bootstrap key is locked (empty): another server is populating it",
      { value: tokenKey },
    );
  const { data, format } = decodeData(decryptValue(pass, kv.value));
  return { key: tokenKey, data, format, modRevision: kv.modRevision };
}

/**
 * K3s `Save`: encrypts `data` under the token and creates its key. An existing key is kept (K3s warns
 * "bootstrap key already exists") unless `override`, or unless it is K3s's empty lock; then it is replaced while
 * its modRevision is unchanged. Data under another token is refused.
 * @example
 * ```ts
 * await saveBootstrapToDatastore(client, token, await readBootstrapFromDisk({ dataDir }));
 * ```
 * @returns `created` (new key), `updated` (replaced an existing one), or neither (kept the existing key)
 * @throws ClusterError `CLUSTER_BOOTSTRAP_TOKEN_MISMATCH`, `CLUSTER_BOOTSTRAP_JSON`; TokenError; EtcdError
 */
export async function saveBootstrapToDatastore(
  client: BootstrapEtcdClient,
  token: string,
  data: BootstrapData,
  options: BootstrapCallOptions & { override?: boolean } = {},
): Promise<{ key: string; created: boolean; updated: boolean }> {
  const what = "saveBootstrapToDatastore";
  const c = clientArg(client, what);
  const pass = tokenArg(token, "token", what);
  const checked = copyData(arg<BootstrapData>(data, bootstrapData, "data", what));
  const { override, ...call } = callOptions<BootstrapCallOptions & { override?: boolean }>(options, what, { override: is.boolean });
  const key = keyForPassphrase(pass);
  const value = encryptValue(pass, encodeData(checked));
  const kvs = await list(c, call);
  const current = kvs.find((x) => x.key.toString() === key);
  if (kvs.length > 0 && !current)
    throw new ClusterError(
      "CLUSTER_BOOTSTRAP_TOKEN_MISMATCH",
      "bootstrap data already found and encrypted with different token",
      { value: kvs.map((x) => x.key.toString()) },
    );
  if (await create(c, key, value, call)) return { key, created: true, updated: false };
  const now = (await list(c, call)).find((x) => x.key.toString() === key);
  if (now && (override === true || now.value.length === 0)) {
    const updated = await guarded(c, key, now.modRevision, putOp(key, value), call);
    return { key, created: false, updated };
  }
  return { key, created: false, updated: false };
}

/**
 * Step 1 of a token rotation: re-encrypts the data under `newToken` and creates its key; the old key stays,
 * so a crash here leaves data readable with either token. Idempotent (an existing new key is kept).
 * @example
 * ```ts
 * await addBootstrapToken(client, oldToken, newToken);
 * ```
 * @throws ClusterError `CLUSTER_BOOTSTRAP_MISSING` (no key for the old token and none for the new),
 * `CLUSTER_BOOTSTRAP_DECRYPT`; TokenError; EtcdError
 */
export async function addBootstrapToken(
  client: BootstrapEtcdClient,
  oldToken: string,
  newToken: string,
  options: BootstrapCallOptions = {},
): Promise<{ created: boolean }> {
  const what = "addBootstrapToken";
  return addToken(
    clientArg(client, what),
    tokenArg(oldToken, "oldToken", what),
    tokenArg(newToken, "newToken", what),
    callOptions(options, what),
  );
}

async function addToken(
  client: BootstrapEtcdClient,
  oldPass: string,
  newPass: string,
  options: BootstrapCallOptions,
): Promise<{ created: boolean }> {
  const oldKey = keyForPassphrase(oldPass);
  const newKey = keyForPassphrase(newPass);
  const kvs = await list(client, options);
  const old = kvs.find((x) => x.key.toString() === oldKey);
  if (!old || old.value.length === 0) {
    if (kvs.some((x) => x.key.toString() === newKey)) return { created: false };
    throw new ClusterError("CLUSTER_BOOTSTRAP_MISSING", "no bootstrap data under the old token", {
      value: oldKey,
    });
  }
  if (oldKey === newKey) return { created: false };
  const plaintext = decryptValue(oldPass, old.value);
  return { created: await create(client, newKey, encryptValue(newPass, plaintext), options) };
}

/**
 * Step 2 of a token rotation: deletes the old token's key, but only when the new token's key exists and opens
 * with the new token (so the datastore is never left without readable data). Idempotent.
 * @example
 * ```ts
 * await removeBootstrapToken(client, oldToken, newToken);
 * ```
 * @throws ClusterError `CLUSTER_BOOTSTRAP_MISSING` (no readable key for the new token); TokenError; EtcdError
 */
export async function removeBootstrapToken(
  client: BootstrapEtcdClient,
  oldToken: string,
  newToken: string,
  options: BootstrapCallOptions = {},
): Promise<{ deleted: boolean }> {
  const what = "removeBootstrapToken";
  return removeToken(
    clientArg(client, what),
    tokenArg(oldToken, "oldToken", what),
    tokenArg(newToken, "newToken", what),
    callOptions(options, what),
  );
}

async function removeToken(
  client: BootstrapEtcdClient,
  oldPass: string,
  newPass: string,
  options: BootstrapCallOptions,
): Promise<{ deleted: boolean }> {
  const oldKey = keyForPassphrase(oldPass);
  const newKey = keyForPassphrase(newPass);
  if (oldKey === newKey) return { deleted: false };
  const kvs = await list(client, options);
  const next = kvs.find((x) => x.key.toString() === newKey);
  if (!next || next.value.length === 0)
    throw new ClusterError(
      "CLUSTER_BOOTSTRAP_MISSING",
      "no bootstrap data under the new token; not deleting the old key",
      {
        value: newKey,
      },
    );
  decryptValue(newPass, next.value);
  const old = kvs.find((x) => x.key.toString() === oldKey);
  if (!old) return { deleted: false };
  return { deleted: await guarded(client, oldKey, old.modRevision, deleteOp(oldKey), options) };
}

/**
 * `k3s token rotate`'s datastore half in one call: {@link addBootstrapToken} then {@link removeBootstrapToken}.
 * @example
 * ```ts
 * await rotateBootstrapToken(client, oldToken, newToken);
 * ```
 */
export async function rotateBootstrapToken(
  client: BootstrapEtcdClient,
  oldToken: string,
  newToken: string,
  options: BootstrapCallOptions = {},
): Promise<{ created: boolean; deleted: boolean }> {
  const what = "rotateBootstrapToken";
  const c = clientArg(client, what);
  const oldPass = tokenArg(oldToken, "oldToken", what);
  const newPass = tokenArg(newToken, "newToken", what);
  const o = callOptions(options, what);
  const { created } = await addToken(c, oldPass, newPass, o);
  const { deleted } = await removeToken(c, oldPass, newPass, o);
  return { created, deleted };
}

/**
 * Adapts an etcd client to the `datastore` hook of `rotateServerToken` (k3s-node-kit/tokens), which calls
 * `addToken` before it rewrites the token files and `removeToken` after.
 * @example
 * ```ts
 * await rotateServerToken({ dataDir, newToken, datastore: bootstrapDatastore(client) });
 * ```
 */
export function bootstrapDatastore(
  client: BootstrapEtcdClient,
  options: BootstrapCallOptions = {},
): ServerTokenDatastore {
  const what = "bootstrapDatastore";
  const c = clientArg(client, what);
  const o = callOptions(options, what);
  // The hook's callers pass tokens in (rotateServerToken: normalised passwords); they are checked like any token.
  return {
    async addToken(oldToken, newToken) {
      await addToken(c, tokenArg(oldToken, "oldToken", "addToken"), tokenArg(newToken, "newToken", "addToken"), o);
    },
    async removeToken(oldToken, newToken) {
      await removeToken(c, tokenArg(oldToken, "oldToken", "removeToken"), tokenArg(newToken, "newToken", "removeToken"), o);
    },
  };
}

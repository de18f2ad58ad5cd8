import { EtcdError } from "./errors.js";
import {
  type AlarmType,
  type DeleteRangeResponse,
  decodeAlarmResponse,
  decodeDeleteRangeResponse,
  decodeFirstKv,
  decodeFirstValue,
  decodeHashKVResponse,
  decodeHeaderOnly,
  decodeLeaseGrantResponse,
  decodeLeaseLeasesResponse,
  decodeLeaseTimeToLiveResponse,
  decodeMembersResponse,
  decodePutResult,
  decodeRangeResponse,
  decodeRoleGetResponse,
  decodeStatusResponse,
  decodeStringsResponse,
  decodeTxnResponse,
  EMPTY_REQUEST,
  type KeyValue,
  type LeaseTimeToLiveResponse,
  type Member,
  type MembersResponse,
  type Permission,
  type PermissionType,
  type RangeResponse,
  type StatusResponse,
  type TxnRequest,
  writeAlarm,
  writeCompaction,
  writeDeleteRange,
  writeHashKV,
  writeLeaseGrant,
  writeLeaseId,
  writeLeaseTimeToLive,
  writeMemberAdd,
  writeMemberId,
  writeMemberUpdate,
  writePutKV,
  writeRange,
  writeRangeKey,
  writeRoleGrant,
  writeRoleRevoke,
  writeStrings,
  writeTxn,
  writeUserAdd,
} from "./gen/rpc.js";
import { callListener } from "./events.js";
import { KeepAliveImpl, type KeepAliveOptions, type LeaseKeepAlive } from "./keepalive.js";
import { type Bytes, type KeySelector, selectRange, toBytes } from "./keys.js";
import { type EtcdClientOptions, markChecked, normalizeOptions } from "./options.js";
import { type SnapshotOptions, type SnapshotResult, saveSnapshot } from "./snapshot.js";
import { encode, finishScratch, scratchWriter, Transport, type UnaryOptions } from "./transport.js";

export type { SnapshotOptions, SnapshotResult };

import { type RangeOptions, rangeRequest, TxnBuilder } from "./txn.js";
import { type Watcher, WatchManager, type WatchOptions } from "./watch.js";
import * as vd from "./validate.js";

/** Per-call options: a deadline (default: the client's `callDeadline` factory, else `deadlineMs`) and a signal. */
export interface CallOptions {
  signal?: AbortSignal;
  deadlineMs?: number;
}

/** Options of {@link EtcdClient.put}. */
export interface PutOptions extends CallOptions {
  /** Attach the key to this lease. */
  lease?: bigint;
  /** Return the previous key-value. */
  prevKv?: boolean;
}

const KV = "/etcdserverpb.KV/";
const LEASE = "/etcdserverpb.Lease/";
const CLUSTER = "/etcdserverpb.Cluster/";
const MAINT = "/etcdserverpb.Maintenance/";
const AUTH = "/etcdserverpb.Auth/";
const KV_RANGE = `${KV}Range`;
const KV_PUT = `${KV}Put`;

/** Shared unary options for calls without signal, deadline or endpoint (no object per call). */
const IDEMPOTENT: UnaryOptions = Object.freeze({ idempotent: true });
const NOT_IDEMPOTENT: UnaryOptions = Object.freeze({ idempotent: false });

/** A key or value as given when it is a string or bytes; else the typed ETCD_INVALID_ARGUMENT. */
function bytesArg(v: Bytes, what: string): Uint8Array | string {
  return typeof v === "string" ? v : toBytes(v, what);
}

/** Range request for one key, written straight into the scratch writer. */
function encodeGet(key: Bytes, o: { revision?: number; serializable?: boolean }): Buffer {
  const k = bytesArg(key, "key");
  const w = scratchWriter();
  writeRangeKey(w, k, o.revision, o.serializable);
  return finishScratch(w);
}

/**
 * An etcd v3 client over gRPC. Create it with {@link createEtcdClient}; `close()` it when done.
 */
export class EtcdClient {
  /** @internal */
  readonly transport: Transport;
  private readonly watches: WatchManager;
  private readonly keepAlives = new Set<KeepAliveImpl>();

  /** @internal */
  constructor(options: EtcdClientOptions) {
    this.transport = new Transport(normalizeOptions(options));
    this.watches = new WatchManager(this.transport);
  }

  #call<T>(
    path: string,
    body: Buffer,
    decode: (b: Buffer) => T,
    idempotent: boolean,
    o?: CallOptions & { endpoint?: string },
  ): Promise<T> {
    if (!o || (o.signal === undefined && o.deadlineMs === undefined && o.endpoint === undefined))
      return this.transport.unary(path, body, decode, idempotent ? IDEMPOTENT : NOT_IDEMPOTENT);
    return this.transport.unary(path, body, decode, {
      idempotent,
      signal: o?.signal,
      deadlineMs: o?.deadlineMs,
      endpoint: o?.endpoint,
    });
  }

  // ---------- KV ----------

  /**
   * Range read: one key, a prefix or `[key, rangeEnd)`, with limit, sort, keysOnly, countOnly and
   * a historical revision. Retried on transient errors (reads are idempotent).
   * @throws ETCD_COMPACTED, ETCD_FUTURE_REVISION, ETCD_DEADLINE_EXCEEDED, ETCD_UNAVAILABLE
   * @example
   * ```ts
   * const { kvs } = await client.range({ key: "/registry/", prefix: true, limit: 10 });
   * ```
   */
  async range(options: RangeOptions & CallOptions): Promise<RangeResponse> {
    options = vd.checkRange(options, "range");
    const req = rangeRequest(options);
    return this.#call(
      KV_RANGE,
      encode((w) => writeRange(w, req)),
      decodeRangeResponse,
      true,
      options,
    );
  }

  /**
   * The value of one key as UTF-8 text, or undefined when the key does not exist.
   * @example
   * ```ts
   * const v = await client.get("config");
   * ```
   */
  get(
    key: Bytes,
    options: CallOptions & { revision?: number; serializable?: boolean } = {},
  ): Promise<string | undefined> {
    return this.#getOne(key, options, decodeFirstValue);
  }

  /** The full key-value of one key (value as bytes, revisions, lease), or undefined. */
  getKv(
    key: Bytes,
    options: CallOptions & { revision?: number; serializable?: boolean } = {},
  ): Promise<KeyValue | undefined> {
    return this.#getOne(key, options, decodeFirstKv);
  }

  /** One-key Range; a bad key rejects (ETCD_INVALID_ARGUMENT) instead of throwing synchronously. */
  #getOne<T>(
    key: Bytes,
    options: CallOptions & { revision?: number; serializable?: boolean },
    decode: (b: Buffer) => T,
  ): Promise<T> {
    let body: Buffer;
    try {
      ({ key, options } = vd.checkGet(key, options, "get"));
      body = encodeGet(key, options);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#call(KV_RANGE, body, decode, true, options);
  }

  /**
   * Writes a key. Not retried once it may have reached etcd.
   * @returns the revision of the write and, with `prevKv`, the previous key-value.
   * @throws ETCD_LEASE_NOT_FOUND, ETCD_NO_SPACE, ETCD_DEADLINE_EXCEEDED, ETCD_UNAVAILABLE
   * @example
   * ```ts
   * const { revision } = await client.put("config", "v2");
   * ```
   */
  put(key: Bytes, value: Bytes, options?: PutOptions): Promise<{ revision: number; prevKv?: KeyValue }> {
    let body: Buffer;
    try {
      ({ key, value, options } = vd.checkPut(key, value, options, "put"));
      const k = bytesArg(key, "key");
      const v = bytesArg(value, "value");
      const w = scratchWriter();
      writePutKV(w, k, v, options?.lease, options?.prevKv);
      body = finishScratch(w);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#call(KV_PUT, body, decodePutResult, false, options);
  }

  /**
   * Deletes one key, a prefix, or a range. Not retried once sent.
   * @example
   * ```ts
   * const { deleted } = await client.delete({ key: "jobs/", prefix: true });
   * ```
   */
  async delete(
    keyOrSelector: Bytes | (KeySelector & { prevKv?: boolean }),
    options: CallOptions = {},
  ): Promise<DeleteRangeResponse> {
    keyOrSelector = vd.checkKeyOrSelector(keyOrSelector, "delete");
    options = vd.checkCall(options, "delete");
    const s =
      typeof keyOrSelector === "object" && !(keyOrSelector instanceof Uint8Array)
        ? keyOrSelector
        : { key: keyOrSelector };
    const { key, rangeEnd } = selectRange(s);
    const prevKv = "prevKv" in s ? s.prevKv : undefined;
    return this.#call(
      `${KV}DeleteRange`,
      encode((w) => writeDeleteRange(w, { key, rangeEnd, prevKv })),
      decodeDeleteRangeResponse,
      false,
      options,
    );
  }

  /**
   * Starts a transaction builder; finish with `.exec()`. Never retried once sent.
   * @example
   * ```ts
   * await client.txn().compare("k", "version", "==", 0).onSuccess(op.put("k", "v")).exec();
   * ```
   */
  txn(): TxnBuilder {
    return new TxnBuilder((req: TxnRequest, o) =>
      this.#call(
        `${KV}Txn`,
        encode((w) => writeTxn(w, req)),
        decodeTxnResponse,
        false,
        o,
      ),
    );
  }

  /**
   * Compacts the history up to `revision`. Idempotent (compacting twice fails with ETCD_COMPACTED).
   * @throws ETCD_COMPACTED, ETCD_FUTURE_REVISION
   */
  async compact(
    revision: number,
    options: CallOptions & { physical?: boolean } = {},
  ): Promise<{ revision: number }> {
    revision = vd.checkRevision(revision, "compact");
    options = vd.checkCall(options, "compact", { physical: vd.FIELDS.physical });
    const res = await this.#call(
      `${KV}Compact`,
      encode((w) => writeCompaction(w, { revision, physical: options.physical })),
      decodeHeaderOnly,
      false,
      options,
    );
    return { revision: res.header.revision };
  }

  // ---------- Watch ----------

  /**
   * Watches a key, prefix or range on the client's single multiplexed watch stream. On reconnect
   * it resumes after the last delivered revision: no event lost, none repeated.
   * @throws ETCD_INVALID_ARGUMENT; later, through `onError`: ETCD_WATCH_COMPACTED, ETCD_WATCH_CANCELED
   * @example
   * ```ts
   * const w = client.watch({ key: "jobs/", prefix: true, onEvents: (evs) => console.log(evs.length) });
   * await w.ready; ... await w.cancel();
   * ```
   */
  watch(options: WatchOptions): Watcher {
    options = vd.checkWatch(options, "watch");
    return this.watches.watch(options);
  }

  /** Asks etcd to send a progress notification to every watcher. */
  requestWatchProgress(): void {
    this.watches.requestProgress();
  }

  // ---------- Lease ----------

  /**
   * Grants a lease of `ttl` seconds. Not retried once sent (a retry could grant two leases).
   * @example
   * ```ts
   * const lease = await client.leaseGrant(10);
   * await client.put("alive", "1", { lease: lease.id });
   * ```
   */
  async leaseGrant(
    ttl: number,
    options: CallOptions & { id?: bigint } = {},
  ): Promise<{ id: bigint; ttl: number }> {
    ttl = vd.checkTtl(ttl, "leaseGrant");
    options = vd.checkCall(options, "leaseGrant", { id: vd.FIELDS.id });
    const res = await this.#call(
      `${LEASE}LeaseGrant`,
      encode((w) => writeLeaseGrant(w, { ttl, id: options.id })),
      decodeLeaseGrantResponse,
      false,
      options,
    );
    if (res.error)
      throw new EtcdError("ETCD_LEASE_GRANT_FAILED", `lease grant failed: ${res.error}`, {
        value: ttl,
        details: res.error,
      });
    return { id: res.id, ttl: res.ttl };
  }

  /** Revokes a lease (its keys are deleted). @throws ETCD_LEASE_NOT_FOUND */
  async leaseRevoke(id: bigint, options: CallOptions = {}): Promise<void> {
    id = vd.checkLeaseId(id, "leaseRevoke");
    options = vd.checkCall(options, "leaseRevoke");
    await this.#call(
      `${LEASE}LeaseRevoke`,
      encode((w) => writeLeaseId(w, id)),
      decodeHeaderOnly,
      false,
      options,
    );
  }

  /** Remaining TTL (−1 when expired/unknown), granted TTL and optionally the attached keys. */
  async leaseTimeToLive(
    id: bigint,
    options: CallOptions & { keys?: boolean } = {},
  ): Promise<LeaseTimeToLiveResponse> {
    id = vd.checkLeaseId(id, "leaseTimeToLive");
    options = vd.checkCall(options, "leaseTimeToLive", { keys: vd.FIELDS.keys });
    return this.#call(
      `${LEASE}LeaseTimeToLive`,
      encode((w) => writeLeaseTimeToLive(w, { id, keys: options.keys })),
      decodeLeaseTimeToLiveResponse,
      true,
      options,
    );
  }

  /** IDs of all live leases. */
  async leases(options: CallOptions = {}): Promise<bigint[]> {
    options = vd.checkCall(options, "leases");
    return (await this.#call(`${LEASE}LeaseLeases`, EMPTY_REQUEST, decodeLeaseLeasesResponse, true, options))
      .leases;
  }

  /**
   * Keeps a lease alive until `stop()`; `onLost` fires once if etcd reports it expired or no
   * renewal succeeded before its expiry.
   * @example
   * ```ts
   * const ka = client.keepAlive(lease, { onLost: () => process.exit(1) });
   * ```
   */
  keepAlive(lease: { id: bigint; ttl: number }, options: KeepAliveOptions = {}): LeaseKeepAlive {
    ({ lease, options } = vd.checkKeepAlive<typeof lease, KeepAliveOptions>(lease, options, "keepAlive"));
    const ka = new KeepAliveImpl(this.transport, lease.id, lease.ttl, {
      ...options,
      onLost: (info) => {
        this.keepAlives.delete(ka);
        this.transport.emit?.({ type: "etcd.lease.lost", leaseId: info.id.toString(), reason: info.reason });
        callListener(options.onLost, info);
      },
    });
    this.keepAlives.add(ka);
    return ka;
  }

  // ---------- Cluster ----------

  /** Lists the members. */
  async memberList(options: CallOptions = {}): Promise<Member[]> {
    options = vd.checkCall(options, "memberList");
    return (
      await this.#call(`${CLUSTER}MemberList`, EMPTY_REQUEST, (b) => decodeMembersResponse(b), true, options)
    ).members;
  }

  /** Adds a member (optionally as a learner). Not retried once sent. @throws ETCD_PEER_URL_EXISTS, ETCD_UNHEALTHY_CLUSTER */
  async memberAdd(
    peerURLs: readonly string[],
    options: CallOptions & { isLearner?: boolean } = {},
  ): Promise<MembersResponse> {
    peerURLs = vd.checkPeerUrls(peerURLs, "memberAdd");
    options = vd.checkCall(options, "memberAdd", { isLearner: vd.FIELDS.isLearner });
    return this.#call(
      `${CLUSTER}MemberAdd`,
      encode((w) => writeMemberAdd(w, { peerURLs, isLearner: options.isLearner })),
      (b) => decodeMembersResponse(b, true),
      false,
      options,
    );
  }

  /** Removes a member. @throws ETCD_MEMBER_NOT_FOUND */
  async memberRemove(id: bigint, options: CallOptions = {}): Promise<Member[]> {
    id = vd.checkMemberId(id, "memberRemove");
    options = vd.checkCall(options, "memberRemove");
    return (
      await this.#call(
        `${CLUSTER}MemberRemove`,
        encode((w) => writeMemberId(w, id)),
        (b) => decodeMembersResponse(b),
        false,
        options,
      )
    ).members;
  }

  /** Changes a member's peer URLs. @throws ETCD_MEMBER_NOT_FOUND */
  async memberUpdate(id: bigint, peerURLs: readonly string[], options: CallOptions = {}): Promise<Member[]> {
    id = vd.checkMemberId(id, "memberUpdate");
    peerURLs = vd.checkPeerUrls(peerURLs, "memberUpdate");
    options = vd.checkCall(options, "memberUpdate");
    return (
      await this.#call(
        `${CLUSTER}MemberUpdate`,
        encode((w) => writeMemberUpdate(w, { id, peerURLs })),
        (b) => decodeMembersResponse(b),
        true,
        options,
      )
    ).members;
  }

  /** Promotes a learner to a voting member (etcd ≥ 3.4). @throws ETCD_MEMBER_NOT_LEARNER, ETCD_LEARNER_NOT_READY, ETCD_UNSUPPORTED */
  async memberPromote(id: bigint, options: CallOptions = {}): Promise<Member[]> {
    id = vd.checkMemberId(id, "memberPromote");
    options = vd.checkCall(options, "memberPromote");
    return (
      await this.#call(
        `${CLUSTER}MemberPromote`,
        encode((w) => writeMemberId(w, id)),
        (b) => decodeMembersResponse(b),
        false,
        options,
      )
    ).members;
  }

  // ---------- Maintenance ----------

  /** Status of one member: the current endpoint, or `endpoint` (one of the client's URLs). */
  async status(options: CallOptions & { endpoint?: string } = {}): Promise<StatusResponse> {
    options = vd.checkCall(options, "status", { endpoint: vd.FIELDS.endpoint });
    return this.#call(`${MAINT}Status`, EMPTY_REQUEST, decodeStatusResponse, true, options);
  }

  /** Active alarms. */
  async alarms(options: CallOptions = {}): Promise<{ memberId: bigint; alarm: AlarmType }[]> {
    options = vd.checkCall(options, "alarms");
    return (
      await this.#call(
        `${MAINT}Alarm`,
        encode((w) => writeAlarm(w, { action: 0 })),
        decodeAlarmResponse,
        true,
        options,
      )
    ).alarms;
  }

  /** Clears an alarm (all members when `memberId` is 0). */
  async alarmDisarm(alarm: AlarmType, options: CallOptions & { memberId?: bigint } = {}): Promise<void> {
    alarm = vd.checkAlarm(alarm, "alarmDisarm");
    options = vd.checkCall(options, "alarmDisarm", { memberId: vd.FIELDS.memberId });
    await this.#call(
      `${MAINT}Alarm`,
      encode((w) => writeAlarm(w, { action: 2, alarm, memberId: options.memberId })),
      decodeAlarmResponse,
      true,
      options,
    );
  }

  /** Defragments one member's backend (default deadline 60 s from the default `callDeadline`: it blocks the member). */
  async defragment(options: CallOptions & { endpoint?: string } = {}): Promise<void> {
    options = vd.checkCall(options, "defragment", { endpoint: vd.FIELDS.endpoint });
    await this.#call(`${MAINT}Defragment`, EMPTY_REQUEST, decodeHeaderOnly, true, options);
  }

  /** Hash of the MVCC keyspace up to `revision` (0 = latest) on one member. */
  async hashKV(
    options: CallOptions & { revision?: number; endpoint?: string } = {},
  ): Promise<{ hash: number; compactRevision: number; header: { revision: number } }> {
    options = vd.checkCall(options, "hashKV", { revision: vd.FIELDS.revision, endpoint: vd.FIELDS.endpoint });
    return this.#call(
      `${MAINT}HashKV`,
      encode((w) => writeHashKV(w, options.revision ?? 0)),
      decodeHashKVResponse,
      true,
      options,
    );
  }

  /**
   * Streams a snapshot of the backend into `path` (atomically: temp file, then rename) and
   * verifies etcd's trailing sha256 over the data. The file keeps the trailer, as `etcdctl
   * snapshot save` does, so `etcdctl snapshot restore` accepts it.
   * It has a deadline like every call (default 300 s, see {@link SnapshotOptions.deadlineMs}).
   * @throws ETCD_SNAPSHOT_CHECKSUM, ETCD_SNAPSHOT_FAILED, ETCD_DEADLINE_EXCEEDED
   * @example
   * ```ts
   * const { sha256 } = await client.snapshot("/var/backups/etcd.db", { deadlineMs: 600_000 });
   * ```
   */
  async snapshot(path: string, options: SnapshotOptions = {}): Promise<SnapshotResult> {
    ({ path, options } = vd.checkSnapshot<SnapshotOptions>(path, options, "snapshot"));
    return saveSnapshot(this.transport, path, options);
  }

  // ---------- Auth ----------

  /** Enables authentication (needs user `root` with role `root`). @throws ETCD_ROOT_USER_MISSING */
  async authEnable(options: CallOptions = {}): Promise<void> {
    options = vd.checkCall(options, "authEnable");
    await this.#call(`${AUTH}AuthEnable`, EMPTY_REQUEST, decodeHeaderOnly, true, options);
  }
  /** Disables authentication. */
  async authDisable(options: CallOptions = {}): Promise<void> {
    options = vd.checkCall(options, "authDisable");
    await this.#call(`${AUTH}AuthDisable`, EMPTY_REQUEST, decodeHeaderOnly, true, options);
  }
  /** Adds a user (`noPassword` for certificate-only users). @throws ETCD_USER_EXISTS */
  async userAdd(
    name: string,
    password: string | undefined,
    options: CallOptions & { noPassword?: boolean } = {},
  ): Promise<void> {
    name = vd.checkName(name, "name", "userAdd");
    options = vd.checkCall(options, "userAdd", { noPassword: vd.FIELDS.noPassword });
    password = vd.checkPassword(password, "userAdd", options.noPassword === true || password === undefined);
    await this.#call(
      `${AUTH}UserAdd`,
      encode((w) => writeUserAdd(w, { name, password, noPassword: options.noPassword })),
      decodeHeaderOnly,
      false,
      options,
    );
  }
  /** Deletes a user. @throws ETCD_USER_NOT_FOUND */
  async userDelete(name: string, options: CallOptions = {}): Promise<void> {
    name = vd.checkName(name, "name", "userDelete");
    options = vd.checkCall(options, "userDelete");
    await this.#call(
      `${AUTH}UserDelete`,
      encode((w) => writeStrings(w, [name])),
      decodeHeaderOnly,
      false,
      options,
    );
  }
  /** The roles of a user. */
  async userGet(name: string, options: CallOptions = {}): Promise<string[]> {
    name = vd.checkName(name, "name", "userGet");
    options = vd.checkCall(options, "userGet");
    return (
      await this.#call(
        `${AUTH}UserGet`,
        encode((w) => writeStrings(w, [name])),
        decodeStringsResponse,
        true,
        options,
      )
    ).values;
  }
  /** All user names. */
  async userList(options: CallOptions = {}): Promise<string[]> {
    options = vd.checkCall(options, "userList");
    return (await this.#call(`${AUTH}UserList`, EMPTY_REQUEST, decodeStringsResponse, true, options)).values;
  }
  /** Changes a user's password. */
  async userChangePassword(name: string, password: string, options: CallOptions = {}): Promise<void> {
    name = vd.checkName(name, "name", "userChangePassword");
    password = vd.checkPassword(password, "userChangePassword") as string;
    options = vd.checkCall(options, "userChangePassword");
    await this.#call(
      `${AUTH}UserChangePassword`,
      encode((w) => writeStrings(w, [name, password])),
      decodeHeaderOnly,
      false,
      options,
    );
  }
  /** Grants a role to a user. */
  async userGrantRole(user: string, role: string, options: CallOptions = {}): Promise<void> {
    user = vd.checkName(user, "user", "userGrantRole");
    role = vd.checkName(role, "role", "userGrantRole");
    options = vd.checkCall(options, "userGrantRole");
    await this.#call(
      `${AUTH}UserGrantRole`,
      encode((w) => writeStrings(w, [user, role])),
      decodeHeaderOnly,
      false,
      options,
    );
  }
  /** Revokes a role from a user. */
  async userRevokeRole(user: string, role: string, options: CallOptions = {}): Promise<void> {
    user = vd.checkName(user, "user", "userRevokeRole");
    role = vd.checkName(role, "role", "userRevokeRole");
    options = vd.checkCall(options, "userRevokeRole");
    await this.#call(
      `${AUTH}UserRevokeRole`,
      encode((w) => writeStrings(w, [user, role])),
      decodeHeaderOnly,
      false,
      options,
    );
  }
  /** Adds a role. @throws ETCD_ROLE_EXISTS */
  async roleAdd(name: string, options: CallOptions = {}): Promise<void> {
    name = vd.checkName(name, "name", "roleAdd");
    options = vd.checkCall(options, "roleAdd");
    await this.#call(
      `${AUTH}RoleAdd`,
      encode((w) => writeStrings(w, [name])),
      decodeHeaderOnly,
      false,
      options,
    );
  }
  /** Deletes a role. */
  async roleDelete(name: string, options: CallOptions = {}): Promise<void> {
    name = vd.checkName(name, "name", "roleDelete");
    options = vd.checkCall(options, "roleDelete");
    await this.#call(
      `${AUTH}RoleDelete`,
      encode((w) => writeStrings(w, [name])),
      decodeHeaderOnly,
      false,
      options,
    );
  }
  /** The permissions of a role. */
  async roleGet(name: string, options: CallOptions = {}): Promise<Permission[]> {
    name = vd.checkName(name, "name", "roleGet");
    options = vd.checkCall(options, "roleGet");
    return (
      await this.#call(
        `${AUTH}RoleGet`,
        encode((w) => writeStrings(w, [name])),
        decodeRoleGetResponse,
        true,
        options,
      )
    ).perm;
  }
  /** All role names. */
  async roleList(options: CallOptions = {}): Promise<string[]> {
    options = vd.checkCall(options, "roleList");
    return (await this.#call(`${AUTH}RoleList`, EMPTY_REQUEST, decodeStringsResponse, true, options)).values;
  }
  /** Grants `permType` on a key, prefix or range to a role. */
  async roleGrantPermission(
    role: string,
    permType: PermissionType,
    selector: KeySelector,
    options: CallOptions = {},
  ): Promise<void> {
    role = vd.checkName(role, "role", "roleGrantPermission");
    permType = vd.checkPermType(permType, "roleGrantPermission");
    selector = vd.checkSelector(selector, "roleGrantPermission");
    options = vd.checkCall(options, "roleGrantPermission");
    const { key, rangeEnd } = selectRange(selector);
    await this.#call(
      `${AUTH}RoleGrantPermission`,
      encode((w) => writeRoleGrant(w, { role, permType, key, rangeEnd })),
      decodeHeaderOnly,
      false,
      options,
    );
  }
  /** Revokes a role's permission on a key, prefix or range. */
  async roleRevokePermission(role: string, selector: KeySelector, options: CallOptions = {}): Promise<void> {
    role = vd.checkName(role, "role", "roleRevokePermission");
    selector = vd.checkSelector(selector, "roleRevokePermission");
    options = vd.checkCall(options, "roleRevokePermission");
    const { key, rangeEnd } = selectRange(selector);
    await this.#call(
      `${AUTH}RoleRevokePermission`,
      encode((w) => writeRoleRevoke(w, { role, key, rangeEnd })),
      decodeHeaderOnly,
      false,
      options,
    );
  }

  /** The endpoint URLs this client uses. */
  get endpoints(): string[] {
    return this.transport.endpoints.map((e) => e.url);
  }

  /** Stops watches and keep-alives and closes all connections. */
  close(): void {
    this.watches.close();
    for (const ka of this.keepAlives) ka.stop();
    this.keepAlives.clear();
    this.transport.close();
  }
}

/**
 * Creates an etcd v3 client. Nothing is read from disk; connections start in the background.
 * @throws ETCD_OPTION_INVALID on a bad option (named in the message).
 * @example
 * ```ts
 * const client = createEtcdClient({ endpoints: ["https://127.0.0.1:2379"], tls: { ca, cert, key } });
 * await client.put("a", "1");
 * client.close();
 * ```
 */
export function createEtcdClient(options: EtcdClientOptions): EtcdClient {
  return new EtcdClient(options);
}

/** A client from options `checkClientOptions` already checked (an outer edge, e.g. etcdClientForK3s). @internal */
export function clientFromChecked(options: vd.CheckedClientOptions): EtcdClient {
  return new EtcdClient(markChecked(options));
}

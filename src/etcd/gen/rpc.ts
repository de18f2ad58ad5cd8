/**
 * etcd v3 API messages (etcdserverpb, mvccpb, authpb) as TypeScript types with encode/decode
 * functions. Hand-written (generator: none) from the field numbers of etcd's
 * api/etcdserverpb/rpc.proto, api/mvccpb/kv.proto and api/authpb/auth.proto; only the fields and
 * messages this client uses. Unknown fields are skipped, so newer servers stay compatible.
 *
 * Conventions: revisions, counts and TTLs are JS numbers (etcd revisions stay far below 2^53);
 * lease, member and cluster IDs are bigint (they use all 64 bits). Keys and values are Buffers
 * that view the received message (no copy).
 * @internal
 */
import { Reader, Writer } from "./wire.js";

// ---------- shared ----------

export interface ResponseHeader {
  clusterId: bigint;
  memberId: bigint;
  revision: number;
  raftTerm: number;
}

export interface KeyValue {
  key: Buffer;
  createRevision: number;
  modRevision: number;
  version: number;
  value: Buffer;
  lease: bigint;
}

export interface WatchEvent {
  type: "put" | "delete";
  kv: KeyValue;
  prevKv?: KeyValue;
}

const EMPTY: Buffer = /*@__PURE__*/ Buffer.alloc(0);

function emptyHeader(): ResponseHeader {
  return { clusterId: 0n, memberId: 0n, revision: 0, raftTerm: 0 };
}

function decodeHeader(r: Reader): ResponseHeader {
  const saved = r.enter();
  const end = r.end;
  const h = emptyHeader();
  while (r.pos < end) {
    const t = r.varint();
    switch (t) {
      case 8:
        h.clusterId = r.bigUint();
        break;
      case 16:
        h.memberId = r.bigUint();
        break;
      case 24:
        h.revision = r.varint();
        break;
      case 32:
        h.raftTerm = r.varint();
        break;
      default:
        r.skip(t & 7);
    }
  }
  r.leave(saved);
  return h;
}

export function decodeKeyValue(r: Reader): KeyValue {
  const saved = r.enter();
  const end = r.end;
  const kv: KeyValue = { key: EMPTY, createRevision: 0, modRevision: 0, version: 0, value: EMPTY, lease: 0n };
  while (r.pos < end) {
    const t = r.varint();
    switch (t) {
      case 10:
        kv.key = r.bytes();
        break;
      case 16:
        kv.createRevision = r.varint();
        break;
      case 24:
        kv.modRevision = r.varint();
        break;
      case 32:
        kv.version = r.varint();
        break;
      case 42:
        kv.value = r.bytes();
        break;
      case 48:
        kv.lease = r.bigInt();
        break;
      default:
        r.skip(t & 7);
    }
  }
  r.leave(saved);
  return kv;
}

function decodeEvent(r: Reader): WatchEvent {
  const saved = r.enter();
  const end = r.end;
  let type: "put" | "delete" = "put";
  let kv: KeyValue | undefined;
  let prevKv: KeyValue | undefined;
  while (r.pos < end) {
    const t = r.varint();
    switch (t) {
      case 8:
        type = r.varint() === 1 ? "delete" : "put";
        break;
      case 18:
        kv = decodeKeyValue(r);
        break;
      case 26:
        prevKv = decodeKeyValue(r);
        break;
      default:
        r.skip(t & 7);
    }
  }
  r.leave(saved);
  const ev: WatchEvent = {
    type,
    kv: kv ?? { key: EMPTY, createRevision: 0, modRevision: 0, version: 0, value: EMPTY, lease: 0n },
  };
  if (prevKv) ev.prevKv = prevKv;
  return ev;
}

/** Decodes a response that only carries a header (and fields we do not use). */
export function decodeHeaderOnly(buf: Buffer): { header: ResponseHeader } {
  const r = new Reader(buf);
  let header = emptyHeader();
  while (r.more()) {
    const t = r.varint();
    if (t === 10) header = decodeHeader(r);
    else r.skip(t & 7);
  }
  return { header };
}

export const EMPTY_REQUEST = /*@__PURE__*/ Buffer.alloc(0);

// ---------- KV ----------

export type SortOrder = "none" | "ascend" | "descend";
export type SortTarget = "key" | "version" | "create" | "mod" | "value";
const SORT_ORDER: Record<SortOrder, number> = { none: 0, ascend: 1, descend: 2 };
const SORT_TARGET: Record<SortTarget, number> = { key: 0, version: 1, create: 2, mod: 3, value: 4 };

export interface RangeRequest {
  key: Uint8Array;
  rangeEnd?: Uint8Array;
  limit?: number;
  revision?: number;
  sortOrder?: SortOrder;
  sortTarget?: SortTarget;
  serializable?: boolean;
  keysOnly?: boolean;
  countOnly?: boolean;
  minModRevision?: number;
  maxModRevision?: number;
  minCreateRevision?: number;
  maxCreateRevision?: number;
}

export interface RangeResponse {
  header: ResponseHeader;
  kvs: KeyValue[];
  more: boolean;
  count: number;
}

export function writeRange(w: Writer, m: RangeRequest): void {
  w.bytesField(1, m.key);
  w.bytesField(2, m.rangeEnd);
  w.int64Field(3, m.limit);
  w.int64Field(4, m.revision);
  if (m.sortOrder) w.int64Field(5, SORT_ORDER[m.sortOrder]);
  if (m.sortTarget) w.int64Field(6, SORT_TARGET[m.sortTarget]);
  w.boolField(7, m.serializable);
  w.boolField(8, m.keysOnly);
  w.boolField(9, m.countOnly);
  w.int64Field(10, m.minModRevision);
  w.int64Field(11, m.maxModRevision);
  w.int64Field(12, m.minCreateRevision);
  w.int64Field(13, m.maxCreateRevision);
}

function readRange(r: Reader, end: number): RangeResponse {
  const out: RangeResponse = { header: emptyHeader(), kvs: [], more: false, count: 0 };
  while (r.pos < end) {
    const t = r.varint();
    switch (t) {
      case 10:
        out.header = decodeHeader(r);
        break;
      case 18:
        out.kvs.push(decodeKeyValue(r));
        break;
      case 24:
        out.more = r.varint() !== 0;
        break;
      case 32:
        out.count = r.varint();
        break;
      default:
        r.skip(t & 7);
    }
  }
  return out;
}

export function decodeRangeResponse(buf: Buffer): RangeResponse {
  return readRange(new Reader(buf), buf.length);
}

/** The revision of a nested ResponseHeader; the other fields (bigint IDs) are skipped, not built. */
function headerRevision(r: Reader): number {
  const saved = r.enter();
  const end = r.end;
  let revision = 0;
  while (r.pos < end) {
    const t = r.varint();
    if (t === 24) revision = r.varint();
    else r.skip(t & 7);
  }
  r.leave(saved);
  return revision;
}

/** Range request for one key (the `get` fast path: no request object). */
export function writeRangeKey(
  w: Writer,
  key: Uint8Array | string,
  revision: number | undefined,
  serializable: boolean | undefined,
): void {
  w.bytesOrString(1, key);
  w.int64Field(4, revision);
  w.boolField(7, serializable);
}

/** The first key-value of a RangeResponse, or undefined; the rest is skipped (one-key reads). */
export function decodeFirstKv(buf: Buffer): KeyValue | undefined {
  const r = new Reader(buf);
  let kv: KeyValue | undefined;
  while (r.more()) {
    const t = r.varint();
    if (t === 18 && kv === undefined) kv = decodeKeyValue(r);
    else r.skip(t & 7);
  }
  return kv;
}

/** The value of the first key-value of a RangeResponse as UTF-8 text, or undefined when there is none. */
export function decodeFirstValue(buf: Buffer): string | undefined {
  const r = new Reader(buf);
  let value: string | undefined;
  while (r.more()) {
    const t = r.varint();
    if (t === 18 && value === undefined) {
      const saved = r.enter();
      const end = r.end;
      value = "";
      while (r.pos < end) {
        const k = r.varint();
        if (k === 42) value = r.string();
        else r.skip(k & 7);
      }
      r.leave(saved);
    } else r.skip(t & 7);
  }
  return value;
}

export interface PutRequest {
  key: Uint8Array;
  value: Uint8Array;
  lease?: bigint;
  prevKv?: boolean;
  ignoreValue?: boolean;
  ignoreLease?: boolean;
}

export interface PutResponse {
  header: ResponseHeader;
  prevKv?: KeyValue;
}

export function writePut(w: Writer, m: PutRequest): void {
  w.bytesField(1, m.key);
  w.bytesField(2, m.value);
  w.bigField(3, m.lease);
  w.boolField(4, m.prevKv);
  w.boolField(5, m.ignoreValue);
  w.boolField(6, m.ignoreLease);
}

function readPut(r: Reader, end: number): PutResponse {
  const out: PutResponse = { header: emptyHeader() };
  while (r.pos < end) {
    const t = r.varint();
    if (t === 10) out.header = decodeHeader(r);
    else if (t === 18) out.prevKv = decodeKeyValue(r);
    else r.skip(t & 7);
  }
  return out;
}

export function decodePutResponse(buf: Buffer): PutResponse {
  return readPut(new Reader(buf), buf.length);
}

/** Put request from a key and value as given (strings are written as UTF-8 without a copy). */
export function writePutKV(
  w: Writer,
  key: Uint8Array | string,
  value: Uint8Array | string,
  lease: bigint | undefined,
  prevKv: boolean | undefined,
): void {
  w.bytesOrString(1, key);
  w.bytesOrString(2, value);
  w.bigField(3, lease);
  w.boolField(4, prevKv);
}

/** What `put` returns, decoded straight from a PutResponse (only the header's revision is read). */
export function decodePutResult(buf: Buffer): { revision: number; prevKv?: KeyValue } {
  const r = new Reader(buf);
  let revision = 0;
  let prevKv: KeyValue | undefined;
  while (r.more()) {
    const t = r.varint();
    if (t === 10) revision = headerRevision(r);
    else if (t === 18) prevKv = decodeKeyValue(r);
    else r.skip(t & 7);
  }
  return prevKv ? { revision, prevKv } : { revision };
}

export interface DeleteRangeRequest {
  key: Uint8Array;
  rangeEnd?: Uint8Array;
  prevKv?: boolean;
}

export interface DeleteRangeResponse {
  header: ResponseHeader;
  deleted: number;
  prevKvs: KeyValue[];
}

export function writeDeleteRange(w: Writer, m: DeleteRangeRequest): void {
  w.bytesField(1, m.key);
  w.bytesField(2, m.rangeEnd);
  w.boolField(3, m.prevKv);
}

function readDeleteRange(r: Reader, end: number): DeleteRangeResponse {
  const out: DeleteRangeResponse = { header: emptyHeader(), deleted: 0, prevKvs: [] };
  while (r.pos < end) {
    const t = r.varint();
    if (t === 10) out.header = decodeHeader(r);
    else if (t === 16) out.deleted = r.varint();
    else if (t === 26) out.prevKvs.push(decodeKeyValue(r));
    else r.skip(t & 7);
  }
  return out;
}

export function decodeDeleteRangeResponse(buf: Buffer): DeleteRangeResponse {
  return readDeleteRange(new Reader(buf), buf.length);
}

export type CompareResult = "equal" | "greater" | "less" | "not-equal";
export type CompareTarget = "version" | "create" | "mod" | "value" | "lease";
const CMP_RESULT: Record<CompareResult, number> = { equal: 0, greater: 1, less: 2, "not-equal": 3 };
const CMP_TARGET: Record<CompareTarget, number> = { version: 0, create: 1, mod: 2, value: 3, lease: 4 };

export interface Compare {
  key: Uint8Array;
  rangeEnd?: Uint8Array;
  result: CompareResult;
  target: CompareTarget;
  /** For version/create/mod targets. */
  number?: number;
  /** For the value target. */
  value?: Uint8Array;
  /** For the lease target. */
  lease?: bigint;
}

export type RequestOp =
  | { range: RangeRequest }
  | { put: PutRequest }
  | { deleteRange: DeleteRangeRequest }
  | { txn: TxnRequest };

export interface TxnRequest {
  compare: Compare[];
  success: RequestOp[];
  failure: RequestOp[];
}

export type ResponseOp =
  | { range: RangeResponse }
  | { put: PutResponse }
  | { deleteRange: DeleteRangeResponse }
  | { txn: TxnResponse };

export interface TxnResponse {
  header: ResponseHeader;
  succeeded: boolean;
  responses: ResponseOp[];
}

function writeCompare(w: Writer, c: Compare): void {
  // result and target are enums whose zero value is meaningful, but proto3 omits zero anyway.
  w.int64Field(1, CMP_RESULT[c.result]);
  w.int64Field(2, CMP_TARGET[c.target]);
  w.bytesField(3, c.key);
  switch (c.target) {
    case "version":
      if (c.number !== undefined) {
        w.tag(4, 0);
        w.int64(c.number);
      }
      break;
    case "create":
      if (c.number !== undefined) {
        w.tag(5, 0);
        w.int64(c.number);
      }
      break;
    case "mod":
      if (c.number !== undefined) {
        w.tag(6, 0);
        w.int64(c.number);
      }
      break;
    case "value":
      // A oneof member is sent even when empty, so "value equals empty" works.
      w.bytesAlways(7, c.value ?? EMPTY);
      break;
    case "lease":
      w.tag(8, 0);
      w.big(c.lease ?? 0n);
      break;
  }
  w.bytesField(64, c.rangeEnd);
}

function writeOp(w: Writer, op: RequestOp): void {
  if ("range" in op) {
    const m = w.begin(1);
    writeRange(w, op.range);
    w.end(m);
  } else if ("put" in op) {
    const m = w.begin(2);
    writePut(w, op.put);
    w.end(m);
  } else if ("deleteRange" in op) {
    const m = w.begin(3);
    writeDeleteRange(w, op.deleteRange);
    w.end(m);
  } else {
    const m = w.begin(4);
    writeTxn(w, op.txn);
    w.end(m);
  }
}

export function writeTxn(w: Writer, m: TxnRequest): void {
  for (const c of m.compare) {
    const mark = w.begin(1);
    writeCompare(w, c);
    w.end(mark);
  }
  for (const op of m.success) {
    const mark = w.begin(2);
    writeOp(w, op);
    w.end(mark);
  }
  for (const op of m.failure) {
    const mark = w.begin(3);
    writeOp(w, op);
    w.end(mark);
  }
}

function readResponseOp(r: Reader): ResponseOp | undefined {
  const saved = r.enter();
  const end = r.end;
  let out: ResponseOp | undefined;
  while (r.pos < end) {
    const t = r.varint();
    if ((t & 7) !== 2) {
      r.skip(t & 7);
      continue;
    }
    const savedSub = r.enter();
    const subEnd = r.end;
    switch (t >>> 3) {
      case 1:
        out = { range: readRange(r, subEnd) };
        break;
      case 2:
        out = { put: readPut(r, subEnd) };
        break;
      case 3:
        out = { deleteRange: readDeleteRange(r, subEnd) };
        break;
      case 4:
        out = { txn: readTxn(r, subEnd) };
        break;
      default:
        r.pos = subEnd;
    }
    r.leave(savedSub);
  }
  r.leave(saved);
  return out;
}

function readTxn(r: Reader, end: number): TxnResponse {
  const out: TxnResponse = { header: emptyHeader(), succeeded: false, responses: [] };
  while (r.pos < end) {
    const t = r.varint();
    if (t === 10) out.header = decodeHeader(r);
    else if (t === 16) out.succeeded = r.varint() !== 0;
    else if (t === 26) {
      const op = readResponseOp(r);
      if (op) out.responses.push(op);
    } else r.skip(t & 7);
  }
  return out;
}

export function decodeTxnResponse(buf: Buffer): TxnResponse {
  return readTxn(new Reader(buf), buf.length);
}

export function writeCompaction(w: Writer, m: { revision: number; physical?: boolean }): void {
  w.int64Field(1, m.revision);
  w.boolField(2, m.physical);
}

// ---------- Watch ----------

export interface WatchCreateRequest {
  key: Uint8Array;
  rangeEnd?: Uint8Array;
  startRevision?: number;
  progressNotify?: boolean;
  /** 0 = NOPUT, 1 = NODELETE */
  filters?: number[];
  prevKv?: boolean;
  watchId?: number;
}

export function writeWatchCreate(w: Writer, m: WatchCreateRequest): void {
  const mark = w.begin(1);
  w.bytesField(1, m.key);
  w.bytesField(2, m.rangeEnd);
  w.int64Field(3, m.startRevision);
  w.boolField(4, m.progressNotify);
  if (m.filters && m.filters.length > 0) {
    // packed repeated enum
    const f = w.begin(5);
    for (const x of m.filters) w.uvarint(x);
    w.end(f);
  }
  w.boolField(6, m.prevKv);
  w.int64Field(7, m.watchId);
  w.end(mark);
}

export function writeWatchCancel(w: Writer, watchId: number): void {
  const mark = w.begin(2);
  // watch id 0 is valid; write it explicitly.
  w.tag(1, 0);
  w.int64(watchId);
  w.end(mark);
}

export function writeWatchProgress(w: Writer): void {
  const mark = w.begin(3);
  w.end(mark);
}

export interface WatchResponse {
  header: ResponseHeader;
  watchId: number;
  created: boolean;
  canceled: boolean;
  compactRevision: number;
  cancelReason: string;
  fragment: boolean;
  events: WatchEvent[];
}

export function decodeWatchResponse(buf: Buffer): WatchResponse {
  const r = new Reader(buf);
  const out: WatchResponse = {
    header: emptyHeader(),
    watchId: 0,
    created: false,
    canceled: false,
    compactRevision: 0,
    cancelReason: "",
    fragment: false,
    events: [],
  };
  while (r.more()) {
    const t = r.varint();
    switch (t) {
      case 10:
        out.header = decodeHeader(r);
        break;
      case 16:
        out.watchId = r.varint();
        break;
      case 24:
        out.created = r.varint() !== 0;
        break;
      case 32:
        out.canceled = r.varint() !== 0;
        break;
      case 40:
        out.compactRevision = r.varint();
        break;
      case 50:
        out.cancelReason = r.string();
        break;
      case 56:
        out.fragment = r.varint() !== 0;
        break;
      case 90:
        out.events.push(decodeEvent(r));
        break;
      default:
        r.skip(t & 7);
    }
  }
  return out;
}

// ---------- Lease ----------

export interface LeaseGrantResponse {
  header: ResponseHeader;
  id: bigint;
  ttl: number;
  error: string;
}

export function writeLeaseGrant(w: Writer, m: { ttl: number; id?: bigint }): void {
  w.int64Field(1, m.ttl);
  w.bigField(2, m.id);
}

export function decodeLeaseGrantResponse(buf: Buffer): LeaseGrantResponse {
  const r = new Reader(buf);
  const out: LeaseGrantResponse = { header: emptyHeader(), id: 0n, ttl: 0, error: "" };
  while (r.more()) {
    const t = r.varint();
    if (t === 10) out.header = decodeHeader(r);
    else if (t === 16) out.id = r.bigInt();
    else if (t === 24) out.ttl = r.varint();
    else if (t === 34) out.error = r.string();
    else r.skip(t & 7);
  }
  return out;
}

/** LeaseRevoke and LeaseKeepAlive requests: just the ID in field 1. */
export function writeLeaseId(w: Writer, id: bigint): void {
  w.bigField(1, id);
}

export interface LeaseKeepAliveResponse {
  header: ResponseHeader;
  id: bigint;
  ttl: number;
}

export function decodeLeaseKeepAliveResponse(buf: Buffer): LeaseKeepAliveResponse {
  const r = new Reader(buf);
  const out: LeaseKeepAliveResponse = { header: emptyHeader(), id: 0n, ttl: 0 };
  while (r.more()) {
    const t = r.varint();
    if (t === 10) out.header = decodeHeader(r);
    else if (t === 16) out.id = r.bigInt();
    else if (t === 24) out.ttl = r.varint();
    else r.skip(t & 7);
  }
  return out;
}

export function writeLeaseTimeToLive(w: Writer, m: { id: bigint; keys?: boolean }): void {
  w.bigField(1, m.id);
  w.boolField(2, m.keys);
}

export interface LeaseTimeToLiveResponse {
  header: ResponseHeader;
  id: bigint;
  /** Remaining seconds; -1 when the lease has expired or does not exist. */
  ttl: number;
  grantedTtl: number;
  keys: Buffer[];
}

export function decodeLeaseTimeToLiveResponse(buf: Buffer): LeaseTimeToLiveResponse {
  const r = new Reader(buf);
  const out: LeaseTimeToLiveResponse = { header: emptyHeader(), id: 0n, ttl: 0, grantedTtl: 0, keys: [] };
  while (r.more()) {
    const t = r.varint();
    if (t === 10) out.header = decodeHeader(r);
    else if (t === 16) out.id = r.bigInt();
    else if (t === 24) out.ttl = r.varint();
    else if (t === 32) out.grantedTtl = r.varint();
    else if (t === 42) out.keys.push(r.bytes());
    else r.skip(t & 7);
  }
  return out;
}

export function decodeLeaseLeasesResponse(buf: Buffer): { header: ResponseHeader; leases: bigint[] } {
  const r = new Reader(buf);
  const out = { header: emptyHeader(), leases: [] as bigint[] };
  while (r.more()) {
    const t = r.varint();
    if (t === 10) out.header = decodeHeader(r);
    else if (t === 18) {
      const end = r.len() + r.pos;
      let id = 0n;
      while (r.pos < end) {
        const u = r.varint();
        if (u === 8) id = r.bigInt();
        else r.skip(u & 7);
      }
      out.leases.push(id);
    } else r.skip(t & 7);
  }
  return out;
}

// ---------- Cluster ----------

export interface Member {
  id: bigint;
  name: string;
  peerURLs: string[];
  clientURLs: string[];
  isLearner: boolean;
}

function decodeMember(r: Reader): Member {
  const end = r.len() + r.pos;
  const m: Member = { id: 0n, name: "", peerURLs: [], clientURLs: [], isLearner: false };
  while (r.pos < end) {
    const t = r.varint();
    if (t === 8) m.id = r.bigUint();
    else if (t === 18) m.name = r.string();
    else if (t === 26) m.peerURLs.push(r.string());
    else if (t === 34) m.clientURLs.push(r.string());
    else if (t === 40) m.isLearner = r.varint() !== 0;
    else r.skip(t & 7);
  }
  return m;
}

export interface MembersResponse {
  header: ResponseHeader;
  /** MemberAdd only: the member just added. */
  member?: Member;
  members: Member[];
}

/** Decodes MemberList/Remove/Update/Promote (members = field 2) and MemberAdd (member = 2, members = 3). */
export function decodeMembersResponse(buf: Buffer, isAdd = false): MembersResponse {
  const r = new Reader(buf);
  const out: MembersResponse = { header: emptyHeader(), members: [] };
  while (r.more()) {
    const t = r.varint();
    if (t === 10) out.header = decodeHeader(r);
    else if (t === 18) {
      if (isAdd) out.member = decodeMember(r);
      else out.members.push(decodeMember(r));
    } else if (t === 26 && isAdd) out.members.push(decodeMember(r));
    else r.skip(t & 7);
  }
  return out;
}

export function writeMemberAdd(w: Writer, m: { peerURLs: readonly string[]; isLearner?: boolean }): void {
  w.stringsField(1, m.peerURLs);
  w.boolField(2, m.isLearner);
}

export function writeMemberId(w: Writer, id: bigint): void {
  w.bigField(1, id);
}

export function writeMemberUpdate(w: Writer, m: { id: bigint; peerURLs: readonly string[] }): void {
  w.bigField(1, m.id);
  w.stringsField(2, m.peerURLs);
}

// ---------- Maintenance ----------

export interface StatusResponse {
  header: ResponseHeader;
  version: string;
  dbSize: number;
  leader: bigint;
  raftIndex: number;
  raftTerm: number;
  raftAppliedIndex: number;
  errors: string[];
  dbSizeInUse: number;
  isLearner: boolean;
}

export function decodeStatusResponse(buf: Buffer): StatusResponse {
  const r = new Reader(buf);
  const out: StatusResponse = {
    header: emptyHeader(),
    version: "",
    dbSize: 0,
    leader: 0n,
    raftIndex: 0,
    raftTerm: 0,
    raftAppliedIndex: 0,
    errors: [],
    dbSizeInUse: 0,
    isLearner: false,
  };
  while (r.more()) {
    const t = r.varint();
    switch (t) {
      case 10:
        out.header = decodeHeader(r);
        break;
      case 18:
        out.version = r.string();
        break;
      case 24:
        out.dbSize = r.varint();
        break;
      case 32:
        out.leader = r.bigUint();
        break;
      case 40:
        out.raftIndex = r.varint();
        break;
      case 48:
        out.raftTerm = r.varint();
        break;
      case 56:
        out.raftAppliedIndex = r.varint();
        break;
      case 66:
        out.errors.push(r.string());
        break;
      case 72:
        out.dbSizeInUse = r.varint();
        break;
      case 80:
        out.isLearner = r.varint() !== 0;
        break;
      default:
        r.skip(t & 7);
    }
  }
  return out;
}

export type AlarmType = "none" | "nospace" | "corrupt";
const ALARM_NAMES: AlarmType[] = ["none", "nospace", "corrupt"];
export const ALARM_TYPE: Record<AlarmType, number> = { none: 0, nospace: 1, corrupt: 2 };

export function writeAlarm(w: Writer, m: { action: 0 | 1 | 2; memberId?: bigint; alarm?: AlarmType }): void {
  w.int64Field(1, m.action);
  w.bigField(2, m.memberId);
  if (m.alarm) w.int64Field(3, ALARM_TYPE[m.alarm]);
}

export function decodeAlarmResponse(buf: Buffer): { header: ResponseHeader; alarms: { memberId: bigint; alarm: AlarmType }[] } {
  const r = new Reader(buf);
  const out = { header: emptyHeader(), alarms: [] as { memberId: bigint; alarm: AlarmType }[] };
  while (r.more()) {
    const t = r.varint();
    if (t === 10) out.header = decodeHeader(r);
    else if (t === 18) {
      const end = r.len() + r.pos;
      const a = { memberId: 0n, alarm: "none" as AlarmType };
      while (r.pos < end) {
        const u = r.varint();
        if (u === 8) a.memberId = r.bigUint();
        else if (u === 16) a.alarm = ALARM_NAMES[r.varint()] ?? "none";
        else r.skip(u & 7);
      }
      out.alarms.push(a);
    } else r.skip(t & 7);
  }
  return out;
}

export function writeHashKV(w: Writer, revision: number): void {
  w.int64Field(1, revision);
}

export function decodeHashKVResponse(buf: Buffer): { header: ResponseHeader; hash: number; compactRevision: number } {
  const r = new Reader(buf);
  const out = { header: emptyHeader(), hash: 0, compactRevision: 0 };
  while (r.more()) {
    const t = r.varint();
    if (t === 10) out.header = decodeHeader(r);
    else if (t === 16) out.hash = r.varint() >>> 0;
    else if (t === 24) out.compactRevision = r.varint();
    else r.skip(t & 7);
  }
  return out;
}

export function decodeSnapshotResponse(buf: Buffer): { remainingBytes: number; blob: Buffer } {
  const r = new Reader(buf);
  const out = { remainingBytes: 0, blob: EMPTY };
  while (r.more()) {
    const t = r.varint();
    if (t === 16) out.remainingBytes = r.varint();
    else if (t === 26) out.blob = r.bytes();
    else r.skip(t & 7);
  }
  return out;
}

// ---------- Auth ----------

/** Requests whose fields are all strings: Authenticate, UserAdd, UserGet, RoleAdd, ... */
export function writeStrings(w: Writer, values: readonly (string | undefined)[]): void {
  for (let i = 0; i < values.length; i++) w.stringField(i + 1, values[i]);
}

export function writeUserAdd(w: Writer, m: { name: string; password?: string; noPassword?: boolean }): void {
  w.stringField(1, m.name);
  w.stringField(2, m.password);
  if (m.noPassword) {
    const mark = w.begin(3);
    w.boolField(1, true);
    w.end(mark);
  }
}

/** Auth responses carrying a token (field 2) or a string list (field 2). */
export function decodeStringsResponse(buf: Buffer): { header: ResponseHeader; values: string[] } {
  const r = new Reader(buf);
  const out = { header: emptyHeader(), values: [] as string[] };
  while (r.more()) {
    const t = r.varint();
    if (t === 10) out.header = decodeHeader(r);
    else if (t === 18) out.values.push(r.string());
    else r.skip(t & 7);
  }
  return out;
}

export type PermissionType = "read" | "write" | "readwrite";
const PERM_NAMES: PermissionType[] = ["read", "write", "readwrite"];
const PERM_TYPE: Record<PermissionType, number> = { read: 0, write: 1, readwrite: 2 };

export interface Permission {
  permType: PermissionType;
  key: Buffer;
  rangeEnd: Buffer;
}

export function writeRoleGrant(w: Writer, m: { role: string; permType: PermissionType; key: Uint8Array; rangeEnd?: Uint8Array }): void {
  w.stringField(1, m.role);
  const mark = w.begin(2);
  w.int64Field(1, PERM_TYPE[m.permType]);
  w.bytesField(2, m.key);
  w.bytesField(3, m.rangeEnd);
  w.end(mark);
}

export function writeRoleRevoke(w: Writer, m: { role: string; key: Uint8Array; rangeEnd?: Uint8Array }): void {
  w.stringField(1, m.role);
  w.bytesField(2, m.key);
  w.bytesField(3, m.rangeEnd);
}

export function decodeRoleGetResponse(buf: Buffer): { header: ResponseHeader; perm: Permission[] } {
  const r = new Reader(buf);
  const out = { header: emptyHeader(), perm: [] as Permission[] };
  while (r.more()) {
    const t = r.varint();
    if (t === 10) out.header = decodeHeader(r);
    else if (t === 18) {
      const end = r.len() + r.pos;
      const p: Permission = { permType: "read", key: EMPTY, rangeEnd: EMPTY };
      while (r.pos < end) {
        const u = r.varint();
        if (u === 8) p.permType = PERM_NAMES[r.varint()] ?? "read";
        else if (u === 18) p.key = r.bytes();
        else if (u === 26) p.rangeEnd = r.bytes();
        else r.skip(u & 7);
      }
      out.perm.push(p);
    } else r.skip(t & 7);
  }
  return out;
}

/**
 * `k3s-node-kit/etcd`: an etcd v3 client over gRPC (KV, Watch, Lease, Cluster, Maintenance,
 * Auth) with the message codecs compiled in, plus helpers to run an embedded etcd.
 * @packageDocumentation
 */
export { EtcdClient, createEtcdClient } from "./client.js";
export type { CallOptions, PutOptions, SnapshotOptions, SnapshotResult } from "./client.js";
export { defaultCallDeadline, exponentialBackoff } from "./strategies.js";
export type {
  DeadlineContext,
  DeadlineFactory,
  ExponentialBackoffOptions,
  RetryContext,
  RetryPolicy,
} from "./strategies.js";
export type { EtcdClientEvent } from "./events.js";
export { EtcdError, WatchCompactedError } from "./errors.js";
export type { EtcdErrorOptions } from "./errors.js";
export type { EtcdClientOptions, EtcdTlsOptions } from "./options.js";
export { etcdClientForK3s, k3sEtcdCertPaths, k3sEmbeddedEtcdTls } from "./k3s.js";
export type { K3sEtcdClientOptions } from "./k3s.js";
export { startEmbeddedEtcd } from "./embedded.js";
export type { EmbeddedEtcd, EmbeddedEtcdEvent, EmbeddedEtcdMemberEvent, EmbeddedEtcdOptions, EmbeddedEtcdTls } from "./embedded.js";
export { TxnBuilder, op } from "./txn.js";
export type { CompareOp, RangeOptions } from "./txn.js";
export { prefixEnd } from "./keys.js";
export type { Bytes, KeySelector } from "./keys.js";
export type { WatchOptions, Watcher, WatcherState } from "./watch.js";
export type { KeepAliveOptions, LeaseKeepAlive, LeaseLostReason } from "./keepalive.js";
export type {
  AlarmType,
  CompareResult,
  CompareTarget,
  DeleteRangeResponse,
  KeyValue,
  LeaseTimeToLiveResponse,
  Member,
  MembersResponse,
  Permission,
  PermissionType,
  RangeResponse,
  RequestOp,
  ResponseHeader,
  ResponseOp,
  StatusResponse,
  TxnRequest,
  TxnResponse,
  WatchEvent,
} from "./gen/rpc.js";

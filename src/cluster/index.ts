/**
 * `k3s-node-kit/cluster`: K3s's datastore bootstrap data for clusters of several servers. Pure encode/decode in
 * K3s's exact format (node:crypto only), the data dir side (read, write, reconcile by K3s's rules) and the
 * datastore side through the SDK's etcd client (read, create-only save, token rotation new-key-first).
 * @packageDocumentation
 */
export { ClusterError } from "./errors.js";
export {
  BOOTSTRAP_FIELD_PATHS,
  BOOTSTRAP_FIELDS,
  CERT_DIRS,
  bootstrapFields,
} from "./fields.js";
export type { BootstrapField } from "./fields.js";
export { GO_ZERO_TIME, formatRfc3339, parseRfc3339 } from "./time.js";
export {
  BOOTSTRAP_PREFIX,
  bootstrapKey,
  bootstrapKeyForPassphrase,
  decodeBootstrap,
  decodeBootstrapData,
  decryptBootstrapValue,
  encodeBootstrap,
  encodeBootstrapData,
  encryptBootstrapValue,
} from "./codec.js";
export type { BootstrapData, BootstrapFile, BootstrapFormat } from "./codec.js";
export {
  SYSTEM_TIME_SKEW_SECONDS,
  bootstrapPaths,
  planReconcile,
  readBootstrapFromDisk,
  reconcileBootstrapWithDisk,
  writeBootstrapToDisk,
} from "./disk.js";
export type { BootstrapDiskOptions, DiskFile, ReconcilePlan } from "./disk.js";
export {
  addBootstrapToken,
  bootstrapDatastore,
  createKey,
  listBootstrapKeys,
  readBootstrapFromDatastore,
  removeBootstrapToken,
  rotateBootstrapToken,
  saveBootstrapToDatastore,
} from "./datastore.js";
export type { BootstrapCallOptions, BootstrapEtcdClient, DatastoreBootstrap } from "./datastore.js";
export { DB_INFO_PATH, SERVER_BOOTSTRAP_PATH, fetchEtcdMembers, fetchServerBootstrap, joinServerFiles, serveJoinEndpoints } from "./join.js";
export type { FetchServerBootstrapOptions, FetchedBootstrap, JoinServer, JoinServerOptions } from "./join.js";
export type { EtcdMemberInfo, EtcdMemberLister } from "./db-info.js";

/**
 * Every stable error code the SDK throws, one list per error class. This file is the one home of
 * the codes: the classes are made from these lists, `isKitError(e, code)` takes only these, and
 * docs/errors.md is checked against them by a test. Codes never change meaning; new ones may be added.
 */

/** Codes any module may throw as a plain `KitError` (shared I/O and containment rules). */
export const SHARED_CODES = [
  "WRITE_FAILED",
  "READ_FAILED",
  "PATH_UNSAFE",
  "LAYOUT_OPTION_INVALID",
] as const;

/** `k3s-node-kit` root: `planNode`, `createNode`, the process supervisor. */
export const NODE_FACADE_CODES = [
  "NODE_OPTION_INVALID",
  "NODE_LABEL_INVALID",
  "NODE_TAINT_INVALID",
] as const;

/** `k3s-node-kit/cloud-init`. */
export const CLOUD_INIT_CODES = ["CLOUD_INIT_INVALID"] as const;

/** `k3s-node-kit/process`: supervised child processes and host probes. */
export const PROCESS_CODES = [
  "PROCESS_NOT_FOUND",
  "PROCESS_NOT_READY",
  "PROCESS_OPTION_INVALID",
  "PROCESS_PROBE_FAILED",
] as const;

export const TEMPLATE_CODES = ["TEMPLATE_PARSE", "TEMPLATE_EXEC", "TEMPLATE_OPTION_INVALID", "TEMPLATE_FUNC", "TEMPLATE_ARGUMENT_INVALID"] as const;

export const CERT_CODES = [
  "CERT_PEM_INVALID",
  "CERT_KEY_INVALID",
  "CERT_KEY_MISMATCH",
  "CERT_CA_KEY_MISSING",
  "CERT_CA_INVALID",
  "CERT_CA_EXISTS",
  "CERT_CSR_INVALID",
  "CERT_OPTION_INVALID",
  "CERT_SERVICE_UNKNOWN",
  "CERT_FORMAT_UNKNOWN",
  "CERT_ROTATION_INVALID",
  "CERT_SEED_CONFLICT",
  "CERT_SEED_INVALID",
  "CERT_SIGNER_FAILED",
] as const;

export const TOKEN_CODES = [
  "TOKEN_EMPTY",
  "TOKEN_FORMAT",
  "TOKEN_CA_HASH_LENGTH",
  "TOKEN_CA_INVALID",
  "TOKEN_CA_MISMATCH",
  "TOKEN_NORMALIZE",
  "TOKEN_FILE_INVALID",
  "TOKEN_OPTION_INVALID",
  "TOKEN_BOOTSTRAP_INVALID",
] as const;

export const DNS_CODES = [
  "DNS_OPTION_INVALID",
  "RESOLV_CONF_LINE_TOO_LONG",
  "RESOLV_CONF_WRITE_FAILED",
  "COREDNS_CLUSTER_DOMAIN_INVALID",
  "COREDNS_CUSTOM_INVALID",
] as const;

export const PROXY_CODES = [
  "PROXY_OPTION_INVALID",
  "PROXY_INVALID_CIDR",
  "PROXY_INVALID_DOMAIN",
  "ENV_FILE_INVALID_NAME",
  "ENV_FILE_INVALID_VALUE",
  "ENV_FILE_INVALID_UTF8",
] as const;

export const CONTAINERD_CODES = [
  "CONTAINERD_OPTION_INVALID",
  "CONTAINERD_UNKNOWN_SNAPSHOTTER",
  "CONTAINERD_DEFAULT_RUNTIME_NOT_FOUND",
  "CONTAINERD_TEMPLATE_PARSE",
  "CONTAINERD_TEMPLATE_EXEC",
  "CONTAINERD_TOML_INVALID",
  "CONTAINERD_TEMPLATE_READ",
  "CONTAINERD_REGISTRIES_YAML",
  "CONTAINERD_REGISTRY_HOST_INVALID",
  "CONTAINERD_HOSTS_WRITE",
  "CONTAINERD_VERSION_UNKNOWN",
  "CONTAINERD_DOT_INVALID",
  "CONTAINERD_ENDPOINT_INVALID",
] as const;

export const RUNTIME_CODES = [
  "RUNTIME_DEFAULT_NOT_FOUND",
  "RUNTIME_UNKNOWN",
  "RUNTIME_OPTION_INVALID",
  "RUNTIME_CLASS_INVALID",
] as const;

export const ROOTLESS_CODES = [
  "ROOTLESS_OPTION_INVALID",
  "ROOTLESS_NODE_IP_INVALID",
  "ROOTLESS_CIDR_INVALID",
  "ROOTLESS_CIDR_HOST_BITS",
  "ROOTLESS_MTU_NEGATIVE",
  "ROOTLESS_PORT_INVALID",
  "ROOTLESS_SERVICE_INVALID",
  "CGROUP_READ_FAILED",
] as const;

/** `k3s-node-kit/labels`: node labels and taints (kept light: the root entry's planNode imports it). */
export const LABEL_CODES = ["NODE_OPTION_INVALID", "NODE_LABEL_MALFORMED", "NODE_TAINT_INVALID"] as const;

/** `k3s-node-kit/k3s-config`: the K3s config file (parse, merge, validate, render, load, write). */
export const K3S_CONFIG_CODES = [
  "K3S_CONFIG_YAML",
  "K3S_CONFIG_NOT_MAPPING",
  "K3S_CONFIG_TYPE",
  "K3S_CONFIG_VALUE",
  "K3S_CONFIG_UNKNOWN_KEY",
  "K3S_CONFIG_ROLE",
  "K3S_CONFIG_APPEND",
  "K3S_CONFIG_ALIAS_CONFLICT",
  "K3S_CONFIG_READ",
  "K3S_CONFIG_URL_UNSUPPORTED",
  "K3S_CONFIG_OPTION_INVALID",
] as const;

/**
 * `k3s-node-kit/host`: host services (service manager, install-script env, SELinux, logging and
 * HelmChart, NFLOG, egress selector, agentless, K3s in Docker).
 */
export const HOST_CODES = [
  "NODE_OPTION_INVALID",
  "EGRESS_SELECTOR_MODE_INVALID",
  "SERVICE_MANAGER_NOT_FOUND",
  "SERVICE_NAME_INVALID",
  "INSTALL_TOKEN_MISSING",
  "INSTALL_K3S_URL_INVALID",
  "K3S_VERSION_INVALID",
  "K3S_IMAGE_TAG_LATEST",
  "K3S_IMAGE_TAG_PLUS",
  "K3S_IMAGE_INVALID",
  "DOCKER_OPTION_INVALID",
  "DOCKER_NAME_INVALID",
  "DOCKER_HOSTNAME_INVALID",
  "DOCKER_ROLE_INVALID",
  "DOCKER_IMAGE_REQUIRED",
  "DOCKER_PORT_INVALID",
  "DOCKER_ARG_INVALID",
  "DOCKER_TOKEN_IN_ARGS",
  "DOCKER_TOKEN_INVALID",
  "DOCKER_AGENT_TOKEN_REQUIRED",
  "DOCKER_AGENT_URL_REQUIRED",
  "DOCKER_URL_INVALID",
  "HELMCHART_INVALID",
  "LOGGING_OPTION_INVALID",
  "LOGGING_NAMESPACE_INVALID",
  "LOGGING_VERSION_INVALID",
  "LOGGING_REPO_INVALID",
  "ULOGD_GROUP_INVALID",
  "ULOGD_PATH_INVALID",
  "ULOGD_LOGLEVEL_INVALID",
  "INSTALL_OPTION_INVALID",
  "INSTALL_VERSION_INVALID",
  "INSTALL_CHANNEL_INVALID",
  "INSTALL_NAME_INVALID",
  "INSTALL_EXEC_ARG_UNREPRESENTABLE",
  "INSTALL_EXEC_TOKEN",
] as const;

export const ETCD_CODES = [
  "ETCD_OPTION_INVALID",
  "ETCD_INVALID_ARGUMENT",
  "ETCD_CLIENT_CLOSED",
  "ETCD_TXN_ALREADY_SENT",
  "ETCD_CERTS_MISSING",
  "ETCD_DEADLINE_EXCEEDED",
  "ETCD_UNAVAILABLE",
  "ETCD_CANCELLED",
  "ETCD_UNKNOWN",
  "ETCD_ALREADY_EXISTS",
  "ETCD_FAILED_PRECONDITION",
  "ETCD_ABORTED",
  "ETCD_OUT_OF_RANGE",
  "ETCD_INTERNAL",
  "ETCD_DATA_LOSS",
  "ETCD_UNAUTHENTICATED",
  "ETCD_RESOURCE_EXHAUSTED",
  "ETCD_NOT_FOUND",
  "ETCD_UNSUPPORTED",
  "ETCD_COMPACTED",
  "ETCD_FUTURE_REVISION",
  "ETCD_LEASE_NOT_FOUND",
  "ETCD_LEASE_EXISTS",
  "ETCD_LEASE_TTL_TOO_LARGE",
  "ETCD_LEASE_GRANT_FAILED",
  "ETCD_NO_LEADER",
  "ETCD_LEADER_CHANGED",
  "ETCD_SERVER_TIMEOUT",
  "ETCD_TOO_MANY_REQUESTS",
  "ETCD_NO_SPACE",
  "ETCD_REQUEST_TOO_LARGE",
  "ETCD_TXN_TOO_MANY_OPS",
  "ETCD_TXN_DUPLICATE_KEY",
  "ETCD_KEY_NOT_FOUND",
  "ETCD_MEMBER_NOT_FOUND",
  "ETCD_MEMBER_EXISTS",
  "ETCD_PEER_URL_EXISTS",
  "ETCD_MEMBER_NOT_LEARNER",
  "ETCD_LEARNER_NOT_READY",
  "ETCD_TOO_MANY_LEARNERS",
  "ETCD_UNHEALTHY_CLUSTER",
  "ETCD_AUTH_FAILED",
  "ETCD_INVALID_TOKEN",
  "ETCD_PERMISSION_DENIED",
  "ETCD_USER_EXISTS",
  "ETCD_USER_NOT_FOUND",
  "ETCD_ROLE_EXISTS",
  "ETCD_ROLE_NOT_FOUND",
  "ETCD_ROOT_USER_MISSING",
  "ETCD_ROOT_ROLE_MISSING",
  "ETCD_AUTH_NOT_ENABLED",
  "ETCD_WATCH_COMPACTED",
  "ETCD_WATCH_CANCELED",
  "ETCD_WATCH_STATE",
  "ETCD_SNAPSHOT_CHECKSUM",
  "ETCD_SNAPSHOT_FAILED",
  "ETCD_BINARY_MISSING",
  "ETCD_START_FAILED",
  "ETCD_START_TIMEOUT",
] as const;

/** `k3s-node-kit/pulumi`: the `ClusterSeed` dynamic resource and the user-data resources. */
export const PULUMI_CODES = ["PULUMI_OPTION_INVALID", "PULUMI_SEED_STATE_INVALID"] as const;

/** `k3s-node-kit/cdk`: the `K3sClusterSeed` construct, its custom-resource handler and boot user-data. */
export const CDK_CODES = ["CDK_OPTION_INVALID", "CDK_HANDLER_MISSING", "CDK_CUSTOM_CA_INVALID", "CDK_RESPONSE_FAILED"] as const;

/** Every list, by the error class that throws its codes. */
/** `ClusterError` (k3s-node-kit/cluster). */
export const CLUSTER_CODES = [
  "CLUSTER_BOOTSTRAP_FORMAT",
  "CLUSTER_BOOTSTRAP_DECRYPT",
  "CLUSTER_BOOTSTRAP_JSON",
  "CLUSTER_BOOTSTRAP_TOKEN_MISMATCH",
  "CLUSTER_BOOTSTRAP_LOCKED",
  "CLUSTER_BOOTSTRAP_MISSING",
  "CLUSTER_BOOTSTRAP_NEWER_ON_DISK",
  "CLUSTER_BOOTSTRAP_READ",
  "CLUSTER_OPTION_INVALID",
  "CLUSTER_JOIN_UNREACHABLE",
  "CLUSTER_JOIN_CA_VALIDATION",
  "CLUSTER_JOIN_FORBIDDEN",
  "CLUSTER_JOIN_FAILED",
  "CLUSTER_JOIN_LISTEN_FAILED",
] as const;

export const ERROR_CODES = {
  KitError: SHARED_CODES,
  NodeError: NODE_FACADE_CODES,
  CloudInitError: CLOUD_INIT_CODES,
  ProcessError: PROCESS_CODES,
  TemplateError: TEMPLATE_CODES,
  CertError: CERT_CODES,
  TokenError: TOKEN_CODES,
  DnsError: DNS_CODES,
  ProxyError: PROXY_CODES,
  ContainerdError: CONTAINERD_CODES,
  RuntimeError: RUNTIME_CODES,
  RootlessError: ROOTLESS_CODES,
  LabelError: LABEL_CODES,
  K3sConfigError: K3S_CONFIG_CODES,
  HostError: HOST_CODES,
  EtcdError: ETCD_CODES,
  PulumiError: PULUMI_CODES,
  CdkError: CDK_CODES,
  ClusterError: CLUSTER_CODES,
} as const;

export type SharedErrorCode = (typeof SHARED_CODES)[number];
export type NodeFacadeErrorCode = (typeof NODE_FACADE_CODES)[number];
export type CloudInitErrorCode = (typeof CLOUD_INIT_CODES)[number];
export type ProcessErrorCode = (typeof PROCESS_CODES)[number];
export type TemplateErrorCode = (typeof TEMPLATE_CODES)[number];
export type CertErrorCode = (typeof CERT_CODES)[number];
export type TokenErrorCode = (typeof TOKEN_CODES)[number];
export type DnsErrorCode = (typeof DNS_CODES)[number];
export type ProxyErrorCode = (typeof PROXY_CODES)[number];
export type ContainerdErrorCode = (typeof CONTAINERD_CODES)[number];
export type RuntimeErrorCode = (typeof RUNTIME_CODES)[number];
export type RootlessErrorCode = (typeof ROOTLESS_CODES)[number];
export type LabelErrorCode = (typeof LABEL_CODES)[number];
export type K3sConfigErrorCode = (typeof K3S_CONFIG_CODES)[number];
export type HostErrorCode = (typeof HOST_CODES)[number];
export type EtcdErrorCode = (typeof ETCD_CODES)[number];
export type PulumiErrorCode = (typeof PULUMI_CODES)[number];
export type CdkErrorCode = (typeof CDK_CODES)[number];
export type ClusterErrorCode = (typeof CLUSTER_CODES)[number];

/** Every code any k3s-node-kit function throws. */
export type KitErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES][number];

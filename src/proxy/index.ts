/**
 * `k3s-node-kit/proxy`: the HTTP proxy environment K3s and its install script build
 * (k3s-behaviours §5, §12): install-script capture, server `NO_PROXY` augmentation, containerd's
 * `CONTAINERD_` rewrite, and systemd env files.
 * @packageDocumentation
 */
export { ProxyError } from "./errors.js";
export type { EnvInput } from "./env.js";
export { DOCUMENTED_PROXY_VARIABLES, dashQuote, proxyEnvFromShell } from "./capture.js";
export type { CaptureWarning, ProxyCapture, ProxyCaptureOptions } from "./capture.js";
export {
  DEFAULT_CLUSTER_CIDR,
  DEFAULT_CLUSTER_CIDR_V6,
  DEFAULT_CLUSTER_DOMAIN,
  DEFAULT_SERVICE_CIDR,
  DEFAULT_SERVICE_CIDR_V6,
  augmentNoProxy,
} from "./no-proxy.js";
export type { NoProxyOptions } from "./no-proxy.js";
export { containerdEnv } from "./containerd-env.js";
export type { ContainerdEnv } from "./containerd-env.js";
export { parseServiceEnvFile, renderServiceEnvFile } from "./env-file.js";
export type { EnvFileEntry, EnvFileIgnored, ParsedEnvFile } from "./env-file.js";
export type { Follow } from "../internal/follow.js";

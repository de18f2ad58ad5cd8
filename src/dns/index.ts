/**
 * `k3s-node-kit/dns`: the host DNS checks K3s makes before it starts (resolv.conf viability and the
 * stub fallback) and the CoreDNS custom-import files (k3s-behaviours §3, §4).
 * @packageDocumentation
 */
export { DnsError } from "./errors.js";
export { isViableNameserver, nameserverRejection } from "./nameserver.js";
export type { Follow, NameserverOptions, NameserverRejection } from "./nameserver.js";
export { checkResolvConf, parseResolvConf } from "./resolv-conf.js";
export type {
  ParsedResolvConf,
  RejectedNameserver,
  ResolvConfCheck,
  ResolvConfCheckOptions,
  ResolvConfNameserver,
  ResolvConfProblem,
} from "./resolv-conf.js";
export {
  DEFAULT_RESOLV_CONF_CANDIDATES,
  GENERATED_RESOLV_CONF,
  GENERATED_RESOLV_CONF_WARNING,
  locateResolvConf,
} from "./locate.js";
export type { CandidateResult, LocateResolvConfOptions, LocatedResolvConf } from "./locate.js";
export {
  COREDNS_CUSTOM_DIR,
  COREDNS_OVERRIDE_IMPORT,
  COREDNS_SERVER_IMPORT,
  renderCorefile,
} from "./corefile.js";
export type { CorefileOptions } from "./corefile.js";
export {
  COREDNS_CUSTOM_NAME,
  COREDNS_CUSTOM_NAMESPACE,
  corednsCustomConfigMap,
  corednsCustomData,
  validateCorednsCustom,
} from "./coredns-custom.js";
export type {
  CorednsCustomConfigMapLike,
  CorednsCustomInput,
  CorednsCustomManifest,
  CorednsCustomProblem,
  CorednsCustomProblemCode,
} from "./coredns-custom.js";

/**
 * `k3s-node-kit/certs`: the K3s cluster PKI. Pure generators (P-256 via node:crypto, DER via node-forge),
 * the K3s server and agent layouts with K3s's renewal rules, checks, rotation, custom CA bundles, kubeconfigs.
 * @packageDocumentation
 */
export { CertError } from "./errors.js";
export {
  createCA,
  signLeaf,
  signCSR,
  createCSR,
  loadCA,
  randomSerial,
  CA_VALIDITY_DAYS,
  LEAF_VALIDITY_DAYS,
} from "./generate.js";
export type {
  CertificateAuthority,
  IssuedCertificate,
  CreateCAOptions,
  LeafOptions,
  LeafUsage,
} from "./generate.js";
export { parseCertificate } from "./parse.js";
export type { CertificateInfo } from "./parse.js";
export { isGoPrintable } from "./asn1.js";
export { pemBlocks, certificateDers } from "./pem.js";
export type { PemBlock } from "./pem.js";
export {
  SERVER_CAS,
  serverLeafSpecs,
  serverSANs,
  firstServiceIP,
  LEGACY_SHARED_KEYS,
  LEGACY_REMOVED_CERTS,
} from "./layout.js";
export type { CASpec, LeafSpec, ServerCAName, ServerSANsInput, LayoutInput } from "./layout.js";
export { decideLeaf, fieldsChanged, isExpiring } from "./plan.js";
export type { RenewReason, WantedFields, LeafDecisionInput } from "./plan.js";
export {
  ensureServerCertificates,
  DEFAULT_RENEW_WITHIN_DAYS,
  K3S_SOURCE_RENEW_WITHIN_DAYS,
} from "./server.js";
export type { EnsureServerCertificatesOptions, CertReport, CertReportEntry, CertEvent } from "./server.js";
export { ensureAgentCertificates, agentCertRequests } from "./agent.js";
export type { EnsureAgentCertificatesOptions, AgentCertRequest, CsrSigner } from "./agent.js";
export { checkCertificates, formatCertificateCheck, certStatus } from "./check.js";
export type { CertificateCheckEntry, CertStatus, CheckFormat, CheckCertificatesOptions } from "./check.js";
export { rotateCertificates } from "./rotate.js";
export type { RotateCertificatesResult } from "./rotate.js";
export { resolveServices, SERVER_SERVICES, AGENT_SERVICES } from "./services.js";
export type { CertService } from "./services.js";
export { generateCustomCA, validateCARotation, ROTATABLE_CAS } from "./custom-ca.js";
export type { GenerateCustomCAOptions, CARotationResult } from "./custom-ca.js";
export { renderKubeconfig, writeKubeconfig } from "./kubeconfig.js";
export type { KubeconfigOptions } from "./kubeconfig.js";
export { generateClusterSeed, writeClusterSeed } from "./seed.js";
export type {
  ClusterSeed,
  ClusterSeedOptions,
  SeedFile,
  WriteClusterSeedOptions,
  WriteClusterSeedResult,
} from "./seed.js";

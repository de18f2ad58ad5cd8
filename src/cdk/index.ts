/**
 * `k3s-node-kit/cdk`: AWS CDK constructs for a K3s cluster seed made at deploy time and kept in
 * Secrets Manager, and user-data that fetches it at boot. Needs `aws-cdk-lib` and `constructs`
 * (optional peer dependencies; only this subpath loads them).
 * @packageDocumentation
 */
export { CdkError } from "./errors.js";
export { K3sClusterSeed } from "./construct.js";
export type { K3sClusterSeedProps } from "./construct.js";
export {
  serverBootUserData,
  agentBootUserData,
  TOKEN_FILE,
  SEED_WRITER,
  SEED_WRITER_PY,
} from "./boot-user-data.js";
export type { BootUserDataOptions } from "./boot-user-data.js";
export type { SeedDocument, SeedParameters } from "./seed-document.js";
export type { SeedResourceEvent, SeedResourceResponse } from "./handler.js";

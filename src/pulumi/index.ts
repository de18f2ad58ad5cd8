/**
 * `k3s-node-kit/pulumi`: Pulumi resources for a K3s cluster seed kept in the stack's state, and the
 * cloud-init user-data that seeds servers and joins agents. Needs `@pulumi/pulumi` (an optional peer
 * dependency; only this subpath loads it).
 * @packageDocumentation
 */
export { PulumiError } from "./errors.js";
export { ClusterSeed, ServerUserData, AgentUserData } from "./resources.js";
export type { ClusterSeedArgs, ServerUserDataArgs, AgentUserDataArgs } from "./resources.js";
export {
  clusterSeedProvider,
  createSeed,
  checkSeedState,
  changedSeedInputs,
  normaliseSeedInputs,
  SEED_KEY_TYPES,
  SEED_REPLACE_KEYS,
} from "./seed-provider.js";
export type { SeedInputs, SeedOutputs, SeedKeyType } from "./seed-provider.js";

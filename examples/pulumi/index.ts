/** The Pulumi program (`pulumi up` in this folder): one cluster seed, exported for a compute resource. */
import * as pulumi from "@pulumi/pulumi";
import type { ClusterSeed } from "k3s-node-kit/certs";
import { K3sClusterSeed } from "./cluster-seed.js";

const config = new pulumi.Config();
const kept = config.getSecretObject<ClusterSeed>("k3sSeed");
const cluster = new K3sClusterSeed("k3s", {
  tlsSans: config.getObject<string[]>("tlsSans") ?? [],
  ...(kept ? { seed: kept as unknown as ClusterSeed } : {}),
});

export const caHash = cluster.caHash;
export const token = cluster.token;
export const userData = cluster.userData;

/**
 * A Pulumi component that pre-generates a K3s cluster's CAs and join token with k3s-node-kit and
 * renders the cloud-init user-data that seeds a server with them. Pass `userData` to any compute
 * resource (an `aws.ec2.Instance`, a `gcp.compute.Instance`, ...); every server seeded with the same
 * component trusts the same CAs, and agents join with `token`.
 *
 * CAs must stay the same across `pulumi up` runs: keep the seed in the stack's secret config
 * (`pulumi config set --secret --path k3sSeed ...`) and pass it as `seed`; without one a new seed is made.
 */
import * as pulumi from "@pulumi/pulumi";
import { cloudInitForServer } from "k3s-node-kit";
import { generateClusterSeed, type ClusterSeed } from "k3s-node-kit/certs";

export interface ClusterSeedArgs {
  /** Extra `tls-san` entries for the servers' config.yaml. */
  tlsSans?: string[];
  /** A seed kept from an earlier run (stack secret config). */
  seed?: ClusterSeed;
}

export class K3sClusterSeed extends pulumi.ComponentResource {
  /** `K10<ca-hash>::server:<password>` (a Pulumi secret). */
  public readonly token: pulumi.Output<string>;
  public readonly caHash: pulumi.Output<string>;
  /** `#cloud-config` user-data for the first server (a Pulumi secret: it holds CA keys). */
  public readonly userData: pulumi.Output<string>;

  constructor(name: string, args: ClusterSeedArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super("k3s-node-kit:index:ClusterSeed", name, {}, opts);
    const seed = args.seed ?? generateClusterSeed();
    const config: Record<string, unknown> = { "cluster-init": true };
    if (args.tlsSans?.length) config["tls-san"] = args.tlsSans;
    this.token = pulumi.secret(seed.token);
    this.caHash = pulumi.output(seed.caHash);
    this.userData = pulumi.secret(cloudInitForServer({ pki: seed.files, token: seed.token, config }));
    this.registerOutputs({ token: this.token, caHash: this.caHash, userData: this.userData });
  }
}

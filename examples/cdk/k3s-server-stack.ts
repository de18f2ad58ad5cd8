/**
 * An AWS CDK stack that pre-generates a K3s cluster's CAs and token with k3s-node-kit at synth time
 * and boots an EC2 server whose user-data seeds them (then installs K3s). Agents join with the token,
 * kept in Secrets Manager.
 *
 * Synth time means a new CA per synth: pass a kept `seed` (from your secret store) for stable CAs.
 */
import { App, SecretValue, Stack, type StackProps } from "aws-cdk-lib";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import type { Construct } from "constructs";
import { cloudInitForServer } from "k3s-node-kit";
import { generateClusterSeed, type ClusterSeed } from "k3s-node-kit/certs";

export interface K3sServerStackProps extends StackProps {
  seed?: ClusterSeed;
  /** AMI id per region (Debian or Ubuntu with cloud-init). */
  amiByRegion: Record<string, string>;
}

export class K3sServerStack extends Stack {
  readonly caHash: string;
  readonly userData: string;

  constructor(scope: Construct, id: string, props: K3sServerStackProps) {
    super(scope, id, props);
    const seed = props.seed ?? generateClusterSeed();
    this.caHash = seed.caHash;
    this.userData = cloudInitForServer({
      pki: seed.files,
      token: seed.token,
      config: { "cluster-init": true },
      runcmd: ["curl -sfL https://get.k3s.io | INSTALL_K3S_SKIP_SELINUX_RPM=true sh -s - server"],
    });
    new secretsmanager.Secret(this, "K3sToken", {
      description: `K3s join token (CA hash ${seed.caHash})`,
      secretStringValue: SecretValue.unsafePlainText(seed.token),
    });
    const vpc = new ec2.Vpc(this, "Vpc", { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: "public", subnetType: ec2.SubnetType.PUBLIC }] });
    new ec2.Instance(this, "Server", {
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.MEDIUM),
      machineImage: ec2.MachineImage.genericLinux(props.amiByRegion),
      userData: ec2.UserData.custom(this.userData),
    });
  }
}

/** `npx cdk synth --app "npx tsx examples/cdk/k3s-server-stack.ts"` */
if (process.argv[1]?.endsWith("k3s-server-stack.ts")) {
  const app = new App();
  new K3sServerStack(app, "K3sServer", { env: { region: "eu-west-1" }, amiByRegion: { "eu-west-1": "ami-0123456789abcdef0" } });
  app.synth();
}

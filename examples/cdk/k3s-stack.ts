/**
 * An AWS CDK stack: a K3s cluster seed made at deploy time (k3s-node-kit/cdk), one server and one
 * agent on EC2 that fetch it from Secrets Manager at boot. Nothing secret is in the template or the
 * cloud assembly: the CAs and the token exist only in Secrets Manager and on the nodes.
 *
 * Synthesize offline: `npx tsx examples/cdk/app.ts` (writes the cloud assembly to a temp dir).
 */
import { Stack, type StackProps } from "aws-cdk-lib";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import type { Construct } from "constructs";
import { K3sClusterSeed } from "k3s-node-kit/cdk";

export interface K3sClusterStackProps extends StackProps {
  /** Extra `tls-san` names for the server certificate. */
  tlsSans?: string[];
}

const INSTALL = "curl -sfL https://get.k3s.io | sh -s -";

export class K3sClusterStack extends Stack {
  readonly seed: K3sClusterSeed;
  readonly server: ec2.Instance;
  readonly agent: ec2.Instance;

  constructor(scope: Construct, id: string, props: K3sClusterStackProps = {}) {
    super(scope, id, props);
    const vpc = new ec2.Vpc(this, "Vpc", {
      maxAzs: 1,
      natGateways: 0,
      subnetConfiguration: [{ name: "public", subnetType: ec2.SubnetType.PUBLIC }],
      flowLogs: { all: { trafficType: ec2.FlowLogTrafficType.ALL } },
    });
    // Nodes talk to each other only: API server, kubelet, flannel VXLAN, etcd (no ingress from outside).
    const nodes = new ec2.SecurityGroup(this, "Nodes", { vpc, description: "K3s nodes" });
    nodes.addIngressRule(nodes, ec2.Port.tcp(6443), "K3s API server");
    nodes.addIngressRule(nodes, ec2.Port.tcp(10250), "kubelet");
    nodes.addIngressRule(nodes, ec2.Port.udp(8472), "flannel VXLAN");
    nodes.addIngressRule(nodes, ec2.Port.tcpRange(2379, 2380), "etcd");

    this.seed = new K3sClusterSeed(this, "Seed");

    const node = (name: string, userData: ec2.UserData) =>
      new ec2.Instance(this, name, {
        vpc,
        vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
        securityGroup: nodes,
        instanceType: ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.MEDIUM),
        // Amazon Linux 2023 has the AWS CLI the boot script uses.
        machineImage: ec2.MachineImage.latestAmazonLinux2023(),
        requireImdsv2: true,
        detailedMonitoring: true,
        disableApiTermination: true,
        blockDevices: [
          { deviceName: "/dev/xvda", volume: ec2.BlockDeviceVolume.ebs(30, { encrypted: true }) },
        ],
        userData,
      });

    this.server = node(
      "Server",
      this.seed.serverUserData({
        config: { "cluster-init": true, "tls-san": props.tlsSans ?? [] },
        runcmd: [`${INSTALL} server`],
      }),
    );
    this.seed.grantServerRead(this.server);

    this.agent = node(
      "Agent",
      this.seed.agentUserData({
        serverUrl: `https://${this.server.instancePrivateIp}:6443`,
        config: { "node-label": ["tier=web"] },
        runcmd: [`${INSTALL} agent`],
      }),
    );
    this.seed.grantAgentRead(this.agent);
  }
}

/**
 * The Pulumi program (`pulumi up` in this folder): a K3s cluster seed kept in the stack's state, and
 * the user-data for servers and agents. Pass the user-data to any compute resource, e.g.
 *
 *   new aws.ec2.Instance("server", { ami, instanceType: "t3.medium", userData: server.userData });
 *
 * The seed is made on the first `pulumi up` and kept by every later one (its CAs and token are secret
 * outputs in the state); setting `caValidityDays` to another value replaces it.
 * Offline check: `npx vitest run test/integration/pulumi` runs this program under Pulumi's mocks.
 */
import * as pulumi from "@pulumi/pulumi";
import { AgentUserData, ClusterSeed, ServerUserData } from "k3s-node-kit/pulumi";

const config = new pulumi.Config();
const install = "curl -sfL https://get.k3s.io | sh -s -";

const seed = new ClusterSeed("k3s", { validityDays: config.getNumber("caValidityDays") ?? 3650 });

const server = new ServerUserData("k3s-server", {
  seed,
  config: { "cluster-init": true, "tls-san": config.getObject<string[]>("tlsSans") ?? [] },
  runcmd: [`${install} server`],
});

const agent = new AgentUserData("k3s-agent", {
  seed,
  serverUrl: config.get("serverUrl") ?? "https://10.0.0.10:6443",
  config: { "node-label": ["tier=web"] },
  runcmd: [`${install} agent`],
});

export const caHash = seed.caHash;
export const serverCaCert = seed.serverCaCert;
export const token = seed.token;
export const serverUserData = server.userData;
export const agentUserData = agent.userData;

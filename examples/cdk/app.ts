/**
 * The CDK app: `npx tsx examples/cdk/app.ts [outdir]` synthesizes the stack offline (no CDK CLI, no
 * AWS account) into `outdir` (default: a new temp dir) and prints where. With the CDK CLI:
 * `npx cdk deploy --app "npx tsx examples/cdk/app.ts"` (the CLI passes its own outdir in CDK_OUTDIR).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "aws-cdk-lib";
import { K3sClusterStack } from "./k3s-stack.js";

const outdir = process.env.CDK_OUTDIR ?? process.argv[2] ?? mkdtempSync(join(tmpdir(), "k3s-cdk-"));
const app = new App({ outdir });
const stack = new K3sClusterStack(app, "K3sCluster", {
  env: {
    account: process.env.CDK_DEFAULT_ACCOUNT ?? "123456789012",
    region: process.env.CDK_DEFAULT_REGION ?? "eu-west-1",
  },
  tlsSans: ["k3s.example.com"],
});
const assembly = app.synth();
console.log(`synthesized ${stack.stackName} to ${assembly.directory}`);

/**
 * examples/cdk synthesized in-process with aws-cdk-lib (no CDK CLI, no AWS account), against the
 * built package as users import it: assertions on the template, a scan of every file of the cloud
 * assembly for key material and tokens, cdk-nag's AwsSolutionsChecks, and the boot user-data
 * (with deploy-time references resolved to sample values) through the real `cloud-init schema`.
 */
import { readdirSync, readFileSync, rmSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, Stack, Validations } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { AwsSolutionsChecks } from "cdk-nag";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { cloudInitSchema } from "../../helpers/cloud-init.js";
import { ensureBuilt } from "../../helpers/dist.js";

/** Every file under dir, recursively. */
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

/** What would betray a secret: a PEM private key with a body, a K3s token, a plain-text secret value. */
const SECRET_PATTERNS: [string, RegExp][] = [
  ["PEM private key", /-----BEGIN [A-Z ]*PRIVATE KEY-----(\\r|\\n|\r|\n)+[A-Za-z0-9+/=]{16,}/],
  ["K3s token", /K10[0-9a-f]{64}::/],
  ["SecretString", /"SecretString"\s*:/],
];

/** Every secret-looking match in the files under dir, as "<what> in <file>". */
function secretsIn(dir: string): string[] {
  const found: string[] = [];
  for (const f of files(dir)) {
    const text = readFileSync(f, "utf8");
    for (const [what, re] of SECRET_PATTERNS)
      if (re.test(text)) found.push(`${what} in ${f.slice(dir.length + 1)}`);
  }
  return found;
}

/** Resolves a synthesized `Fn::Join` user-data with sample values for the deploy-time references. */
function resolveUserData(userData: unknown): string {
  const join = (userData as { "Fn::Base64": { "Fn::Join": [string, unknown[]] } })["Fn::Base64"]["Fn::Join"];
  return join[1]
    .map((part) => {
      if (typeof part === "string") return part;
      if ((part as { Ref?: string }).Ref)
        return `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${(part as { Ref: string }).Ref}-AbCdEf`;
      if ((part as { "Fn::GetAtt"?: unknown })["Fn::GetAtt"]) return "10.0.0.10";
      throw new Error(`unexpected part ${JSON.stringify(part)}`);
    })
    .join("");
}

let outdir: string;
let stack: Stack & { seed: { caHash: string } };
let template: Template;

beforeAll(async () => {
  ensureBuilt();
  outdir = mkdtempSync(join(tmpdir(), "cdk-assembly-"));
  const { K3sClusterStack } = await import("../../../examples/cdk/k3s-stack.js");
  const app = new App({ outdir });
  stack = new K3sClusterStack(app, "K3sCluster", {
    env: { account: "123456789012", region: "eu-west-1" },
    tlsSans: ["k3s.example.com"],
  });
  // writeSuppressionsToCloudFormation: acknowledgements land in the template's Metadata (cdk_nag), to check below.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }));
  // Synth fails on any AwsSolutions error that is not acknowledged with a reason in code.
  app.synth();
  template = Template.fromStack(stack);
}, 300_000);
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe("examples/cdk: K3sClusterSeed + a server and an agent", () => {
  it("no key, private part or token anywhere in the template or the cloud assembly dir", () => {
    const all = files(outdir);
    expect(all.some((f) => f.endsWith("K3sCluster.template.json"))).toBe(true);
    // The handler asset (bundled SDK) is part of the assembly and is scanned too.
    expect(all.some((f) => /asset\.[0-9a-f]+\/index\.js$/.test(f))).toBe(true);
    expect(secretsIn(outdir)).toEqual([]);
    const text = JSON.stringify(template.toJSON());
    expect(text).not.toMatch(/PRIVATE KEY|::server:/);
  });

  it("the seed is a custom resource writing to two secrets that start as generated placeholders", () => {
    template.resourceCountIs("Custom::K3sClusterSeed", 1);
    template.hasResourceProperties("Custom::K3sClusterSeed", {
      SeedSecretArn: { Ref: Match.stringLikeRegexp("SeedSeedSecret") },
      TokenSecretArn: { Ref: Match.stringLikeRegexp("SeedTokenSecret") },
      KeyType: "ecdsa-p256",
      ValidityDays: "3650",
    });
    const secrets = template.findResources("AWS::SecretsManager::Secret");
    expect(Object.keys(secrets)).toHaveLength(2);
    for (const s of Object.values(secrets) as {
      Properties: Record<string, unknown>;
      DeletionPolicy: string;
    }[]) {
      expect(s.Properties.GenerateSecretString).toBeDefined();
      expect(s.Properties.SecretString).toBeUndefined();
      expect(s.DeletionPolicy).toBe("Retain");
    }
    template.hasResourceProperties("AWS::Lambda::Function", {
      Handler: "index.handler",
      Runtime: Match.stringLikeRegexp("^nodejs"),
    });
  });

  it("servers read the seed, agents only the token, and both boot after the seed is written", () => {
    const instances = template.findResources("AWS::EC2::Instance") as Record<
      string,
      { DependsOn?: string[]; Properties: { IamInstanceProfile: { Ref: string } } }
    >;
    const seedId = Object.keys(template.findResources("Custom::K3sClusterSeed"))[0]!;
    const policies = Object.values(template.findResources("AWS::IAM::Policy")) as {
      Properties: {
        PolicyDocument: { Statement: { Action: unknown; Resource: unknown }[] };
        Roles: { Ref: string }[];
      };
    }[];
    const secretsReadBy = (role: string) =>
      policies
        .filter((p) => p.Properties.Roles.some((r) => r.Ref === role))
        .flatMap((p) => p.Properties.PolicyDocument.Statement)
        .map((s) => JSON.stringify(s.Resource));
    for (const [name, want, not] of [
      ["Server", "SeedSeedSecret", "SeedTokenSecret"],
      ["Agent", "SeedTokenSecret", "SeedSeedSecret"],
    ] as const) {
      const [id, instance] = Object.entries(instances).find(([k]) => k.startsWith(name))!;
      expect(instance.DependsOn, id).toContain(seedId);
      const role = Object.keys(template.findResources("AWS::IAM::Role")).find((r) =>
        r.startsWith(`${name}InstanceRole`),
      )!;
      const read = secretsReadBy(role).join(" ");
      expect(read).toContain(want);
      expect(read).not.toContain(not);
    }
  });

  it("server and agent user-data pass the real cloud-init schema and fetch from the right secret", () => {
    const instances = template.findResources("AWS::EC2::Instance") as Record<
      string,
      { Properties: { UserData: unknown } }
    >;
    const userData = (prefix: string) =>
      resolveUserData(Object.entries(instances).find(([k]) => k.startsWith(prefix))![1].Properties.UserData);
    for (const prefix of ["Server", "Agent"]) {
      const [ok, out] = cloudInitSchema(userData(prefix));
      expect(out, prefix).toContain("Valid cloud-config");
      expect(ok).toBe(true);
    }
    const server = parse(userData("Server"));
    expect(parse(server.write_files[0].content)).toEqual({
      "cluster-init": true,
      "tls-san": ["k3s.example.com"],
      "token-file": "/etc/rancher/k3s/cluster-token",
    });
    expect(server.runcmd[0]).toBe("set -e");
    expect(server.runcmd[1][2]).toMatch(
      /aws secretsmanager get-secret-value --region eu-west-1 --secret-id arn:aws:secretsmanager:\S+SeedSeedSecret/,
    );
    expect(server.runcmd.at(-1)).toBe("curl -sfL https://get.k3s.io | sh -s - server");
    const agent = parse(userData("Agent"));
    expect(parse(agent.write_files[0].content)).toEqual({
      "node-label": ["tier=web"],
      server: "https://10.0.0.10:6443",
      "token-file": "/etc/rancher/k3s/cluster-token",
    });
    expect(agent.runcmd[1][2]).toMatch(
      /--secret-id arn:aws:secretsmanager:\S+SeedTokenSecret\S* .*> \/etc\/rancher\/k3s\/cluster-token/,
    );
  });

  it("cdk-nag: synth passed AwsSolutionsChecks; the only acknowledgements are the secrets' rotation, with reasons", () => {
    const acks: string[] = [];
    for (const [id, r] of Object.entries(
      template.toJSON().Resources as Record<string, { Metadata?: Record<string, unknown> }>,
    )) {
      const rules =
        (r.Metadata?.cdk_nag as { rules_to_suppress?: { id: string; reason: string }[] } | undefined)
          ?.rules_to_suppress ?? [];
      // aws-cdk-lib acknowledges some of its own CloudFormation-Validate rules (e.g. VPC flow logs); not ours.
      for (const rule of rules.filter((x) => x.id.includes("AwsSolutions"))) {
        acks.push(`${id.replace(/[0-9A-F]{8}$/, "")} ${rule.id}`);
        expect(rule.reason).toMatch(/k3s (certificate rotate-ca|token rotate)/);
      }
    }
    expect(acks.sort()).toEqual([
      "SeedSeedSecret AwsSolutions::AwsSolutions-SMG4",
      "SeedTokenSecret AwsSolutions::AwsSolutions-SMG4",
    ]);
  });

  it("the scan is live: the old example's way (token as plain text, CA key in user-data) is found", async () => {
    const { SecretValue } = await import("aws-cdk-lib");
    const secretsmanager = await import("aws-cdk-lib/aws-secretsmanager");
    const { generateClusterSeed } = await import("../../../src/certs/index.js");
    const seed = generateClusterSeed();
    const dir = mkdtempSync(join(tmpdir(), "cdk-scan-control-"));
    try {
      const app = new App({ outdir: dir });
      const control = new Stack(app, "Control");
      new secretsmanager.Secret(control, "Token", { secretStringValue: SecretValue.unsafePlainText(seed.token) });
      control.templateOptions.metadata = { userData: seed.files.find((f) => f.path === "server-ca.key")!.content };
      app.synth();
      const found = secretsIn(dir);
      for (const want of [
        "K3s token in Control.template.json",
        "PEM private key in Control.template.json",
        "SecretString in Control.template.json",
        // The construct tree carries the plain-text value too: why every file of the assembly is scanned.
        "K3s token in tree.json",
      ])
        expect(found).toContain(want);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("cdk-nag is live: the same checks fail a stack with a non-compliant resource", async () => {
    const s3 = await import("aws-cdk-lib/aws-s3");
    const dir = mkdtempSync(join(tmpdir(), "cdk-nag-control-"));
    try {
      const app = new App({ outdir: dir });
      new s3.Bucket(new Stack(app, "Control"), "Plain");
      Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
      expect(() => app.synth()).toThrow(/AwsSolutions-S10/);
      expect(readFileSync(join(dir, "validation-report.json"), "utf8")).toContain("AwsSolutions-S10");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

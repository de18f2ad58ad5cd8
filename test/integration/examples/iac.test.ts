import { createHash, X509Certificate } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ensureBuilt } from "../../helpers/dist.js";
import { cloudInitSchema } from "../../helpers/cloud-init.js";

interface WriteFile {
  path: string;
  content: string;
  permissions: string;
}

/** What a server booted with this user-data would find: the CAs, their keys, and the token in config.yaml. */
function checkSeededUserData(userData: string, caHash: string) {
  const [ok, out] = cloudInitSchema(userData);
  expect(out).toContain("Valid cloud-config");
  expect(ok).toBe(true);
  const files: WriteFile[] = parse(userData).write_files;
  const byPath = new Map(files.map((f) => [f.path, f]));
  const serverCa = byPath.get("/var/lib/rancher/k3s/server/tls/server-ca.crt")!;
  expect(new X509Certificate(serverCa.content).subject).toMatch(/CN=k3s-server-ca@\d+/);
  expect(createHash("sha256").update(serverCa.content).digest("hex")).toBe(caHash);
  for (const ca of ["client-ca", "server-ca", "request-header-ca", "etcd/server-ca", "etcd/peer-ca"]) {
    expect(byPath.get(`/var/lib/rancher/k3s/server/tls/${ca}.key`)?.permissions, ca).toBe("0600");
  }
  const config = parse(byPath.get("/etc/rancher/k3s/config.yaml")!.content);
  expect(config.token).toMatch(new RegExp(`^K10${caHash}::server:[0-9a-f]{32}$`));
  return config;
}

// The examples import the built package ("k3s-node-kit", "k3s-node-kit/certs"), as users do.
beforeAll(() => ensureBuilt(), 300_000);

describe("examples/pulumi (Pulumi unit test with mocks, offline)", () => {
  it("the component exports a secret token bound to the CA hash and schema-valid user-data", async () => {
    const pulumi = await import("@pulumi/pulumi");
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => ({ id: `${args.name}_id`, state: args.inputs }),
        call: (args) => args.inputs,
      },
      "k3s-node-kit-seed",
      "test",
      true,
    );
    const { K3sClusterSeed } = await import("../../../examples/pulumi/cluster-seed.js");
    const seed = new K3sClusterSeed("k3s", { tlsSans: ["k3s.example.com"] });
    const value = <T>(o: import("@pulumi/pulumi").Output<T>) => new Promise<T>((resolve) => o.apply(resolve));
    const [caHash, token, userData] = await Promise.all([value(seed.caHash), value(seed.token), value(seed.userData)]);
    expect(await pulumi.isSecret(seed.token)).toBe(true);
    expect(await pulumi.isSecret(seed.userData)).toBe(true);
    expect(token.startsWith(`K10${caHash}::server:`)).toBe(true);
    const config = checkSeededUserData(userData, caHash);
    expect(config["tls-san"]).toEqual(["k3s.example.com"]);
    expect(config["cluster-init"]).toBe(true);
  });
});

describe("examples/cdk (synth + assertions, offline)", () => {
  it("synthesises an EC2 server whose user-data seeds the CAs, and the token secret", async () => {
    const { App } = await import("aws-cdk-lib");
    const { Template, Match } = await import("aws-cdk-lib/assertions");
    const { K3sServerStack } = await import("../../../examples/cdk/k3s-server-stack.js");
    const app = new App();
    const stack = new K3sServerStack(app, "K3sServer", { env: { region: "eu-west-1" }, amiByRegion: { "eu-west-1": "ami-0123456789abcdef0" } });
    const template = Template.fromStack(stack);
    template.resourceCountIs("AWS::EC2::Instance", 1);
    template.hasResourceProperties("AWS::EC2::Instance", {
      ImageId: "ami-0123456789abcdef0",
      UserData: { "Fn::Base64": Match.stringLikeRegexp("^#cloud-config") },
    });
    template.hasResourceProperties("AWS::SecretsManager::Secret", { SecretString: Match.stringLikeRegexp(`^K10${stack.caHash}::server:`) });
    const instance = Object.values(template.findResources("AWS::EC2::Instance"))[0] as { Properties: { UserData: { "Fn::Base64": string } } };
    const userData = instance.Properties.UserData["Fn::Base64"];
    expect(userData).toBe(stack.userData);
    const config = checkSeededUserData(userData, stack.caHash);
    expect(config["cluster-init"]).toBe(true);
    expect(parse(userData).runcmd[0]).toContain("get.k3s.io");
  });
});

/**
 * What `k3s-node-kit/cdk` refuses, typed, before it adds anything to the construct tree or writes a
 * shell line: a scope outside a Stack, a taken id, bad props, and boot user-data values that would go
 * into the boot shell command unquoted (region, ARN) unless they are CDK tokens.
 */
import { App, Stack, Token } from "aws-cdk-lib";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { describe, expect, it } from "vitest";
import { agentBootUserData, K3sClusterSeed, serverBootUserData } from "../../../src/cdk/index.js";
import { isKitError } from "../../../src/errors/index.js";

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    expect(isKitError(e)).toBe(true);
    return (e as { code: string }).code;
  }
  return undefined;
}

const ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:seed-AbCdEf";
const code = lambda.Code.fromInline("exports.handler = async () => ({})");

describe("k3s-node-kit/cdk arguments", () => {
  it("K3sClusterSeed: scope in a Stack, a free id, props of the right shape; nothing added on refusal", () => {
    const app = new App();
    expect(codeOf(() => new K3sClusterSeed(app, "Seed"))).toBe("CDK_OPTION_INVALID");
    const stack = new Stack(app, "S");
    expect(codeOf(() => new K3sClusterSeed(stack, "Seed", { validityDays: 0 }))).toBe("CDK_OPTION_INVALID");
    expect(codeOf(() => new K3sClusterSeed(stack, "Seed", { keyType: "rsa" as never }))).toBe("CDK_OPTION_INVALID");
    expect(codeOf(() => new K3sClusterSeed(stack, "Seed", { customCaSecret: {} as never }))).toBe("CDK_OPTION_INVALID");
    expect(codeOf(() => new K3sClusterSeed(stack, "Seed", { handlerCod: code } as never))).toBe("CDK_OPTION_INVALID");
    expect(stack.node.children).toHaveLength(0);
    expect(codeOf(() => new K3sClusterSeed(stack, "Seed", { handlerCode: code }))).toBeUndefined();
    expect(codeOf(() => new K3sClusterSeed(stack, "Seed", { handlerCode: code }))).toBe("CDK_OPTION_INVALID");
  });

  it("boot user-data: region and ARN are a region / ARN or a CDK token, nothing a shell would read", () => {
    expect(codeOf(() => serverBootUserData({ region: "eu-west-1", seedSecretArn: ARN }))).toBeUndefined();
    expect(codeOf(() => serverBootUserData({ region: "eu-west-1; reboot", seedSecretArn: ARN }))).toBe(
      "CDK_OPTION_INVALID",
    );
    expect(codeOf(() => serverBootUserData({ region: "eu-west-1", seedSecretArn: `${ARN} $(id)` }))).toBe(
      "CDK_OPTION_INVALID",
    );
    const stack = new Stack(new App(), "T");
    const tokenRegion = stack.region;
    expect(Token.isUnresolved(tokenRegion)).toBe(true);
    expect(codeOf(() => serverBootUserData({ region: tokenRegion, seedSecretArn: ARN }))).toBeUndefined();
    expect(codeOf(() => serverBootUserData({ region: "eu-west-1" } as never))).toBe("CDK_OPTION_INVALID");
    expect(codeOf(() => serverBootUserData({ region: "eu-west-1", seedSecretArn: ARN, dataDir: "rel" }))).toBe(
      "CDK_OPTION_INVALID",
    );
    expect(codeOf(() => agentBootUserData({ region: "eu-west-1", tokenSecretArn: ARN } as never))).toBe(
      "CDK_OPTION_INVALID",
    );
    expect(
      codeOf(() => agentBootUserData({ region: "eu-west-1", tokenSecretArn: ARN, serverUrl: "http://10.0.0.1:6443" })),
    ).toBe("CDK_OPTION_INVALID");
    expect(
      codeOf(() => agentBootUserData({ region: "eu-west-1", tokenSecretArn: ARN, serverUrl: "https://10.0.0.1:6443", runcmd: [1 as never] })),
    ).toBe("CDK_OPTION_INVALID");
  });
});

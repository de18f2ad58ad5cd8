/**
 * What the Pulumi resources refuse at construction, with typed errors, before anything is
 * registered: bad names, unknown or wrongly shaped args, and plain inputs the user-data would refuse
 * (inputs that are Outputs are checked when they resolve). Run under Pulumi's own mocks.
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { isKitError } from "../../../src/errors/index.js";
import {
  AgentUserData,
  ClusterSeed,
  ServerUserData,
  checkSeedState,
  createSeed,
  normaliseSeedInputs,
} from "../../../src/pulumi/index.js";

beforeAll(() => {
  pulumi.runtime.setMocks(
    {
      newResource: (a) => ({ id: `${a.name}-id`, state: a.inputs }),
      call: (a) => a.inputs,
    },
    "proj",
    "stack",
    false,
  );
});

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    expect(isKitError(e)).toBe(true);
    return (e as { code: string }).code;
  }
  return undefined;
}

describe("k3s-node-kit/pulumi arguments", () => {
  it("ClusterSeed: a name, known args only, plain inputs checked now", () => {
    expect(codeOf(() => new ClusterSeed("" as string))).toBe("PULUMI_OPTION_INVALID");
    expect(codeOf(() => new ClusterSeed("s", { validityDay: 5 } as never))).toBe("PULUMI_OPTION_INVALID");
    let err: unknown;
    try {
      new ClusterSeed("s", { validityDays: 0 });
    } catch (e) {
      err = e;
    }
    expect(isKitError(err, "PULUMI_OPTION_INVALID")).toBe(true);
    expect((err as { value: unknown }).value).toEqual({ option: ["validityDays"] });
    // A ClusterSeed that is made serializes its provider: that runs in a child against the built
    // package (test/integration/pulumi/program.test.ts), since vitest rewrites the provider's import().
  });

  it("ServerUserData / AgentUserData: the cloud-init errors of plain inputs at construction", () => {
    expect(codeOf(() => new ServerUserData("s", { files: [], token: "t", dataDir: "rel" }))).toBe("CLOUD_INIT_INVALID");
    expect(codeOf(() => new ServerUserData("s", { files: [], token: "t", config: { "no-such-flag": 1 } as never }))).toMatch(
      /^K3S_CONFIG_/,
    );
    expect(codeOf(() => new AgentUserData("a", { token: "t", serverUrl: "http://10.0.0.1:6443" }))).toBe(
      "CLOUD_INIT_INVALID",
    );
    expect(codeOf(() => new AgentUserData("a", { token: "t" } as never))).toBe("PULUMI_OPTION_INVALID");
    expect(codeOf(() => new AgentUserData("a", { seed: {} as never, serverUrl: "https://s:6443" }))).toBe(
      "PULUMI_OPTION_INVALID",
    );
    // Outputs are checked when they resolve: here only the plain parts are, and they are fine.
    expect(
      codeOf(() => new AgentUserData("b", { token: pulumi.secret("t"), serverUrl: pulumi.output("https://s:6443") })),
    ).toBeUndefined();
    expect(codeOf(() => new ServerUserData("c", { files: pulumi.output([]), token: "t" }))).toBeUndefined();
  });

  it("the provider's plain functions refuse what is not an object, typed", () => {
    expect(codeOf(() => normaliseSeedInputs(null as never))).toBe("PULUMI_OPTION_INVALID");
    expect(codeOf(() => createSeed("x" as never))).toBe("PULUMI_OPTION_INVALID");
    expect(codeOf(() => createSeed({} as never, new Date(Number.NaN)))).toBe("PULUMI_OPTION_INVALID");
    expect(codeOf(() => checkSeedState(undefined as never))).toBe("PULUMI_SEED_STATE_INVALID");
  });
});

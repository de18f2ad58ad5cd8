import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { isKitError } from "../../../src/errors/index.js";
import {
  bootstrapTokenSecret,
  generateBootstrapToken,
  isBootstrapTokenExpired,
  parseBootstrapToken,
  parseToken,
} from "../../../src/tokens/index.js";

const now = new Date("2025-03-01T12:00:00.500Z");
const b64 = (s: string) => Buffer.from(s).toString("base64");

async function rejectsCode(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    return isKitError(e) ? e.code : String(e);
  }
  return undefined;
}

describe("bootstrap tokens (§2.4)", () => {
  it("generates id.secret from [a-z0-9] that parse as bootstrap tokens", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const t = generateBootstrapToken();
      expect(t).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
      expect(parseToken(t).bootstrap).toBeDefined();
      seen.add(t);
    }
    expect(seen.size).toBe(200);
  });

  it("builds the kube-system Secret with k3s token create defaults", async () => {
    const { manifest, yaml, expiration } = await bootstrapTokenSecret("abcdef.0123456789abcdef", { now });
    expect(manifest).toMatchObject({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "bootstrap-token-abcdef", namespace: "kube-system" },
      type: "bootstrap.kubernetes.io/token",
    });
    const data = manifest.data as Record<string, string>;
    expect(data).toEqual({
      "token-id": b64("abcdef"),
      "token-secret": b64("0123456789abcdef"),
      expiration: b64("2025-03-02T12:00:00Z"),
      "usage-bootstrap-signing": b64("true"),
      "usage-bootstrap-authentication": b64("true"),
      "auth-extra-groups": b64("system:bootstrappers:k3s:default-node-token"),
    });
    expect(expiration?.toISOString()).toBe("2025-03-02T12:00:00.000Z");
    expect(parse(yaml)).toEqual(manifest);
    expect(
      isBootstrapTokenExpired(manifest as { data: Record<string, string> }, new Date("2025-03-02T11:59:59Z")),
    ).toBe(false);
    expect(
      isBootstrapTokenExpired(manifest as { data: Record<string, string> }, new Date("2025-03-02T12:00:00Z")),
    ).toBe(true);
  });

  it("ttl 0 never expires; custom usages, groups and description", async () => {
    const { manifest } = await bootstrapTokenSecret("K10::abcdef.0123456789abcdef", {
      now,
      ttlSeconds: 0,
      usages: ["authentication"],
      groups: ["system:bootstrappers:a", "system:bootstrappers:b"],
      description: "ci join",
    });
    const data = manifest.data as Record<string, string>;
    expect(data.expiration).toBeUndefined();
    expect(data["usage-bootstrap-signing"]).toBeUndefined();
    expect(Buffer.from(data["auth-extra-groups"] ?? "", "base64").toString()).toBe(
      "system:bootstrappers:a,system:bootstrappers:b",
    );
    expect(Buffer.from(data.description ?? "", "base64").toString()).toBe("ci join");
    expect(
      isBootstrapTokenExpired(manifest as { data: Record<string, string> }, new Date("2100-01-01T00:00:00Z")),
    ).toBe(false);
  });

  it("refuses bad tokens, usages, groups, ttl and expiration values", async () => {
    expect(await rejectsCode(bootstrapTokenSecret("ABCDEF.0123456789abcdef"))).toBe(
      "TOKEN_BOOTSTRAP_INVALID",
    );
    expect(
      await rejectsCode(
        bootstrapTokenSecret("abcdef.0123456789abcdef", { usages: ["signing", "bogus" as "signing"] }),
      ),
    ).toBe("TOKEN_OPTION_INVALID");
    expect(
      await rejectsCode(bootstrapTokenSecret("abcdef.0123456789abcdef", { groups: ["system:masters"] })),
    ).toBe("TOKEN_OPTION_INVALID");
    expect(await rejectsCode(bootstrapTokenSecret("abcdef.0123456789abcdef", { ttlSeconds: -1 }))).toBe(
      "TOKEN_OPTION_INVALID",
    );
    expect(() => isBootstrapTokenExpired({ stringData: { expiration: "tomorrow" } })).toThrow(/RFC 3339/);
    expect(() => parseBootstrapToken("abc.def")).toThrow(/bootstrap token/);
  });
});

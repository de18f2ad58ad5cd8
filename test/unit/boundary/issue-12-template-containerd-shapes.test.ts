/**
 * Issue 12: a 4 MB string passed where a map is expected fails fast with a typed error, checked
 * before any iteration (these took seconds and locked the event loop: Object.keys / entries /
 * assign of a string walks every character).
 */
import { describe, expect, it } from "vitest";
import { registryHostConfigs, writeContainerdHosts } from "../../../src/containerd/index.js";
import { isKitError } from "../../../src/errors/index.js";
import { Template, goStructOf } from "../../../src/template/index.js";

const BIG = "a".repeat(4 << 20);

function typedFast(f: () => unknown, code: string): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(isKitError(err, code as never), String(err)).toBe(true);
  // Not a timing assertion: the message stays short (no echo of the 4 MB input).
  expect((err as Error).message.length).toBeLessThan(300);
}

describe("issue 12: 4 MB strings where maps are expected", () => {
  it("Template.funcs(4 MB string) is TEMPLATE_FUNC", () => {
    typedFast(() => new Template("t").funcs(BIG as never), "TEMPLATE_FUNC");
  });
  it("goStructOf(type, 4 MB string) is TEMPLATE_ARGUMENT_INVALID", () => {
    typedFast(() => goStructOf("T", BIG as never), "TEMPLATE_ARGUMENT_INVALID");
  });
  it("registryHostConfigs({ Mirrors: {}, Configs: 4 MB string }) is CONTAINERD_OPTION_INVALID naming the field", () => {
    let err: unknown;
    try {
      registryHostConfigs({ Mirrors: {}, Configs: BIG } as never);
    } catch (e) {
      err = e;
    }
    expect(isKitError(err, "CONTAINERD_OPTION_INVALID")).toBe(true);
    expect((err as { value: unknown }).value).toBe("registry.Configs");
  });
  it("writeContainerdHosts with that registry rejects with the same typed error and writes nothing", async () => {
    const err = await writeContainerdHosts({
      registryDir: "/nonexistent-k3s-node-kit/certs.d",
      registry: { Mirrors: {}, Configs: BIG } as never,
    }).catch((e: unknown) => e);
    expect(isKitError(err, "CONTAINERD_OPTION_INVALID"), String(err)).toBe(true);
  });
});

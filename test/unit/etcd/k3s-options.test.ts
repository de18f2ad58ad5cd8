/** etcdClientForK3s's two call forms and its option checks (pure part; the real etcd run is test/integration/etcd/embedded). */
import { describe, expect, it } from "vitest";
import { etcdClientForK3s } from "../../../src/etcd/index.js";
import { k3sClientOptions } from "../../../src/etcd/k3s.js";
import { isKitError } from "../../../src/errors/index.js";

describe("etcdClientForK3s options", () => {
  it("accepts an options object and the earlier positional endpoints", () => {
    const onEvent = () => {};
    expect(k3sClientOptions({ endpoints: ["https://10.0.0.1:2379"], deadlineMs: 100 }, undefined)).toEqual({
      endpoints: ["https://10.0.0.1:2379"],
      deadlineMs: 100,
    });
    expect(k3sClientOptions(["https://10.0.0.1:2379"], { deadlineMs: 100, onEvent })).toEqual({
      endpoints: ["https://10.0.0.1:2379"],
      deadlineMs: 100,
      onEvent,
    });
    expect(k3sClientOptions(undefined, undefined)).toEqual({});
  });

  it("refuses a bad shape with ETCD_OPTION_INVALID naming the option", async () => {
    const cases: [unknown, unknown, string][] = [
      ["x", undefined, "string"],
      [{ endpoints: "https://a:2379" }, undefined, "endpoints"],
      [{ endpoints: [] }, undefined, "endpoints"],
      [{ tls: { ca: "x" } }, undefined, "tls"],
      [{ signal: {} }, undefined, "signal"],
      [{}, { deadlineMs: 1 }, "third argument"],
      [["https://a:2379"], "x", "string"],
    ];
    for (const [a, b, value] of cases) {
      const e = await etcdClientForK3s("/nonexistent", a as never, b as never).catch((x: unknown) => x);
      expect(isKitError(e, "ETCD_OPTION_INVALID"), JSON.stringify(a)).toBe(true);
      expect((e as { value: unknown }).value).toBe(value);
      expect((e as Error).message).toMatch(/^etcdClientForK3s: /);
    }
    // Shape is fine: the cert read fails next, naming the file.
    const missing = await etcdClientForK3s("/nonexistent", { endpoints: ["https://127.0.0.1:2379"] }).catch(
      (x: unknown) => x,
    );
    expect(isKitError(missing, "ETCD_CERTS_MISSING")).toBe(true);
  });
});

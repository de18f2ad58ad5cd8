import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ERROR_CODES, KitError, defineErrorClass, isKitError } from "../../../src/errors/index.js";

// docs/errors.md is the reader's list; src/errors/codes.ts is the code's. They must agree.
const doc = readFileSync(new URL("../../../docs/errors.md", import.meta.url), "utf8");
// The codes of a row are the backticked codes in its first cell.
const documented = new Set(
  [...doc.matchAll(/^\|([^|]*`[A-Z][A-Z0-9_]+`[^|]*)\|/gm)].flatMap((m) =>
    [...m[1]!.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((c) => c[1]!),
  ),
);
const listed = new Set(Object.values(ERROR_CODES).flat() as string[]);

describe("error codes", () => {
  it("every listed code has a row in docs/errors.md", () => {
    expect([...listed].filter((c) => !documented.has(c))).toEqual([]);
  });
  it("every documented code is a listed code", () => {
    expect([...documented].filter((c) => !listed.has(c))).toEqual([]);
  });
  it("a module class takes its codes, is a KitError, and is recognised across builds by brand", () => {
    class DemoError extends defineErrorClass("DemoError", ["WRITE_FAILED"]) {}
    const e = new DemoError("WRITE_FAILED", "boom", { value: "/x", cause: new Error("inner") });
    expect(e).toBeInstanceOf(KitError);
    expect(e.name).toBe("DemoError");
    expect(String(e)).toBe("DemoError: boom");
    expect(isKitError(e, "WRITE_FAILED")).toBe(true);
    expect(isKitError(e, "READ_FAILED")).toBe(false);
    expect(isKitError(new Error("x"))).toBe(false);
    expect((e.cause as Error).message).toBe("inner");
    expect(DemoError.codes).toEqual(["WRITE_FAILED"]);
  });
});

/** Issue 12's attacks on runtime detection: junk where option objects and runtime maps are expected. */
import { describe, expect, it } from "vitest";
import { isKitError } from "../../../src/errors/index.js";
import { detectRuntimes, resolveDefaultRuntime, runtimeClassManifests, runtimeSearchDirs } from "../../../src/runtime/index.js";

const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return isKitError(e, "RUNTIME_OPTION_INVALID") ? "RUNTIME_OPTION_INVALID" : String(e);
  }
  return "no error";
};

describe("issue 12: runtime exports refuse junk with RUNTIME_OPTION_INVALID", () => {
  it("runtimeSearchDirs(null), a numeric path, an unknown option", () => {
    expect(code(() => runtimeSearchDirs(null as never))).toBe("RUNTIME_OPTION_INVALID");
    expect(code(() => runtimeSearchDirs({ path: 7 as never }))).toBe("RUNTIME_OPTION_INVALID");
    expect(code(() => runtimeSearchDirs({ extraDir: [] } as never))).toBe("RUNTIME_OPTION_INVALID");
    expect(runtimeSearchDirs({ path: "/usr/bin", extraDirs: [] })).toEqual(["", "/usr/bin"]);
  });

  it("detectRuntimes(null) rejects typed", async () => {
    const err = await detectRuntimes(null as never).catch((e: unknown) => e);
    expect(isKitError(err, "RUNTIME_OPTION_INVALID"), String(err)).toBe(true);
  });

  it("resolveDefaultRuntime with a null or string runtime map", () => {
    expect(code(() => resolveDefaultRuntime("crun", null as never))).toBe("RUNTIME_OPTION_INVALID");
    expect(code(() => resolveDefaultRuntime(undefined, "x" as never))).toBe("RUNTIME_OPTION_INVALID");
    expect(resolveDefaultRuntime("", {})).toBe("");
  });

  it("runtimeClassManifests with null options or a non-boolean nvidiaCdi", async () => {
    for (const o of [null, { nvidiaCdi: "no" }]) {
      const err = await runtimeClassManifests("all", o as never).catch((e: unknown) => e);
      expect(isKitError(err, "RUNTIME_OPTION_INVALID"), String(err)).toBe(true);
    }
  });
});

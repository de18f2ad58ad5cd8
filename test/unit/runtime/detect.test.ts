import { chmod, mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isKitError } from "../../../src/errors/index.js";
import {
  KNOWN_RUNTIMES,
  detectRuntimes,
  resolveDefaultRuntime,
  runtimeSearchDirs,
} from "../../../src/runtime/index.js";
import { tempDir } from "../../helpers/tmp.js";

let root: string;
let cleanup: () => Promise<void>;

async function exe(dir: string, name: string, mode = 0o755): Promise<string> {
  await mkdir(dir, { recursive: true });
  const p = join(dir, name);
  await writeFile(p, "#!/bin/sh\n");
  await chmod(p, mode);
  return p;
}

beforeAll(async () => {
  ({ dir: root, cleanup } = await tempDir("rt-detect-"));
});
afterAll(async () => cleanup());

describe("detectRuntimes (k3s-behaviours §7)", () => {
  it("finds the K3s vector: nvidia, crun, lunatic in one PATH dir, with full paths", async () => {
    const bin = join(root, "vector");
    await exe(bin, "nvidia-container-runtime");
    await exe(bin, "crun");
    await exe(bin, "containerd-shim-lunatic-v1");
    const found = await detectRuntimes({ path: bin, extraDirs: [] });
    expect(Object.keys(found).sort()).toEqual(["crun", "lunatic", "nvidia"]);
    expect(found.crun).toEqual({ RuntimeType: "io.containerd.runc.v2", BinaryName: join(bin, "crun") });
    expect(found.lunatic).toEqual({
      RuntimeType: "io.containerd.lunatic.v1",
      BinaryName: join(bin, "containerd-shim-lunatic-v1"),
    });
    expect(found.nvidia?.BinaryName).toBe(join(bin, "nvidia-container-runtime"));
  });

  it("searches extra dirs before PATH, first match wins", async () => {
    const extra = join(root, "extra");
    const later = join(root, "later");
    await exe(extra, "crun");
    await exe(later, "crun");
    await exe(later, "containerd-shim-spin-v2");
    const found = await detectRuntimes({ path: later, extraDirs: [extra] });
    expect(found.crun?.BinaryName).toBe(join(extra, "crun"));
    expect(found.spin).toEqual({
      RuntimeType: "io.containerd.spin.v2",
      BinaryName: join(later, "containerd-shim-spin-v2"),
    });
  });

  it("skips non-executable files and directories, keeps symlinks unresolved", async () => {
    const d = join(root, "kinds");
    await exe(d, "crun", 0o644);
    await mkdir(join(d, "containerd-shim-wws-v1"), { recursive: true });
    const target = await exe(join(root, "real"), "wasmtime-real");
    await symlink(target, join(d, "containerd-shim-wasmtime-v1"));
    const found = await detectRuntimes({ path: d, extraDirs: [] });
    expect(found.crun).toBeUndefined();
    expect(found.wws).toBeUndefined();
    expect(found.wasmtime?.BinaryName).toBe(join(d, "containerd-shim-wasmtime-v1"));
  });

  it("a relative PATH entry holding the binary is Go's ErrDot: not detected", async () => {
    const d = join(root, "rel");
    await exe(d, "crun");
    const abs = join(root, "abs");
    await exe(abs, "crun");
    const cwd = process.cwd();
    process.chdir(root);
    try {
      const found = await detectRuntimes({ path: `rel:${abs}`, extraDirs: [] });
      expect(found.crun).toBeUndefined();
    } finally {
      process.chdir(cwd);
    }
  });

  it("cleans joined paths like Go filepath.Join", async () => {
    const d = join(root, "clean");
    await exe(d, "crun");
    const found = await detectRuntimes({ path: `${d}//./`, extraDirs: [] });
    expect(found.crun?.BinaryName).toBe(`${d}/crun`);
  });

  it("default search dirs put /usr/local/nvidia/toolkit and /opt/kwasm/bin first", () => {
    expect(runtimeSearchDirs({ path: "/usr/bin:/bin" })).toEqual([
      "/usr/local/nvidia/toolkit",
      "/opt/kwasm/bin",
      "/usr/bin",
      "/bin",
    ]);
  });

  it("knows the 11 runtimes of the page", () => {
    expect(KNOWN_RUNTIMES.map((r) => r.name).sort()).toEqual([
      "crun",
      "lunatic",
      "nvidia",
      "nvidia-cdi",
      "nvidia-experimental",
      "slight",
      "spin",
      "wasmedge",
      "wasmer",
      "wasmtime",
      "wws",
    ]);
  });

  it("rejects a non-string path with a typed error", async () => {
    await expect(detectRuntimes({ path: 42 as unknown as string })).rejects.toSatisfy((e: unknown) =>
      isKitError(e, "RUNTIME_OPTION_INVALID"),
    );
  });
});

describe("resolveDefaultRuntime (§7)", () => {
  const detected = { crun: { RuntimeType: "io.containerd.runc.v2", BinaryName: "/usr/bin/crun" } };
  it("accepts a detected runtime and empty", () => {
    expect(resolveDefaultRuntime("crun", detected)).toBe("crun");
    expect(resolveDefaultRuntime("", detected)).toBe("");
    expect(resolveDefaultRuntime(undefined, detected)).toBe("");
  });
  it("rejects runc and undetected runtimes with K3s's message", () => {
    for (const name of ["runc", "nvidia", "toString"]) {
      let err: unknown;
      try {
        resolveDefaultRuntime(name, detected);
      } catch (e) {
        err = e;
      }
      expect(isKitError(err, "RUNTIME_DEFAULT_NOT_FOUND")).toBe(true);
      expect((err as Error).message).toBe(`default runtime ${name} was not found`);
      expect((err as { value: unknown }).value).toBe(name);
    }
  });
});

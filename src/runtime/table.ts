/**
 * The alternative runtimes K3s looks for (k3s-behaviours §7, `pkg/agent/containerd/runtimes.go`).
 * Map key = containerd runtime name = RuntimeClass handler.
 */
export interface RuntimeConfig {
  /** containerd shim type. */
  RuntimeType: string;
  /** Full path of the binary found (Go `filepath.Join(dir, binary)`, symlinks not resolved). */
  BinaryName: string;
}

/** Runtimes found on a node, keyed by runtime name (the shape of K3s's `ExtraRuntimes`). */
export type DetectedRuntimes = Record<string, RuntimeConfig>;

/** One row of the K3s runtime table. */
export interface KnownRuntime {
  name: string;
  binary: string;
  runtimeType: string;
}

/** Every runtime name K3s knows, as listed on the documentation page. */
export type RuntimeName =
  | "crun"
  | "lunatic"
  | "nvidia"
  | "nvidia-cdi"
  | "nvidia-experimental"
  | "slight"
  | "spin"
  | "wasmedge"
  | "wasmer"
  | "wasmtime"
  | "wws";

const RUNC_V2 = "io.containerd.runc.v2";

/**
 * The K3s table (§7): runtime name, binary searched, containerd shim type.
 * @example
 * ```ts
 * KNOWN_RUNTIMES.find((r) => r.name === "spin")?.binary; // "containerd-shim-spin-v2"
 * ```
 */
export const KNOWN_RUNTIMES: readonly KnownRuntime[] = Object.freeze([
  { name: "crun", binary: "crun", runtimeType: RUNC_V2 },
  { name: "nvidia", binary: "nvidia-container-runtime", runtimeType: RUNC_V2 },
  { name: "nvidia-experimental", binary: "nvidia-container-runtime-experimental", runtimeType: RUNC_V2 },
  { name: "nvidia-cdi", binary: "nvidia-container-runtime.cdi", runtimeType: RUNC_V2 },
  { name: "lunatic", binary: "containerd-shim-lunatic-v1", runtimeType: "io.containerd.lunatic.v1" },
  { name: "slight", binary: "containerd-shim-slight-v1", runtimeType: "io.containerd.slight.v1" },
  { name: "spin", binary: "containerd-shim-spin-v2", runtimeType: "io.containerd.spin.v2" },
  { name: "wws", binary: "containerd-shim-wws-v1", runtimeType: "io.containerd.wws.v1" },
  { name: "wasmedge", binary: "containerd-shim-wasmedge-v1", runtimeType: "io.containerd.wasmedge.v1" },
  { name: "wasmer", binary: "containerd-shim-wasmer-v1", runtimeType: "io.containerd.wasmer.v1" },
  { name: "wasmtime", binary: "containerd-shim-wasmtime-v1", runtimeType: "io.containerd.wasmtime.v1" },
]);

/**
 * Directories K3s puts in front of PATH while searching (`runtimesPath`).
 * @example
 * ```ts
 * await detectRuntimes({ extraDirs: [...RUNTIME_EXTRA_DIRS, "/opt/mine/bin"] });
 * ```
 */
export const RUNTIME_EXTRA_DIRS: readonly string[] = Object.freeze([
  "/usr/local/nvidia/toolkit",
  "/opt/kwasm/bin",
]);

import { KitError, type KitErrorOptions } from "../errors/index.js";

/**
 * Errors of `k3s-node-kit/containerd`. Codes are listed in docs/errors.md.
 * @example
 * ```ts
 * try { containerdConfigFor({ snapshotter: "overlay2" }); } catch (e) { if (isKitError(e, "CONTAINERD_UNKNOWN_SNAPSHOTTER")) console.error(e.value); }
 * ```
 */
export class ContainerdError extends KitError {
  constructor(code: ContainerdErrorCode, message: string, options?: KitErrorOptions) {
    super(code, message, options);
  }
}
Object.defineProperty(ContainerdError.prototype, "name", {
  value: "ContainerdError",
  writable: true,
  configurable: true,
});

/** Stable codes thrown by this module. */
export type ContainerdErrorCode =
  | "CONTAINERD_BAD_OPTION"
  | "CONTAINERD_UNKNOWN_SNAPSHOTTER"
  | "CONTAINERD_DEFAULT_RUNTIME_NOT_FOUND"
  | "CONTAINERD_TEMPLATE_PARSE"
  | "CONTAINERD_TEMPLATE_EXEC"
  | "CONTAINERD_TOML_INVALID"
  | "CONTAINERD_TEMPLATE_READ"
  | "CONTAINERD_REGISTRIES_YAML"
  | "CONTAINERD_HOSTS_WRITE"
  | "CONTAINERD_VERSION_UNKNOWN";

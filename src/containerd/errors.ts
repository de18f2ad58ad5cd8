import { CONTAINERD_CODES, defineErrorClass, type ContainerdErrorCode } from "../errors/index.js";

/**
 * Errors of `k3s-node-kit/containerd`. Codes: `CONTAINERD_CODES` in src/errors/codes.ts (listed with
 * their meaning in docs/errors.md).
 * @example
 * ```ts
 * try { containerdConfigFor({ snapshotter: "overlay2" }); } catch (e) { if (isKitError(e, "CONTAINERD_UNKNOWN_SNAPSHOTTER")) console.error(e.value); }
 * ```
 */
export class ContainerdError extends defineErrorClass("ContainerdError", CONTAINERD_CODES) {}
export type { ContainerdErrorCode };

import { RuntimeError } from "./errors.js";
import { detectedMap } from "./options.js";
import type { DetectedRuntimes } from "./table.js";

/**
 * Checks `--default-runtime` the way K3s does (k3s-behaviours §7): an empty name means "runc,
 * the containerd default" and returns `""`; any other name must be a **detected** runtime, so
 * `runc` itself is rejected.
 *
 * @example
 * ```ts
 * resolveDefaultRuntime("crun", await detectRuntimes()); // "crun"
 * ```
 * @throws RUNTIME_DEFAULT_NOT_FOUND `default runtime <name> was not found` (K3s's message).
 */
export function resolveDefaultRuntime(name: string | undefined, detected: DetectedRuntimes): string {
  const map = detectedMap(detected, "resolveDefaultRuntime");
  if (name === undefined || name === "") return "";
  if (typeof name !== "string" || !Object.hasOwn(map, name)) {
    throw new RuntimeError("RUNTIME_DEFAULT_NOT_FOUND", `default runtime ${String(name)} was not found`, {
      value: name,
    });
  }
  return name;
}

import { RuntimeError } from "./errors.js";
import { classOptions } from "./options.js";
import type { DetectedRuntimes } from "./table.js";

/**
 * RuntimeClass names in the order of K3s's `manifests/runtimes.yaml`. `nvidia-cdi` is not in that
 * manifest (k3s-behaviours §7, §16.5) but the page says every supported runtime has a
 * RuntimeClass; see {@link RuntimeClassOptions.nvidiaCdi}.
 */
const MANIFEST_ORDER = [
  "nvidia",
  "nvidia-experimental",
  "nvidia-cdi",
  "crun",
  "lunatic",
  "slight",
  "spin",
  "wws",
  "wasmedge",
  "wasmer",
  "wasmtime",
] as const;

/** Options of {@link runtimeClassManifests}. */
export interface RuntimeClassOptions {
  /**
   * Include an `nvidia-cdi` RuntimeClass. Default `true`: the documentation page promises a
   * RuntimeClass for every supported runtime. `false` reproduces K3s's shipped manifest exactly.
   */
  nvidiaCdi?: boolean;
}

/**
 * Builds the `node.k8s.io/v1` RuntimeClass objects (name == handler) as a multi-document YAML
 * stream, for the detected runtimes or for `"all"` (what K3s deploys regardless of binaries).
 * Objects are built and validated with `kubernetes-models`.
 *
 * @example
 * ```ts
 * const yaml = await runtimeClassManifests("all", { nvidiaCdi: false }); // K3s's runtimes.yaml set
 * ```
 * @throws RUNTIME_UNKNOWN when a detected name is not a runtime K3s knows.
 * @throws RUNTIME_CLASS_INVALID when kubernetes-models rejects an object.
 */
export async function runtimeClassManifests(
  detected: DetectedRuntimes | "all",
  options: RuntimeClassOptions = {},
): Promise<string> {
  const includeCdi = classOptions(options, "runtimeClassManifests").nvidiaCdi ?? true;
  let names: string[];
  if (detected === "all") {
    names = MANIFEST_ORDER.filter((n) => includeCdi || n !== "nvidia-cdi");
  } else {
    if (typeof detected !== "object" || detected === null) {
      throw new RuntimeError("RUNTIME_OPTION_INVALID", 'detected must be a runtime map or "all"', {
        value: detected,
      });
    }
    for (const n of Object.keys(detected)) {
      if (!(MANIFEST_ORDER as readonly string[]).includes(n)) {
        throw new RuntimeError("RUNTIME_UNKNOWN", `unknown runtime ${n}`, { value: n });
      }
    }
    names = MANIFEST_ORDER.filter((n) => Object.hasOwn(detected, n) && (includeCdi || n !== "nvidia-cdi"));
  }
  // Lazy: importing the runtime module must not load kubernetes-models.
  const [{ RuntimeClass }, { stringify }] = await Promise.all([
    import("kubernetes-models/node.k8s.io/v1/RuntimeClass"),
    import("yaml"),
  ]);
  const docs = names.map((name) => {
    const rc = new RuntimeClass({ metadata: { name }, handler: name });
    try {
      rc.validate();
    } catch (err) {
      throw new RuntimeError(
        "RUNTIME_CLASS_INVALID",
        `RuntimeClass ${name} is invalid: ${(err as Error).message}`,
        { value: name, cause: err },
      );
    }
    return stringify(rc.toJSON());
  });
  return docs.join("---\n");
}

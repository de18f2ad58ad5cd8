/**
 * Gives the template dot K3s's Go types (k3s-behaviours §6.3): structs are marked with their Go
 * type names so a misspelt field is an execution error as in K3s, nil pointers are typed, maps
 * stay maps, nil maps and slices stay nil (for `toJson`). The types and their fields are the
 * schema in k3s-structs.ts.
 */
import { buildGoValue } from "./k3s-structs.js";
import type { ContainerdConfig, ContainerdConfigInput } from "./types.js";

/**
 * A copy of `config` typed like K3s's Go dot: `templates.ContainerdConfig` holding a
 * `*config.Node` (with `config.Containerd`, `config.CRIDockerd`, `config.Flannel`, `config.Agent`
 * values), a `*registries.Registry`, and `ExtraRuntimes` as a
 * `map[string]templates.ContainerdRuntimeConfig`. Every struct has K3s's full field set in K3s's
 * order (k3s-structs.ts). Anything `config` leaves out, or sets to `null`, is Go's zero value of
 * its type: `""`, `false`, `0`, a zero struct, a nil pointer (`NodeConfig`, registry `Auth`/`TLS`),
 * a nil map or slice (ranges like an empty one; `toJson` prints `null`). Pointers to the same
 * object stay one pointer (`AgentConfig.Registry` and `PrivateRegistryConfig`, as in K3s). The copy
 * shares no objects with `config`, so the caller's object is never marked or changed.
 *
 * @example
 * ```ts
 * const dot = goContainerdDot(containerdConfigFor({}));
 * renderTemplate("{{ .NodeConfig.Snapshoter }}", dot); // throws: can't evaluate field Snapshoter in type *config.Node
 * goContainerdDot({ NodeConfig: { AgentConfig: { NodeIPs: "10.0.0.1" } } }); // throws CONTAINERD_OPTION_INVALID, value "NodeConfig.AgentConfig.NodeIPs"
 * ```
 * @throws CONTAINERD_OPTION_INVALID (value: the field path, e.g. `ExtraRuntimes`) when a set field
 *   does not have its Go type: a string where a map or struct belongs, an IP text Go's
 *   `net.ParseIP` rejects, a non-integer `int`.
 */
export function goContainerdDot(config: ContainerdConfigInput): ContainerdConfig {
  return buildGoValue("templates.ContainerdConfig", config, "", new Map()) as ContainerdConfig;
}

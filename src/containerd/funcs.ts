import { goJoin } from "../internal/go/filepath.js";
import { goJsonMarshal } from "./go-json.js";

/**
 * `toJson`: K3s's `json.Marshal(v)` with the error ignored (an unencodable value gives ""), on the
 * Go-typed dot: struct fields in declaration order under their `json` tags (wharfie's `mirrors`,
 * `endpoint`, `ca_file`...), map keys sorted, nil pointers/maps/slices `null`, a nil `net.IP` `""`,
 * a `*net.IPNet` `{"IP":..,"Mask":..}`, Go's HTML-safe string escapes.
 * @example
 * ```ts
 * toJson({ a: "<b>" }); // '{"a":"\u003cb\u003e"}'
 * toJson(goContainerdDot({ ExtraRuntimes: null }).ExtraRuntimes); // "null"
 * ```
 * @throws never.
 */
export function toJson(value: unknown): string {
  return goJsonMarshal(value) ?? "";
}

/**
 * `deschemify`: the identity on Linux (on Windows K3s turns `npipe://` URLs into paths).
 * @example
 * ```ts
 * deschemify("/run/k3s/containerd/containerd.sock"); // unchanged
 * ```
 * @throws never.
 */
export function deschemify(s: unknown): string {
  return String(s);
}

/**
 * `filepathjoin`: Go `filepath.Join` (empty parts skipped, result cleaned).
 * @example
 * ```ts
 * filepathjoin("/etc/containerd/", "config-v3.toml.d", "*.toml"); // "/etc/containerd/config-v3.toml.d/*.toml"
 * ```
 * @throws never.
 */
export function filepathjoin(...elems: unknown[]): string {
  return goJoin(...elems.map((e) => String(e)));
}

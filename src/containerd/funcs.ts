import { goJoin } from "../internal/go/filepath.js";
import { arg, fail, plainString } from "./check.js";
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
 * @throws CONTAINERD_OPTION_INVALID when `s` is not a string (or holds NUL).
 */
export function deschemify(s: string): string {
  return deschemifyText(arg<string>(s, plainString, "s", "deschemify"));
}

/** {@link deschemify} without the argument check (the template funcs get Go-checked strings). */
export function deschemifyText(s: string): string {
  return s;
}

/**
 * `filepathjoin`: Go `filepath.Join` (empty parts skipped, result cleaned).
 * @example
 * ```ts
 * filepathjoin("/etc/containerd/", "config-v3.toml.d", "*.toml"); // "/etc/containerd/config-v3.toml.d/*.toml"
 * ```
 * @throws CONTAINERD_OPTION_INVALID when a part is not a string (or holds NUL), or for more than 10 000 parts.
 */
export function filepathjoin(...elems: string[]): string {
  if (elems.length > 10_000) throw fail(`filepathjoin: at most 10000 parts, got ${elems.length}`, { option: "elems" });
  for (let i = 0; i < elems.length; i++) arg(elems[i], plainString, `part ${i}`, "filepathjoin");
  return filepathjoinParts(elems);
}

/** {@link filepathjoin} without the argument check. */
export function filepathjoinParts(elems: readonly string[]): string {
  return goJoin(...elems);
}

import { goJoin } from "../internal/go/filepath.js";

/**
 * Go `json.Marshal` string escaping: after JSON.stringify, `<`, `>`, `&`, U+2028 and U+2029 are
 * escaped as `\u00XX` like Go's HTML-safe encoder.
 */
function goJsonEscape(s: string): string {
  return s.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * `toJson`: Go `json.Marshal`, errors ignored (an unencodable value gives "").
 * @example
 * ```ts
 * toJson({ a: "<b>" }); // '{"a":"\u003cb\u003e"}'
 * ```
 * @throws never.
 */
export function toJson(value: unknown): string {
  try {
    const s = JSON.stringify(value === undefined ? null : value);
    return s === undefined ? "" : goJsonEscape(s);
  } catch {
    return "";
  }
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

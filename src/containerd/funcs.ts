import { goJoin } from "../internal/go-filepath.js";

/**
 * Go `json.Marshal` string escaping: after JSON.stringify, `<`, `>`, `&`, U+2028 and U+2029 are
 * escaped as `\u00XX` like Go's HTML-safe encoder.
 */
function goJsonEscape(s: string): string {
  return s.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** `toJson`: Go `json.Marshal`, errors ignored (an unencodable value gives ""). */
export function toJson(value: unknown): string {
  try {
    const s = JSON.stringify(value === undefined ? null : value);
    return s === undefined ? "" : goJsonEscape(s);
  } catch {
    return "";
  }
}

/** `deschemify`: the identity on Linux (on Windows K3s turns `npipe://` URLs into paths). */
export function deschemify(s: unknown): string {
  return String(s);
}

/** `filepathjoin`: Go `filepath.Join`. */
export function filepathjoin(...elems: unknown[]): string {
  return goJoin(...elems.map((e) => String(e)));
}

/**
 * The FuncMap K3s gives containerd templates on Linux (k3s-behaviours §6.2). No sprig.
 * @internal
 */
export const CONTAINERD_TEMPLATE_FUNCS = Object.freeze({ deschemify, toJson, filepathjoin });

import { arg, is } from "./check.js";

/**
 * Go `strings.TrimSpace` whitespace (Unicode White_Space). JS `trim()` differs: it strips U+FEFF
 * and keeps U+0085.
 */
const GO_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$/;

/**
 * K3s's `trimEmpty` post-processing (k3s-behaviours §6.2): lines are split like Go's
 * `bufio.ScanLines` (on `\n`, one trailing `\r` dropped), lines that are blank after trimming are
 * removed, and every kept line that starts with `[` in column 0 gets an empty line before it.
 * Every kept line ends with `\n`.
 *
 * @example
 * ```ts
 * trimEmpty("a = 1\n\n\n[b]\n  c = 2\n"); // "a = 1\n\n[b]\n  c = 2\n"
 * ```
 * @throws CONTAINERD_OPTION_INVALID when `text` is not a string (or is over 64 MiB).
 */
export function trimEmpty(text: string): string {
  return trimEmptyText(arg<string>(text, is.text, "text", "trimEmpty"));
}

/** {@link trimEmpty} without the argument check (render and hosts pass their own text). */
export function trimEmptyText(text: string): string {
  let out = "";
  const lines = text.split("\n");
  // A trailing "\n" does not start another (empty) line in ScanLines.
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  for (let line of lines) {
    if (line.endsWith("\r")) line = line.slice(0, -1);
    if (GO_SPACE.test(line)) continue;
    if (line.startsWith("[")) out += "\n";
    out += `${line}\n`;
  }
  return out;
}

import TOML from "@iarna/toml";
import { arg, is } from "./check.js";
import { ContainerdError } from "./errors.js";

/** Where the rendered TOML broke: the template it came from, the 1-based line and its text. */
export interface TomlProblem {
  template: string;
  line: number;
  column: number;
  text: string;
}

/**
 * Parses rendered containerd config text as TOML (@iarna/toml) and returns the parsed table.
 * containerd silently ignores keys it does not know, but it refuses to start on a syntax error,
 * so this catches the breakage before the file is written.
 *
 * @example
 * ```ts
 * validateContainerdToml(renderContainerdConfig(cfg), "config-v3.toml.tmpl");
 * ```
 * @throws CONTAINERD_TOML_INVALID naming the template, the TOML line and the offending text
 *   (`value` is a {@link TomlProblem}).
 * @throws CONTAINERD_OPTION_INVALID when `text` or `templateName` is not a string (text over 64 MiB).
 */
export function validateContainerdToml(text: string, templateName: string): Record<string, unknown> {
  arg(text, is.text, "text", "validateContainerdToml");
  arg(templateName, is.string, "templateName", "validateContainerdToml");
  return parseContainerdToml(text, templateName);
}

/** {@link validateContainerdToml} without the argument check (render passes its own output). */
export function parseContainerdToml(text: string, templateName: string): Record<string, unknown> {
  try {
    return TOML.parse(text) as Record<string, unknown>;
  } catch (err) {
    const e = err as { line?: number; col?: number; message?: string };
    const line = typeof e.line === "number" ? e.line + 1 : 0;
    const lineText = line > 0 ? (text.split("\n")[line - 1] ?? "") : "";
    const reason =
      String(e.message ?? err)
        .split("\n")[0]
        ?.replace(/ at row \d+, col \d+, pos \d+:$/, "") ?? "";
    const problem: TomlProblem = {
      template: templateName,
      line,
      column: typeof e.col === "number" ? e.col + 1 : 0,
      text: lineText,
    };
    throw new ContainerdError(
      "CONTAINERD_TOML_INVALID",
      `template ${templateName} rendered invalid TOML at line ${line}: ${reason}: ${JSON.stringify(lineText)}`,
      { value: problem, cause: err },
    );
  }
}

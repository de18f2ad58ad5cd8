import { describe } from "../internal/options.js";
import { ProxyError } from "./errors.js";
import { checkEnvFileInput, checkText } from "./options.js";

/** One assignment read from an env file. */
export interface EnvFileEntry {
  key: string;
  value: string;
  /** 1-based line where the assignment starts. */
  line: number;
}

/** An assignment systemd reads but then ignores. */
export interface EnvFileIgnored {
  key: string;
  line: number;
  reason: "invalid-name" | "invalid-value";
}

export interface ParsedEnvFile {
  /** Effective variables (a later assignment replaces an earlier one). */
  env: Record<string, string>;
  /** Every valid assignment in file order, duplicates included. */
  entries: EnvFileEntry[];
  /** Assignments systemd drops (bad name, control characters in the value). */
  ignored: EnvFileIgnored[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// systemd refuses values with control characters other than tab and newline (env_value_is_valid).
const BAD_VALUE = /[\x00-\x08\x0b-\x1f\x7f]/;
// A lone surrogate has no UTF-8 form; systemd refuses the whole file on invalid UTF-8.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const WHITESPACE = " \t\n\r";
const NEWLINE = "\n\r";
// Characters a backslash escapes inside double quotes (systemd's SHELL_NEED_ESCAPE).
const DQ_ESCAPES = '"\\`$';

/**
 * Parses a systemd `EnvironmentFile=` the way systemd does (`parse_env_file_internal`): `#`/`;`
 * comment lines, `KEY=value` with whitespace trimmed around the key and before the value, unquoted
 * values with trailing whitespace trimmed and `\` escaping the next character (backslash-newline
 * continues the line), `'...'` literal, `"..."` with `\"`, `\\`, `` \` ``, `\$` and line
 * continuation; quoted parts concatenate. A line without `=` is skipped; text stops at a NUL.
 * Assignments with an invalid name or value are listed in `ignored`, as systemd drops them.
 *
 * @example
 * ```ts
 * parseServiceEnvFile("HTTP_PROXY='http://p:8888'\n# c\nNO_PROXY=\"a,b\"\n").env;
 * // { HTTP_PROXY: "http://p:8888", NO_PROXY: "a,b" }
 * ```
 * @throws {ProxyError} `ENV_FILE_INVALID_UTF8` when a key or value holds a lone surrogate (invalid
 *   UTF-8 makes systemd refuse the whole file). Any other text parses.
 */
export function parseServiceEnvFile(text: string): ParsedEnvFile {
  checkText(text, "text", "parseServiceEnvFile");
  const nul = text.indexOf("\0");
  const src = nul >= 0 ? text.slice(0, nul) : text;
  const entries: EnvFileEntry[] = [];
  const ignored: EnvFileIgnored[] = [];
  const env: Record<string, string> = {};
  type State =
    | "PRE_KEY"
    | "KEY"
    | "PRE_VALUE"
    | "VALUE"
    | "VALUE_ESC"
    | "SQ"
    | "DQ"
    | "DQ_ESC"
    | "COMMENT"
    | "COMMENT_ESC";
  let state: State = "PRE_KEY";
  let key = "";
  let value = "";
  let keyWs = -1; // index where trailing whitespace of the key starts
  let valueWs = -1;
  let line = 1;
  let startLine = 1;
  const push = (trimValue: boolean) => {
    let k = key;
    if (keyWs >= 0) k = k.slice(0, keyWs);
    let v = value;
    if (trimValue && valueWs >= 0) v = v.slice(0, valueWs);
    if (LONE_SURROGATE.test(k) || LONE_SURROGATE.test(v)) {
      throw new ProxyError(
        "ENV_FILE_INVALID_UTF8",
        `line ${startLine}: not valid UTF-8 (systemd refuses the file)`,
        { value: startLine },
      );
    }
    if (!NAME.test(k)) ignored.push({ key: k, line: startLine, reason: "invalid-name" });
    else if (BAD_VALUE.test(v)) ignored.push({ key: k, line: startLine, reason: "invalid-value" });
    else {
      entries.push({ key: k, value: v, line: startLine });
      delete env[k];
      env[k] = v;
    }
    key = "";
    value = "";
  };
  for (const c of src) {
    switch (state) {
      case "PRE_KEY":
        if (c === "#" || c === ";") state = "COMMENT";
        else if (!WHITESPACE.includes(c)) {
          state = "KEY";
          key = c;
          keyWs = -1;
          startLine = line;
        }
        break;
      case "KEY":
        if (NEWLINE.includes(c)) {
          state = "PRE_KEY";
          key = "";
        } else if (c === "=") {
          state = "PRE_VALUE";
          valueWs = -1;
        } else {
          if (!WHITESPACE.includes(c)) keyWs = -1;
          else if (keyWs < 0) keyWs = key.length;
          key += c;
        }
        break;
      case "PRE_VALUE":
        if (NEWLINE.includes(c)) {
          state = "PRE_KEY";
          push(false);
        } else if (c === "'") state = "SQ";
        else if (c === '"') state = "DQ";
        else if (c === "\\") state = "VALUE_ESC";
        else if (!WHITESPACE.includes(c)) {
          state = "VALUE";
          value += c;
        }
        break;
      case "VALUE":
        if (NEWLINE.includes(c)) {
          state = "PRE_KEY";
          push(true);
        } else if (c === "\\") {
          state = "VALUE_ESC";
          valueWs = -1;
        } else {
          if (!WHITESPACE.includes(c)) valueWs = -1;
          else if (valueWs < 0) valueWs = value.length;
          value += c;
        }
        break;
      case "VALUE_ESC":
        state = "VALUE";
        if (!NEWLINE.includes(c)) value += c;
        break;
      case "SQ":
        if (c === "'") state = "PRE_VALUE";
        else value += c;
        break;
      case "DQ":
        if (c === '"') state = "PRE_VALUE";
        else if (c === "\\") state = "DQ_ESC";
        else value += c;
        break;
      case "DQ_ESC":
        state = "DQ";
        if (DQ_ESCAPES.includes(c)) value += c;
        else if (c !== "\n") value += `\\${c}`;
        break;
      case "COMMENT":
        if (c === "\\") state = "COMMENT_ESC";
        else if (NEWLINE.includes(c)) state = "PRE_KEY";
        break;
      case "COMMENT_ESC":
        state = NEWLINE.includes(c) ? "PRE_KEY" : "COMMENT";
        break;
    }
    if (c === "\n") line++;
  }
  if (
    state === "PRE_VALUE" ||
    state === "VALUE" ||
    state === "VALUE_ESC" ||
    state === "SQ" ||
    state === "DQ" ||
    state === "DQ_ESC"
  ) {
    push(state === "VALUE");
  }
  return { env, entries, ignored };
}

const BARE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * Renders a systemd `EnvironmentFile=` that {@link parseServiceEnvFile} (and systemd) reads back to
 * exactly the same variables: simple values bare, everything else in double quotes with `"`, `\`,
 * `` ` `` and `$` escaped (newlines and tabs are kept literally inside the quotes).
 *
 * @example
 * ```ts
 * renderServiceEnvFile({ HTTP_PROXY: "http://p:8888", NOTE: 'say "hi" $HOME' });
 * // 'HTTP_PROXY=http://p:8888\nNOTE="say \\"hi\\" \\$HOME"\n'
 * ```
 * @throws {ProxyError} `ENV_FILE_INVALID_NAME` (not `[A-Za-z_][A-Za-z0-9_]*`),
 *   `ENV_FILE_INVALID_VALUE` (control characters other than tab/newline, NUL, lone surrogates):
 *   systemd would drop such an assignment.
 */
export function renderServiceEnvFile(
  env: Readonly<Record<string, string>> | ReadonlyArray<readonly [string, string]>,
): string {
  const pairs = checkEnvFileInput(env, "renderServiceEnvFile");
  let out = "";
  for (const [k, v] of pairs) {
    if (typeof k !== "string" || !NAME.test(k)) {
      throw new ProxyError(
        "ENV_FILE_INVALID_NAME",
        `${describe(k)} is not a valid environment variable name`,
        { value: typeof k === "string" ? k.slice(0, 200) : describe(k) },
      );
    }
    if (typeof v !== "string" || BAD_VALUE.test(v) || LONE_SURROGATE.test(v)) {
      throw new ProxyError(
        "ENV_FILE_INVALID_VALUE",
        `value of ${k as string} contains characters systemd refuses`,
        {
          value: k,
        },
      );
    }
    out += `${k as string}=${BARE.test(v) ? v : `"${v.replace(/["\\`$]/g, (ch) => `\\${ch}`)}"`}\n`;
  }
  return out;
}

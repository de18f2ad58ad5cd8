/**
 * `<dataDir>/server/cred/passwd`: CSV rows `password,name,name,role` (§2.1). Pure parse/render.
 */
import { type Check, is } from "../internal/options.js";
import { TokenError } from "./errors.js";
import { arg } from "./options.js";

export interface PasswdEntry {
  password: string;
  name: string;
  uid: string;
  /** Groups, from the comma-split 4th column, e.g. `["k3s:server"]`. */
  groups: string[];
}

function splitCsvLine(line: string, file: string, lineNo: number): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"' && cur === "") quoted = true;
    else if (ch === ",") {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  if (quoted)
    throw new TokenError("TOKEN_FILE_INVALID", `${file}:${lineNo}: unterminated quote`, {
      value: `${file}:${lineNo}`,
    });
  out.push(cur);
  return out;
}

/**
 * Parses a passwd file. Rows need at least 3 columns (`password,name,uid[,groups]`), like K3s.
 *
 * @example
 * ```ts
 * parsePasswd("abc,server,server,k3s:server\n");
 * ```
 * @throws TokenError `TOKEN_FILE_INVALID` naming the file and line
 */
export function parsePasswd(text: string, file = "passwd"): PasswdEntry[] {
  const t = arg<string>(text, is.text, "text", "parsePasswd");
  const f = file === undefined ? "passwd" : arg<string>(file, is.string, "file", "parsePasswd");
  return parse(t, f);
}

function parse(text: string, file: string): PasswdEntry[] {
  const out: PasswdEntry[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.replace(/\r$/, "");
    if (line.trim() === "") return;
    const cols = splitCsvLine(line, file, i + 1);
    if (cols.length < 3)
      throw new TokenError(
        "TOKEN_FILE_INVALID",
        `${file}:${i + 1}: password file must have at least 3 columns`,
        { value: `${file}:${i + 1}` },
      );
    out.push({
      password: cols[0] ?? "",
      name: cols[1] ?? "",
      uid: cols[2] ?? "",
      groups: (cols[3] ?? "").split(",").filter(Boolean),
    });
  });
  return out;
}

const csvField = (s: string): string =>
  /[",\n\r]/.test(s) || s.startsWith(" ") ? `"${s.replace(/"/g, '""')}"` : s;

/**
 * Renders passwd rows (sorted by name so output is stable; K3s's order is unspecified).
 * @example
 * ```ts
 * renderPasswd([{ password: "abc", name: "server", uid: "server", groups: ["k3s:server"] }]); // "abc,server,server,k3s:server\n"
 * ```
 */
export function renderPasswd(entries: readonly PasswdEntry[]): string {
  return render(arg<readonly PasswdEntry[]>(entries, passwdEntries, "entries", "renderPasswd"));
}

/** Rows of {@link renderPasswd}; a bad password is named by its row, never shown. */
const passwdEntries: Check = (v) => {
  if (!Array.isArray(v) || v.length > 100_000) return "must be a list of passwd entries";
  for (let i = 0; i < v.length; i++) {
    const e = v[i] as Partial<PasswdEntry> | null;
    if (typeof e !== "object" || e === null || Array.isArray(e)) return `item ${i} must be an object`;
    for (const k of ["password", "name", "uid"] as const) {
      if (typeof e[k] !== "string") return `item ${i} field "${k}" must be a string`;
    }
    if (is.stringArray(e.groups) !== undefined) return `item ${i} field "groups" must be a list of strings`;
  }
  return undefined;
};

function render(entries: readonly PasswdEntry[]): string {
  return [...entries]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((e) => [e.password, e.name, e.uid, e.groups.join(",")].map(csvField).join(","))
    .map((l) => `${l}\n`)
    .join("");
}

/** K3s `EnsureUser` password handling: a `K10…::<name>:` prefix is stripped. */
export function stripUserPrefix(pass: string, name: string): string {
  const m = /^K10[^:]*::([^:]*):(.*)$/s.exec(pass);
  if (m && m[1] === name) return m[2] ?? "";
  return pass;
}

/** Sets (or adds) `name`'s row; returns a new list. */
export function setUser(
  entries: readonly PasswdEntry[],
  name: string,
  role: string,
  password: string,
): PasswdEntry[] {
  const out = entries.filter((e) => e.name !== name);
  const prev = entries.find((e) => e.name === name);
  out.push({ password, name, uid: prev?.uid ?? name, groups: prev?.groups.length ? prev.groups : [role] });
  return out;
}

import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseServiceEnvFile, renderServiceEnvFile } from "../../../src/proxy/index.js";
import { tempDir } from "../../helpers/tmp.js";

// systemd's own env-file parser, reached through the environment.d generator: it reads
// $XDG_CONFIG_HOME/environment.d/*.conf with the same load_env_file code EnvironmentFile= uses, and
// prints the result. (environment.d also expands $VAR, so values here avoid "$".)
const GENERATOR = "/usr/lib/systemd/user-environment-generators/30-systemd-environment-d-generator";

// The generator prints values shell-quoted, with C escapes (\t, \n, \xNN) for control characters.
const C_ESCAPES: Record<string, string> = { t: "\t", n: "\n", r: "\r", a: "\x07", b: "\b", f: "\f", v: "\v" };
function decode(v: string): string {
  if (!(v.length >= 2 && v.startsWith('"') && v.endsWith('"'))) return v;
  return v
    .slice(1, -1)
    .replace(/\\(x[0-9a-fA-F]{2}|[0-7]{3}|.)/gs, (_, e: string) =>
      e.length === 3 && e.startsWith("x") ? String.fromCharCode(Number.parseInt(e.slice(1), 16)) : e.length === 3 ? String.fromCharCode(Number.parseInt(e, 8)) : (C_ESCAPES[e] ?? e),
    );
}

/** environment.d ignores assignments whose value is empty (systemd sees no value at all); EnvironmentFile= keeps them. */
function withoutEmpty(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of parseServiceEnvFile(text).entries) if (e.value !== "") out[e.key] = e.value;
  return out;
}

describe("parseServiceEnvFile vs systemd's parser (environment.d generator)", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir("k3s-node-kit-envd-"));
  });
  afterAll(async () => cleanup());

  async function systemdParse(text: string): Promise<Record<string, string>> {
    const d = join(dir, "environment.d");
    await rm(d, { recursive: true, force: true });
    await mkdir(d, { recursive: true });
    await writeFile(join(d, "50-test.conf"), text);
    const out = execFileSync(GENERATOR, [], { env: { XDG_CONFIG_HOME: dir, HOME: dir }, encoding: "utf8" });
    const env: Record<string, string> = {};
    for (const line of out.split("\n")) {
      const eq = line.indexOf("=");
      if (eq > 0 && line.startsWith("T")) env[line.slice(0, eq)] = decode(line.slice(eq + 1));
    }
    return env;
  }

  it("the generator is present (systemd is installed here and in CI)", () => {
    expect(existsSync(GENERATOR)).toBe(true);
  });

  it("rendered files read back identically in systemd", async () => {
    const samples = fc.sample(
      fc.dictionary(
        fc.stringMatching(/^T[A-Z0-9_]{0,8}$/),
        fc.array(fc.constantFrom("a", " ", "\t", '"', "'", "\\", "`", "#", ";", "=", "é", ",", "/", ":"), { maxLength: 16 }).map((a) => a.join("")),
        { maxKeys: 5 },
      ),
      { seed: 42, numRuns: 120 },
    );
    const bad: string[] = [];
    for (const env of samples) {
      const text = renderServiceEnvFile(env);
      const sys = await systemdParse(text);
      const expected = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ""));
      expect(withoutEmpty(text)).toEqual(expected);
      const same = Object.keys(expected).length === Object.keys(sys).length && Object.entries(expected).every(([k, v]) => sys[k] === v);
      if (!same) bad.push(`${JSON.stringify(text)} systemd=${JSON.stringify(sys)}`);
    }
    expect(bad).toEqual([]);
  });

  it("arbitrary env-file text parses as systemd parses it", async () => {
    const samples = fc.sample(
      fc.array(fc.constantFrom("TA", "TB", "=", "'", '"', "\\", "\n", " ", "\t", "#", ";", "x", "\r"), { maxLength: 24 }).map((a) => a.join("")),
      { seed: 42, numRuns: 200 },
    );
    const bad: string[] = [];
    for (const text of samples) {
      const ours = withoutEmpty(text);
      const sys = await systemdParse(text);
      const same = Object.keys(ours).length === Object.keys(sys).length && Object.entries(ours).every(([k, v]) => sys[k] === v);
      if (!same) bad.push(`${JSON.stringify(text)} ours=${JSON.stringify(ours)} systemd=${JSON.stringify(sys)}`);
    }
    expect(bad).toEqual([]);
  });
});

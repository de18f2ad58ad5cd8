import { Template, TemplateExecError, TemplateParseError, goFunc } from "../template/index.js";
import { isKitError } from "../errors/index.js";
import { BASE_TEMPLATE_V2, BASE_TEMPLATE_V3 } from "./base-templates.js";
import { ContainerdError } from "./errors.js";
import { goContainerdDot } from "./go-dot.js";
import { checkOptions, configObject, configVersion, fail, is } from "./check.js";
import { deschemifyText, filepathjoinParts, toJson } from "./funcs.js";
import { trimEmptyText } from "./trim-empty.js";
import type { ConfigVersion, ContainerdConfigInput } from "./types.js";
import { parseContainerdToml } from "./validate-toml.js";

/** Options of {@link renderContainerdConfig}. */
export interface RenderContainerdOptions {
  /** Config version: which base template (and `base` for a user template). Default 3. */
  version?: ConfigVersion;
  /** A user template (the content of `config-v3.toml.tmpl` / `config.toml.tmpl`). */
  userTemplate?: string;
  /** Name of the user template file, used in error messages. Default by version. */
  userTemplateName?: string;
  /** Parse the result as TOML and throw on a syntax error. Default `true`. */
  validate?: boolean;
}

/** Go signatures, so a user template calling them with wrong types fails as in Go. */
const FUNCS = {
  deschemify: goFunc(["string"], "string", (s: string) => deschemifyText(s)),
  toJson: goFunc(["any"], "string", (v: unknown) => toJson(v)),
  filepathjoin: goFunc(["...string"], "string", (...e: string[]) => filepathjoinParts(e)),
};

/**
 * Our base template text for a config version (k3s-behaviours §6.4), Go template syntax.
 * @example
 * ```ts
 * baseTemplateText(2).includes('[plugins."io.containerd.grpc.v1.cri"]'); // true
 * ```
 * @throws never.
 */
export function baseTemplateText(version: ConfigVersion = 3): string {
  return version === 2 ? BASE_TEMPLATE_V2 : BASE_TEMPLATE_V3;
}

/**
 * The user-template file name K3s reads for a version (k3s-behaviours §6.2).
 * @example
 * ```ts
 * templateFileName(3); // "config-v3.toml.tmpl"
 * ```
 * @throws never.
 */
export function templateFileName(version: ConfigVersion): string {
  return version === 2 ? "config.toml.tmpl" : "config-v3.toml.tmpl";
}

// The built-in templates never change: parse each once.
const builtIn = new Map<ConfigVersion, Template>();

function builtInTemplate(version: ConfigVersion): Template {
  let t = builtIn.get(version);
  if (!t) {
    t = new Template("base").funcs(FUNCS).parse(baseTemplateText(version));
    builtIn.set(version, t);
  }
  return t;
}

function wrap(err: unknown, templateName: string): never {
  if (err instanceof TemplateParseError || isKitError(err, "TEMPLATE_PARSE")) {
    throw new ContainerdError(
      "CONTAINERD_TEMPLATE_PARSE",
      `containerd template ${templateName} failed to parse: ${(err as Error).message}`,
      {
        value: templateName,
        cause: err,
      },
    );
  }
  if (err instanceof TemplateExecError || isKitError(err, "TEMPLATE_EXEC")) {
    throw new ContainerdError(
      "CONTAINERD_TEMPLATE_EXEC",
      `containerd template ${templateName} failed to execute: ${(err as Error).message}`,
      {
        value: templateName,
        cause: err,
      },
    );
  }
  throw err;
}

/**
 * Renders containerd's `config.toml` from K3s's template dot, exactly as K3s does
 * (k3s-behaviours §6.2): the user template (if any) is parsed as `compiled_template` with the
 * funcs `deschemify`, `toJson`, `filepathjoin`, the base template of `version` is added as
 * `base` (so `{{ template "base" . }}` works), the result goes through `trimEmpty` and is then
 * checked as TOML. Pure: no I/O.
 *
 * @example
 * ```ts
 * const toml = renderContainerdConfig(containerdConfigFor({}), { version: 3 });
 * const custom = renderContainerdConfig(cfg, { userTemplate: '{{ template "base" . }}\n[x]\n  y = 1\n' });
 * ```
 * @throws CONTAINERD_TEMPLATE_PARSE / CONTAINERD_TEMPLATE_EXEC for a user template Go would reject.
 * @throws CONTAINERD_TOML_INVALID when the output is not valid TOML (names template, line, text).
 * @throws CONTAINERD_OPTION_INVALID for an unknown version, a non-string template, or a `config` field
 *   that does not have its Go type (value: the field path; see {@link goContainerdDot}). Fields left
 *   out are Go zero values; only own fields are read (a `__proto__` key is data).
 */
export function renderContainerdConfig(
  config: ContainerdConfigInput,
  options?: RenderContainerdOptions,
): string {
  configObject(config, "renderContainerdConfig");
  const checked = checkOptions<RenderContainerdOptions>(
    options,
    { version: configVersion, userTemplate: is.text, userTemplateName: is.string, validate: is.boolean },
    fail,
    "renderContainerdConfig",
  );
  return renderConfig(config, checked);
}

/** {@link renderContainerdConfig} without the argument check (writeContainerdConfig checked its own). */
export function renderConfig(config: ContainerdConfigInput, options: RenderContainerdOptions): string {
  const version = options.version ?? 3;
  // K3s always renders with a node config and sets ConfigVersion on it before rendering; templates
  // can read it. The dot gets K3s's Go struct types, so a misspelt field fails as it does in K3s.
  const dot = goContainerdDot({
    ...config,
    NodeConfig: (Object.hasOwn(config, "NodeConfig") ? config.NodeConfig : undefined) ?? {},
  } as ContainerdConfigInput);
  (dot.NodeConfig.Containerd as { ConfigVersion: number }).ConfigVersion = version;
  let raw: string;
  let name: string;
  if (options.userTemplate === undefined) {
    name = `built-in v${version} base template`;
    try {
      raw = builtInTemplate(version).execute(dot);
    } catch (err) {
      wrap(err, name);
    }
  } else {
    name = options.userTemplateName ?? templateFileName(version);
    try {
      const t = new Template("compiled_template").funcs(FUNCS).parse(options.userTemplate);
      t.new("base").parse(baseTemplateText(version));
      raw = t.execute(dot);
    } catch (err) {
      wrap(err, name);
    }
  }
  const out = trimEmptyText(raw);
  if (options.validate ?? true) parseContainerdToml(out, name);
  return out;
}

import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type ContainerdConfigOptions, containerdConfigFor } from "../../../src/containerd/builder.js";
import { parseRegistriesYaml } from "../../../src/containerd/registries.js";
import type { ContainerdConfig } from "../../../src/containerd/types.js";

export const fixtureDir = join(dirname(fileURLToPath(import.meta.url)), "../../fixtures/containerd");

export interface Scenario {
  name: string;
  options: ContainerdConfigOptions & { registriesYaml?: string };
  userTemplate?: { "2": string; "3": string };
}

export function loadScenarios(): Scenario[] {
  return JSON.parse(readFileSync(join(fixtureDir, "scenarios.json"), "utf8")) as Scenario[];
}

/** The builder input of a scenario (registries.yaml text parsed first). */
export function scenarioConfig(s: Scenario): ContainerdConfig {
  const { registriesYaml, ...opts } = s.options;
  return containerdConfigFor({
    ...opts,
    ...(registriesYaml === undefined ? {} : { registries: parseRegistriesYaml(registriesYaml) }),
  });
}

export const fixtureName = (s: Scenario, version: 2 | 3): string => `${s.name}.v${version}.toml`;

/**
 * One `pulumi up` of a program under Pulumi's mocks, with the engine's part for dynamic resources
 * played as the engine plays it: the serialized `__provider` text is loaded the way Pulumi's
 * dynamic-provider host loads it (compiled as a CommonJS module from a string, in the program's
 * directory) and its check / diff / create / update run against the state of the previous up.
 *
 *   node --import tsx test/integration/pulumi/mock-engine.ts <program.ts> <state.json>
 *
 * Prints one JSON line: per resource the operation (create / same / update / replace), and the
 * program's exports (secrets flagged).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import Module from "node:module";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import * as pulumi from "@pulumi/pulumi";

type Props = Record<string, unknown>;
interface Provider {
  check(
    olds: Props,
    news: Props,
  ): Promise<{ inputs?: Props; failures?: { property: string; reason: string }[] }>;
  diff(id: string, olds: Props, news: Props): Promise<{ changes?: boolean; replaces?: string[] }>;
  create(inputs: Props): Promise<{ id: string; outs?: Props }>;
  update(id: string, olds: Props, news: Props): Promise<{ outs?: Props }>;
  read(id: string, props: Props): Promise<{ id?: string; props?: Props }>;
}
interface Entry {
  id: string;
  inputs: Props;
  outs: Props;
  op: string;
}

const [programPath, statePath] = process.argv.slice(2) as [string, string];
const olds: Record<string, Entry> = existsSync(statePath) ? JSON.parse(readFileSync(statePath, "utf8")) : {};
const next: Record<string, Entry> = {};

/** What require-from-string (used by Pulumi's dynamic-provider host) does: a module compiled from text. */
function loadProvider(text: string): Provider {
  const m = new Module("", undefined) as Module & {
    _compile(code: string, file: string): void;
    paths: string[];
  };
  m.filename = "";
  m.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(".");
  m._compile(text, "");
  return (m.exports as { handler(): Provider }).handler();
}

await pulumi.runtime.setMocks(
  {
    async newResource(args) {
      if (!args.type.startsWith("pulumi-nodejs:dynamic"))
        return { id: `${args.name}_id`, state: args.inputs };
      const text = args.inputs.__provider;
      if (typeof text !== "string") throw new Error(`${args.name}: no serialized provider`);
      const provider = loadProvider(text);
      const old = olds[args.name];
      const checked = await provider.check(old?.inputs ?? {}, args.inputs);
      if (checked.failures?.length) throw new Error(JSON.stringify(checked.failures));
      const inputs = { ...(checked.inputs ?? args.inputs), __provider: text };
      let entry: Entry;
      if (old === undefined) {
        const r = await provider.create(inputs);
        entry = { id: r.id, inputs, outs: r.outs ?? {}, op: "create" };
      } else {
        const oldState = { ...old.outs, __provider: old.inputs.__provider };
        // A refresh first, as `pulumi up --refresh` does.
        await provider.read(old.id, oldState);
        const d = await provider.diff(old.id, oldState, inputs);
        if (d.replaces?.length) {
          const r = await provider.create(inputs);
          entry = { id: r.id, inputs, outs: r.outs ?? {}, op: `replace(${d.replaces.join(",")})` };
        } else if (d.changes) {
          const r = await provider.update(old.id, oldState, inputs);
          entry = { id: old.id, inputs, outs: r.outs ?? {}, op: "update" };
        } else entry = { ...old, inputs, op: "same" };
      }
      next[args.name] = entry;
      return { id: entry.id, state: entry.outs };
    },
    call: (args) => args.inputs,
  },
  "k3s-node-kit-seed",
  "dev",
  false,
);

const program = (await import(pathToFileURL(resolve(programPath)).href)) as Record<string, unknown>;
const exported: Record<string, { value: unknown; secret: boolean }> = {};
for (const [name, value] of Object.entries(program)) {
  if (!pulumi.Output.isInstance(value)) continue;
  const out = value as pulumi.Output<unknown>;
  exported[name] = {
    value: await new Promise((done) => out.apply(done)),
    secret: await pulumi.isSecret(out),
  };
}
writeFileSync(statePath, JSON.stringify(next));
const ops = Object.fromEntries(Object.entries(next).map(([k, v]) => [k, v.op]));
console.log(JSON.stringify({ ops, exported }));

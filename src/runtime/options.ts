/**
 * Edge validation of `k3s-node-kit/runtime`: each export checks its input once, here, with the
 * generic checks of src/internal/options.ts; inner code takes the checked values.
 * @internal
 */
import { checkArg, checkOptions, is } from "../internal/options.js";
import { RuntimeError } from "./errors.js";
import type { DetectedRuntimes } from "./table.js";

// The option shapes are spelled here, not imported: detect.ts and runtime-classes.ts import this file.
type SearchOptions = { path?: string; extraDirs?: readonly string[] };
type ClassOptions = { nvidiaCdi?: boolean };

const fail = (message: string, value: unknown): RuntimeError => new RuntimeError("RUNTIME_OPTION_INVALID", message, { value });

/** Options of `detectRuntimes` / `runtimeSearchDirs`. */
export const searchOptions = (value: unknown, what: string): SearchOptions =>
  checkOptions<SearchOptions>(value, { path: is.string, extraDirs: is.stringArray }, fail, what);

/** Options of `runtimeClassManifests`. */
export const classOptions = (value: unknown, what: string): ClassOptions =>
  checkOptions<ClassOptions>(value, { nvidiaCdi: is.boolean }, fail, what);

/** A runtime map as `detectRuntimes` returns it. */
export const detectedMap = (value: unknown, what: string): DetectedRuntimes =>
  checkArg<DetectedRuntimes>(value, is.record, "detected", fail, what);

import type { ChildProcess } from "node:child_process";

/**
 * Every child the SDK runs, so none outlives the host process: one `exit` listener for the whole
 * module (installed with the first child, never per call) kills what is still running.
 */
const live = new Set<ChildProcess>();
let hooked = false;

/** Tracks `child` until it exits. @internal */
export function track(child: ChildProcess): void {
  live.add(child);
  child.once("exit", () => live.delete(child));
  if (!hooked) {
    hooked = true;
    process.once("exit", () => {
      for (const c of live) c.kill("SIGKILL");
    });
  }
}

/** How many tracked children are still running (for tests). @internal */
export function liveChildren(): number {
  return live.size;
}

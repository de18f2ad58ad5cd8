/**
 * Liveness of key generation in a real Node process. On Node 20, exporting the JWK of a key made by
 * generateKeyPairSync can deadlock the process (the export holds the key's mutex while it allocates;
 * a GC destroys the finished key-generation job, whose destructor takes the same mutex). The SDK used
 * to read P-256 points that way: 10,000 createCSR() calls hung in two of three runs. This runs 20,000
 * (each makes a key) in a child of the built package and fails if the child does not finish: a
 * deadlocked child sits idle for ever, a slow one finishes. No timing is asserted.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, projectRoot } from "../../helpers/dist.js";

const CALLS = 20_000;
const DEADLINE_MS = 150_000;

describe("P-256 key generation never deadlocks the process", () => {
  beforeAll(() => ensureBuilt(), 180_000);

  it(`${CALLS} createCSR() calls in one process all return`, async () => {
    const certs = pathToFileURL(join(projectRoot, "dist", "certs.js")).href;
    const script = `const { createCSR } = await import(${JSON.stringify(certs)});
for (let i = 0; i < ${CALLS}; i++) createCSR();
console.log("finished");`;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    const outcome = await new Promise<string>((resolve) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        resolve(`did not finish in ${DEADLINE_MS / 1000} s (deadlocked)`);
      }, DEADLINE_MS);
      child.on("exit", (code) => {
        clearTimeout(timer);
        resolve(code === 0 && out.includes("finished") ? "finished" : `exited ${code}: ${out}`);
      });
    });
    expect(outcome).toBe("finished");
  }, DEADLINE_MS + 10_000);
});

/** Issue 12's attacks on certificate rotation: a data dir that is relative or has `..` parts. */
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { rotateCertificates } from "../../../src/certs/index.js";
import { isKitError } from "../../../src/errors/index.js";
import { tempDir } from "../../helpers/tmp.js";

let root: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir: root, cleanup } = await tempDir());
});
afterEach(() => cleanup());

describe("issue 12: rotateCertificates acts only under an absolute data dir taken as written", () => {
  it("a relative dataDir is PATH_UNSAFE and no agent/tls-<unix> backup appears in the working directory", async () => {
    const err = await rotateCertificates("rel").catch((e: unknown) => e);
    expect(isKitError(err, "PATH_UNSAFE"), String(err)).toBe(true);
    expect(existsSync("rel")).toBe(false);
    expect(existsSync("agent")).toBe(false);
  });

  it('a dataDir with ".." parts ("<box>/../outside") is PATH_UNSAFE and nothing is made beside the box', async () => {
    const box = join(root, "box");
    mkdirSync(box);
    // Spelled out as a caller would pass it (join() would normalise the "..").
    const err = await rotateCertificates(`${box}/../outside`).catch((e: unknown) => e);
    expect(isKitError(err, "PATH_UNSAFE"), String(err)).toBe(true);
    expect(readdirSync(root)).toEqual(["box"]);
  });

  it("an absolute agent data dir is still rotated (control): the backup dir is made under it", async () => {
    const dd = join(root, "dd");
    mkdirSync(join(dd, "agent"), { recursive: true });
    const r = await rotateCertificates(dd, { now: new Date(1_700_000_000_000) });
    expect(existsSync(join(dd, "agent", "tls-1700000000"))).toBe(true);
    expect(r).toBeDefined();
  });

  it("an absolute dir where K3s never ran (no server/ or agent/) is CERT_OPTION_INVALID and stays empty", async () => {
    const outside = join(root, "outside");
    mkdirSync(outside);
    const err = await rotateCertificates(outside).catch((e: unknown) => e);
    expect(isKitError(err, "CERT_OPTION_INVALID"), String(err)).toBe(true);
    expect(readdirSync(outside)).toEqual([]);
  });
});

import { spawnSync } from "node:child_process";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rootlessUserUnit } from "../../../src/rootless/index.js";
import { tempDir } from "../../helpers/tmp.js";

// The k3s-rootless.service user unit (k3s-behaviours §10) checked by systemd's own unit parser.
describe("rootlessUserUnit passes systemd-analyze verify", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir("k3s-node-kit-rootless-unit-"));
  });
  afterAll(async () => cleanup());

  it("with environment and arguments that need quoting", async () => {
    const bin = join(dir, "bin");
    await mkdir(bin, { recursive: true });
    await writeFile(join(bin, "k3s"), "#!/bin/sh\n");
    await chmod(join(bin, "k3s"), 0o755);
    const unit = join(dir, "k3s-rootless.service");
    await writeFile(
      unit,
      rootlessUserUnit({
        binary: join(bin, "k3s"),
        args: ["--snapshotter=fuse-overlayfs", "--node-label=a=$b%c", 'say "hi"'],
        environment: { K3S_ROOTLESS_PORT_DRIVER: "slirp4netns", K3S_ROOTLESS_COPYUPDIRS: "/opt/a b" },
      }),
    );
    const r = spawnSync("systemd-analyze", ["verify", unit], { encoding: "utf8", timeout: 30_000 });
    expect(r.stderr).not.toMatch(/k3s-rootless\.service:\d+:/);
    expect(r.status).toBe(0);
  });
});

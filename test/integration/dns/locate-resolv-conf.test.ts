import { mkdir, readFile, stat, writeFile, chmod } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GENERATED_RESOLV_CONF, GENERATED_RESOLV_CONF_WARNING, locateResolvConf } from "../../../src/dns/index.js";
import { tempDir } from "../../helpers/tmp.js";

// k3s-behaviours §3 steps 1-3, on the real filesystem.
describe("locateResolvConf", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir("k3s-node-kit-dns-"));
  });
  afterAll(async () => cleanup());

  it("returns the override as is, without reading it", async () => {
    const r = await locateResolvConf({ override: join(dir, "does-not-exist"), dataDir: join(dir, "dd0") });
    expect(r).toEqual({ path: join(dir, "does-not-exist"), source: "override", candidates: [] });
  });

  it("takes the first viable candidate, skipping missing and unviable ones", async () => {
    const stubby = join(dir, "stub.conf");
    const good = join(dir, "good.conf");
    await writeFile(stubby, "nameserver 127.0.0.53\noptions edns0 trust-ad\n");
    await writeFile(good, "nameserver 10.0.0.2\n");
    const r = await locateResolvConf({ candidates: [join(dir, "missing"), stubby, good], dataDir: join(dir, "dd1") });
    expect(r.path).toBe(good);
    expect(r.source).toBe("host");
    expect(r.warning).toBeUndefined();
    expect(r.candidates.map((c) => [c.readable, c.check?.viable])).toEqual([[false, undefined], [true, false], [true, true]]);
    await expect(stat(join(dir, "dd1"))).rejects.toThrow();
  });

  it("writes the stub under <dataDir>/agent/etc/resolv.conf (0644, dirs 0755) and returns K3s's warning", async () => {
    const bad = join(dir, "bad.conf");
    await writeFile(bad, "nameserver 169.254.169.254\n");
    const dataDir = join(dir, "dd2");
    const r = await locateResolvConf({ candidates: [bad, join(dir, "nope")], dataDir });
    const stub = join(dataDir, "agent", "etc", "resolv.conf");
    expect(r).toMatchObject({ path: stub, source: "generated", warning: GENERATED_RESOLV_CONF_WARNING });
    expect(await readFile(stub, "utf8")).toBe("nameserver 8.8.8.8\nnameserver 2001:4860:4860::8888\n");
    expect(GENERATED_RESOLV_CONF).toBe("nameserver 8.8.8.8\nnameserver 2001:4860:4860::8888\n");
    expect((await stat(stub)).mode & 0o777).toBe(0o644);
    expect((await stat(join(dataDir, "agent", "etc"))).mode & 0o777).toBe(0o755);
    // With the source's rules the IMDS nameserver is fine, so no stub is needed.
    const src = await locateResolvConf({ candidates: [bad], dataDir: join(dir, "dd3"), follow: "source" });
    expect(src.path).toBe(bad);
  });

  it("a directory as candidate is not readable as a file and is skipped", async () => {
    const r = await locateResolvConf({ candidates: [dir], dataDir: join(dir, "dd4") });
    expect(r.source).toBe("generated");
  });

  it("throws RESOLV_CONF_WRITE_FAILED when the stub cannot be written", async () => {
    if (process.getuid?.() === 0) {
      // root ignores directory modes; make the parent a file instead.
      const blocker = join(dir, "blocker");
      await writeFile(blocker, "");
      await expect(locateResolvConf({ candidates: [], dataDir: blocker })).rejects.toMatchObject({ code: "RESOLV_CONF_WRITE_FAILED" });
    } else {
      const ro = join(dir, "ro");
      await mkdir(ro);
      await chmod(ro, 0o500);
      await expect(locateResolvConf({ candidates: [], dataDir: ro })).rejects.toMatchObject({ code: "RESOLV_CONF_WRITE_FAILED" });
    }
  });

  it("validates options and honours an aborted signal", async () => {
    await expect(locateResolvConf({ dataDir: "" })).rejects.toMatchObject({ code: "DNS_OPTION_INVALID" });
    await expect(locateResolvConf({ dataDir: dir, candidates: [""] })).rejects.toMatchObject({ code: "DNS_OPTION_INVALID" });
    const ac = new AbortController();
    ac.abort(new Error("stop"));
    await expect(locateResolvConf({ dataDir: dir, signal: ac.signal })).rejects.toThrow("stop");
  });

  it("on this host: reports what /etc/resolv.conf gives", async () => {
    const r = await locateResolvConf({ dataDir: join(dir, "host") });
    console.log(`[dns] host resolv.conf decision: ${r.source} ${r.path}`, JSON.stringify(r.candidates.map((c) => ({ path: c.path, readable: c.readable, viable: c.check?.viable, rejected: c.check?.rejected }))));
    if (r.source === "host") expect(r.candidates[r.candidates.length - 1]?.check?.viable).toBe(true);
    else expect(r.candidates.every((c) => !c.check?.viable)).toBe(true);
  });
});

/**
 * writeClusterSeed lays a generateClusterSeed() result down as a K3s data dir (k3s-behaviours §1.2,
 * §2.1): files where K3s expects them with the certs module's modes, idempotent for the same seed,
 * refusing a different CA unless forced; ensureServerCertificates then signs leaves with the seed's CAs.
 */
import { X509Certificate } from "node:crypto";
import { readFile, readlink, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ensureServerCertificates, generateClusterSeed, writeClusterSeed } from "../../../src/certs/index.js";
import { isKitError } from "../../../src/errors/index.js";
import { readServerToken } from "../../../src/tokens/index.js";
import { tempDir } from "../../helpers/tmp.js";

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir("k3s-seed-"));
});
afterEach(() => cleanup());

const tls = (rel = "") => join(dir, "server", "tls", rel);
const mode = async (p: string) => (await stat(p)).mode & 0o777;

async function rejection(p: Promise<unknown>): Promise<{ code?: string; value?: unknown; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code?: string; value?: unknown; message: string };
  }
  throw new Error("did not reject");
}

describe("writeClusterSeed", () => {
  it("writes the five CAs, nochain copies and the token where K3s reads them, with the module's modes", async () => {
    const seed = generateClusterSeed();
    const r = await writeClusterSeed(dir, seed);
    for (const f of seed.files) {
      expect(await readFile(tls(f.path), "utf8")).toBe(f.content);
      expect(await mode(tls(f.path)), f.path).toBe(f.path.endsWith(".key") ? 0o600 : 0o644);
    }
    expect(await readFile(tls("server-ca.nochain.crt"), "utf8")).toBe(
      seed.files.find((f) => f.path === "server-ca.crt")?.content,
    );
    expect(await readFile(tls("client-ca.nochain.crt"), "utf8")).toBe(
      seed.files.find((f) => f.path === "client-ca.crt")?.content,
    );
    expect(await mode(tls())).toBe(0o700);
    expect(await mode(tls("etcd"))).toBe(0o700);
    expect(await readServerToken(dir)).toBe(seed.token);
    expect(await mode(join(dir, "server", "token"))).toBe(0o600);
    expect(await readlink(join(dir, "server", "node-token"))).toBe("token");
    expect(r.written).toContain("server/tls/etcd/peer-ca.key");
    expect(r.unchanged).toEqual([]);

    // K3s's cert generation uses the seeded CAs: the serving cert chains to the seed's server CA.
    await ensureServerCertificates({ dataDir: dir, nodeName: "s1" });
    const ca = new X509Certificate(await readFile(tls("server-ca.crt")));
    const serving = new X509Certificate(await readFile(tls("serving-kube-apiserver.crt")));
    expect(serving.checkIssued(ca) && serving.verify(ca.publicKey)).toBe(true);
    expect(await readFile(tls("server-ca.crt"), "utf8")).toBe(
      seed.files.find((f) => f.path === "server-ca.crt")?.content,
    );
  });

  it("is idempotent for the same seed", async () => {
    const seed = generateClusterSeed();
    await writeClusterSeed(dir, seed);
    const before = (await stat(tls("server-ca.key"))).mtimeMs;
    const again = await writeClusterSeed(dir, seed);
    expect(again.written).toEqual([]);
    expect(again.unchanged).toContain("server/tls/server-ca.key");
    expect(again.unchanged).toContain("server/token");
    expect((await stat(tls("server-ca.key"))).mtimeMs).toBe(before);
    expect(await readServerToken(dir)).toBe(seed.token);
  });

  it("refuses a different CA with CERT_SEED_CONFLICT and writes nothing; force replaces it", async () => {
    const a = generateClusterSeed();
    const b = generateClusterSeed();
    await writeClusterSeed(dir, a);
    const e = await rejection(writeClusterSeed(dir, b));
    expect(isKitError(e, "CERT_SEED_CONFLICT")).toBe(true);
    expect(e.value).toBe(tls("client-ca.crt"));
    expect(e.message).not.toContain("PRIVATE KEY");
    for (const f of a.files) expect(await readFile(tls(f.path), "utf8")).toBe(f.content);
    expect(await readServerToken(dir)).toBe(a.token);

    const r = await writeClusterSeed(dir, b, { force: true });
    expect(r.written.length).toBeGreaterThan(10);
    for (const f of b.files) expect(await readFile(tls(f.path), "utf8")).toBe(f.content);
    expect(await readServerToken(dir)).toBe(b.token);
  });

  it("refuses a different token too, and completes a half-written dir", async () => {
    const seed = generateClusterSeed();
    await writeClusterSeed(dir, seed, { token: false });
    expect(await readServerToken(dir)).toBeUndefined();
    await writeFile(join(dir, "server", "token"), "K10abc::server:other\n");
    expect(isKitError(await rejection(writeClusterSeed(dir, seed)), "CERT_SEED_CONFLICT")).toBe(true);
    await writeClusterSeed(dir, seed, { force: true });
    expect(await readServerToken(dir)).toBe(seed.token);
  });

  it("checks the seed and the options", async () => {
    const seed = generateClusterSeed();
    const other = generateClusterSeed();
    const bad: [unknown, string][] = [
      [
        { ...seed, files: [...seed.files, { path: "../../etc/passwd", content: "-----BEGIN X" }] },
        "../../etc/passwd",
      ],
      [{ ...seed, files: seed.files.slice(1) }, "client-ca.crt"],
      [{ ...seed, token: other.token }, "token"],
      [{ ...seed, files: seed.files.map((f) => ({ ...f, content: "x" })) }, "client-ca.crt"],
    ];
    for (const [s, value] of bad) {
      const e = await rejection(writeClusterSeed(dir, s as never));
      expect(isKitError(e, "CERT_SEED_INVALID"), value).toBe(true);
      expect(e.value).toBe(value);
    }
    expect(
      isKitError(
        await rejection(writeClusterSeed(dir, seed, { force: "yes" } as never)),
        "CERT_OPTION_INVALID",
      ),
    ).toBe(true);
    expect(isKitError(await rejection(writeClusterSeed("", seed)), "CERT_OPTION_INVALID")).toBe(true);
    const aborted = await rejection(writeClusterSeed(dir, seed, { signal: AbortSignal.abort() }));
    expect((aborted as unknown as Error).name).toBe("AbortError");
  });
});

import { lstat, mkdir, readFile, readlink, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isKitError } from "../../../src/errors/index.js";
import {
  generateAgentToken,
  generateServerToken,
  parsePasswd,
  parseToken,
  rotateServerToken,
  verifyServerToken,
} from "../../../src/tokens/index.js";
import { tempDir } from "../../helpers/tmp.js";
import { SINGLE_CA, SINGLE_CA_HASH } from "./fixtures.js";

let dir: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir("k3s-tokens-"));
  await mkdir(join(dir, "server", "tls"), { recursive: true });
  await writeFile(join(dir, "server", "tls", "server-ca.crt"), SINGLE_CA);
});
afterEach(() => cleanup());

const passwd = async () => parsePasswd(await readFile(join(dir, "server", "cred", "passwd"), "utf8"));
const pw = async (name: string) => (await passwd()).find((e) => e.name === name)?.password;

async function rejects(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    return isKitError(e) ? e.code : String(e);
  }
  return undefined;
}

describe("generateServerToken (§2.1)", () => {
  it("writes token (0600), node-token and agent-token symlinks and passwd rows", async () => {
    const r = await generateServerToken({ dataDir: dir });
    expect(r.caHash).toBe(SINGLE_CA_HASH);
    const parsed = parseToken(r.token);
    expect(parsed).toMatchObject({ caHash: SINGLE_CA_HASH, username: "server" });
    expect(parsed.password).toMatch(/^[0-9a-f]{32}$/);
    expect(await readFile(join(dir, "server", "token"), "utf8")).toBe(`${r.token}\n`);
    expect((await stat(join(dir, "server", "token"))).mode & 0o777).toBe(0o600);
    expect(await readlink(join(dir, "server", "node-token"))).toBe("token");
    expect(await readlink(join(dir, "server", "agent-token"))).toBe("token");
    expect(await passwd()).toEqual(
      expect.arrayContaining([
        { password: parsed.password, name: "server", uid: "server", groups: ["k3s:server"] },
        { password: parsed.password, name: "node", uid: "node", groups: ["k3s:agent"] },
      ]),
    );
    expect(r.agentToken).toBe(r.token);
  });

  it("keeps the existing server password on a second run", async () => {
    const a = await generateServerToken({ dataDir: dir });
    const b = await generateServerToken({ dataDir: dir });
    expect(b.token).toBe(a.token);
  });

  it("strips a K10…::server: prefix from --token and a ::node: prefix from --agent-token", async () => {
    const r = await generateServerToken({
      dataDir: dir,
      token: `K10${SINGLE_CA_HASH}::server:abc`,
      agentToken: `K10${SINGLE_CA_HASH}::node:xyz`,
    });
    expect(await pw("server")).toBe("abc");
    expect(await pw("node")).toBe("xyz");
    expect((await lstat(join(dir, "server", "agent-token"))).isFile()).toBe(true);
    expect(r.agentToken).toBe(`K10${SINGLE_CA_HASH}::node:xyz`);
  });

  it("refuses a token with a bad CA hash length and a missing CA", async () => {
    expect(await rejects(generateServerToken({ dataDir: dir, token: "K10abc::server:pw" }))).toBe(
      "TOKEN_NORMALIZE",
    );
    // K3s's e2e "server fails to start with bootstrap token": a bootstrap-format --token is refused.
    expect(await rejects(generateServerToken({ dataDir: dir, token: "aaaaaa.bbbbbbbbbbbbbbbb" }))).toBe(
      "TOKEN_NORMALIZE",
    );
    const empty = join(dir, "nothing");
    expect(await rejects(generateServerToken({ dataDir: empty }))).toBe("TOKEN_CA_INVALID");
  });

  it("refuses a malformed passwd file naming it", async () => {
    await mkdir(join(dir, "server", "cred"), { recursive: true });
    await writeFile(join(dir, "server", "cred", "passwd"), "onlyone\n");
    try {
      await generateServerToken({ dataDir: dir });
      expect.unreachable();
    } catch (e) {
      expect(isKitError(e, "TOKEN_FILE_INVALID")).toBe(true);
      expect(String((e as Error).message)).toContain("passwd");
    }
  });
});

describe("rotateServerToken (§2.4)", () => {
  it("old token refused, new token accepted with the same CA hash, node password follows", async () => {
    const old = await generateServerToken({ dataDir: dir });
    expect(await verifyServerToken({ dataDir: dir, token: old.token })).toBe(true);
    const r = await rotateServerToken({ dataDir: dir, newToken: "brand-new-secret" });
    expect(r.token).toBe(`K10${SINGLE_CA_HASH}::server:brand-new-secret`);
    expect(parseToken(r.token).caHash).toBe(parseToken(old.token).caHash);
    expect(await verifyServerToken({ dataDir: dir, token: old.token })).toBe(false);
    expect(await verifyServerToken({ dataDir: dir, token: old.token, role: "agent" })).toBe(false);
    expect(await verifyServerToken({ dataDir: dir, token: r.token })).toBe(true);
    expect(await verifyServerToken({ dataDir: dir, token: r.token, role: "agent" })).toBe(true);
    expect(r.nodePasswordChanged).toBe(true);
    expect(await readFile(join(dir, "server", "token"), "utf8")).toBe(`${r.token}\n`);
  });

  it("keeps the node password when a separate agent token exists", async () => {
    await generateServerToken({ dataDir: dir });
    const { agentToken } = await generateAgentToken({ dataDir: dir, agentToken: "agent-secret" });
    const r = await rotateServerToken({ dataDir: dir });
    expect(r.nodePasswordChanged).toBe(false);
    expect(await pw("node")).toBe("agent-secret");
    expect(parseToken(r.token).password).toMatch(/^[0-9a-f]{32}$/);
    expect(await verifyServerToken({ dataDir: dir, token: agentToken, role: "agent" })).toBe(true);
  });

  it("normalises a full token and refuses bootstrap-format or unparsable values", async () => {
    await generateServerToken({ dataDir: dir });
    await rotateServerToken({ dataDir: dir, newToken: `K10${SINGLE_CA_HASH}::server:pw2` });
    expect(await pw("server")).toBe("pw2");
    expect(await rejects(rotateServerToken({ dataDir: dir, newToken: "abcdef.0123456789abcdef" }))).toBe(
      "TOKEN_NORMALIZE",
    );
    expect(await rejects(rotateServerToken({ dataDir: dir, newToken: "K10abc::server:x" }))).toBe(
      "TOKEN_NORMALIZE",
    );
    expect(await pw("server")).toBe("pw2");
  });

  it("refuses to rotate before a token exists", async () => {
    expect(await rejects(rotateServerToken({ dataDir: dir }))).toBe("TOKEN_FILE_INVALID");
  });

  it("a token with a wrong CA hash is refused", async () => {
    const r = await generateServerToken({ dataDir: dir });
    const wrong = `K10${"0".repeat(64)}::server:${parseToken(r.token).password}`;
    expect(await verifyServerToken({ dataDir: dir, token: wrong })).toBe(false);
  });
});

import { existsSync, readFileSync } from "node:fs";
import { join, posix } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { projectRoot } from "../../helpers/dist.js";
import { type Packed, npmPack, readPackageJson, repositoryWebUrl } from "./pack.js";

/**
 * README.md and README.ja.md keep relative links (docs/*.md ships in the tarball), so the links work
 * in node_modules, on the repository and on the registry's page. Every markdown file that ships is
 * checked: a relative link must name a packed file (and an existing heading for `#anchor`), an
 * absolute link into the repository must name a path that exists in it.
 */

interface Link {
  target: string;
  line: number;
}

/** Inline `[text](target)` / `![alt](target)` links and `[ref]: target` definitions, outside code. */
function markdownLinks(text: string): Link[] {
  const lines = text.split("\n");
  const links: Link[] = [];
  let fence: string | undefined;
  lines.forEach((raw, i) => {
    const f = /^\s*(`{3,}|~{3,})/.exec(raw);
    if (f) {
      if (fence === undefined) fence = f[1]![0]!;
      else if (f[1]![0] === fence) fence = undefined;
      return;
    }
    if (fence !== undefined) return;
    const line = raw.replace(/(`+)[^`]*?\1/g, "");
    for (const m of line.matchAll(/!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^()\s<>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      links.push({ target: m[1]!, line: i + 1 });
    }
    const def = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/.exec(line);
    if (def) links.push({ target: def[1]!, line: i + 1 });
  });
  return links;
}

/** GitHub's heading anchors: lowercase, punctuation dropped, spaces to `-`, `-1`, `-2` for repeats. */
function headingAnchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  let fence = false;
  for (const raw of text.split("\n")) {
    if (/^\s*(`{3,}|~{3,})/.test(raw)) fence = !fence;
    if (fence) continue;
    const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(raw);
    if (!h) continue;
    const plain = h[1]!
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
      .replace(/[`*_~]/g, (c) => (c === "_" ? c : ""));
    const base = plain
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

describe("markdown links in the package", () => {
  let packed: Packed;
  let repoUrl: string;
  beforeAll(() => {
    packed = npmPack({ dryRun: true });
    repoUrl = repositoryWebUrl(readPackageJson());
  }, 60_000);

  it("the parsers see links, skip code, and make GitHub's anchors", () => {
    const md = "See [a](docs/a.md#x) and `[no](code.md)`.\n```\n[no](fence.md)\n```\n[ref]: ./b.md\n";
    expect(markdownLinks(md).map((l) => l.target)).toEqual(["docs/a.md#x", "./b.md"]);
    expect([
      ...headingAnchors("## Performance\n## `k3s-node-kit/etcd`\n## Connect\n## Connect\n## 新しい 2 つ"),
    ]).toEqual(["performance", "k3s-node-kitetcd", "connect", "connect-1", "新しい-2-つ"]);
  });

  it("package.json points homepage, bugs and repository at one repository", () => {
    const pkg = readPackageJson();
    expect(repoUrl).toMatch(/^https:\/\/github\.com\/[^/]+\/[^/]+$/);
    expect(pkg.homepage).toBe(`${repoUrl}#readme`);
    expect(typeof pkg.bugs === "string" ? pkg.bugs : pkg.bugs?.url).toBe(`${repoUrl}/issues`);
  });

  it("README.md, README.ja.md, LICENSE and the docs they link to are in the tarball", () => {
    for (const f of ["README.md", "README.ja.md", "LICENSE", "package.json", "docs/errors.md"]) {
      expect(packed.files, f).toContain(f);
    }
  });

  it("every link in every packed markdown file resolves", () => {
    const files = new Set(packed.files);
    const markdown = packed.files.filter((f) => f.endsWith(".md"));
    const problems: string[] = [];
    let checked = 0;
    for (const file of markdown) {
      const text = readFileSync(join(projectRoot, file), "utf8");
      for (const { target, line } of markdownLinks(text)) {
        const where = `${file}:${line} ${target}`;
        if (/^(mailto:|https?:\/\/)/.test(target)) {
          if (target.startsWith(`${repoUrl}/`)) {
            // Into the repository: blob/tree links must name a path that exists in it.
            const m = /^\/(?:blob|tree)\/[^/]+\/([^#?]+)/.exec(target.slice(repoUrl.length));
            if (m && !existsSync(join(projectRoot, decodeURIComponent(m[1]!))))
              problems.push(`${where}: not in the repository`);
            checked++;
          }
          continue;
        }
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
          problems.push(`${where}: unexpected scheme`);
          continue;
        }
        checked++;
        const [pathPart, anchor] = target.split("#", 2) as [string, string | undefined];
        const resolved =
          pathPart === ""
            ? file
            : posix.normalize(posix.join(posix.dirname(file), decodeURIComponent(pathPart)));
        if (resolved.startsWith("../") || resolved.startsWith("/")) {
          problems.push(`${where}: leaves the package`);
          continue;
        }
        const dir = resolved.replace(/\/$/, "");
        const isDir = packed.files.some((f) => f.startsWith(`${dir}/`));
        if (!files.has(resolved) && !isDir) {
          problems.push(`${where}: ${resolved} is not in the tarball`);
          continue;
        }
        if (anchor !== undefined && resolved.endsWith(".md")) {
          const anchors = headingAnchors(readFileSync(join(projectRoot, resolved), "utf8"));
          if (!anchors.has(anchor)) problems.push(`${where}: no heading #${anchor} in ${resolved}`);
        }
      }
    }
    expect(problems).toEqual([]);
    // README.md alone links every module doc; a parser that finds nothing would pass vacuously.
    expect(checked).toBeGreaterThan(15);
  });
});

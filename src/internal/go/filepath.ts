/**
 * Go `path/filepath` semantics on Linux (`Clean`, `Join`), used where K3s's output contains a
 * path Go built (runtime BinaryName, the `filepathjoin` template func). Node's `path.join`
 * differs: it keeps trailing slashes and turns an all-empty join into ".".
 * @internal
 */
export function goClean(p: string): string {
  if (p === "") return ".";
  const rooted = p.startsWith("/");
  const out: string[] = [];
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!rooted) out.push("..");
      continue;
    }
    out.push(part);
  }
  const body = out.join("/");
  if (rooted) return `/${body}`;
  return body === "" ? "." : body;
}

/** Go `filepath.Join`: empty elements are ignored; all empty gives "". @internal */
export function goJoin(...elems: string[]): string {
  const parts = elems.filter((e) => e !== "");
  return parts.length === 0 ? "" : goClean(parts.join("/"));
}

/** Go `filepath.IsAbs` on Linux. @internal */
export function goIsAbs(p: string): boolean {
  return p.startsWith("/");
}

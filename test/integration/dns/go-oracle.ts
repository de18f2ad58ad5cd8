import { execFileSync } from "node:child_process";
import { buildGo } from "../../helpers/go.js";

/** Asks the Go oracle (real Go stdlib) about each item; see go-oracle.go for the ops. */
export function askGo<T>(op: "nameserver" | "resolvconf" | "cidr" | "atoi" | "parseint" | "parsebool", items: string[]): T[] {
  const bin = buildGo("test/integration/dns/go-oracle.go", "k3s-node-kit-oracle");
  const out = execFileSync(bin, [], { input: JSON.stringify({ op, items }), encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out) as T[];
}

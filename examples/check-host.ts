/**
 * The checks K3s makes on a host before it starts: resolv.conf viability, cgroups (for rootless),
 * SELinux, the service manager, and node labels/taints.
 *
 *   npx tsx examples/check-host.ts
 */
import { readFile } from "node:fs/promises";
import { checkResolvConf } from "k3s-node-kit/dns";
import { detectSELinux, detectServiceManager, parseTaints, validateNodeLabels } from "k3s-node-kit/node";
import { checkCgroups } from "k3s-node-kit/rootless";

const resolv = checkResolvConf(await readFile("/etc/resolv.conf"));
console.log(`/etc/resolv.conf: ${resolv.viable ? "viable" : `not viable (${resolv.rejected.map((r) => `${r.address}: ${r.reason}`).join(", ")})`}`);
const cg = await checkCgroups();
console.log(`cgroups: ${cg.mode}, delegated: ${cg.delegated.join(" ") || "-"}, rootless ${cg.rootless.ok ? "possible" : `not possible: ${cg.rootless.problems.join("; ")}`}`);
const se = await detectSELinux();
console.log(`SELinux: ${se.enabled ? "enabled" : "disabled"}`);
console.log(`service manager: ${await detectServiceManager().catch((e) => `none (${e.code})`)}`);
const labels = validateNodeLabels(["topology.kubernetes.io/zone=eu-1a", "node-role.kubernetes.io/worker=true"]);
console.log(`labels: ${labels.ok ? "ok" : labels.problems.map((p) => p.message).join("; ")}`);
console.log(`taints: ${parseTaints(["dedicated=gpu:NoSchedule"]).taints.map((t) => `${t.key}=${t.value}:${t.effect}`).join(", ")}`);

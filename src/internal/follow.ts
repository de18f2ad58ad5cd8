/**
 * Which rule set to apply where the K3s documentation page and the K3s source differ. The SDK's
 * default is always `"page"`; `"source"` selects what the K3s code actually does
 * (k3s-behaviours top note and §16).
 */
export type Follow = "page" | "source";

/** Validates a `follow` option; `fail` builds the module's own error. @internal */
export function readFollow(value: unknown, fail: (message: string, value: unknown) => Error): Follow {
  if (value === undefined) return "page";
  if (value === "page" || value === "source") return value;
  throw fail(`option "follow" must be "page" or "source", got ${JSON.stringify(value)}`, value);
}

/**
 * gopkg.in/yaml.v2 scalar semantics (what K3s and Kubernetes manifests read with): number
 * resolution of plain scalars and a YAML document builder whose strings read back as strings.
 */
import { Document, visit } from "yaml";
import { parseGoIntBase0 } from "./strconv.js";

// yaml.v2 resolve.go `yamlStyleFloat`.
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const SPECIAL_FLOATS: Record<string, number> = {
  ".nan": Number.NaN,
  ".NaN": Number.NaN,
  ".NAN": Number.NaN,
  ".inf": Number.POSITIVE_INFINITY,
  ".Inf": Number.POSITIVE_INFINITY,
  ".INF": Number.POSITIVE_INFINITY,
  "+.inf": Number.POSITIVE_INFINITY,
  "+.Inf": Number.POSITIVE_INFINITY,
  "+.INF": Number.POSITIVE_INFINITY,
  "-.inf": Number.NEGATIVE_INFINITY,
  "-.Inf": Number.NEGATIVE_INFINITY,
  "-.INF": Number.NEGATIVE_INFINITY,
};

/** Go `strconv.ParseInt(s, 0, 64)` / `ParseUint` on an underscore-free string. */
function goParseInt(s: string, unsigned: boolean): bigint | undefined {
  return parseGoIntBase0(s, unsigned) ?? undefined;
}

/**
 * yaml.v2's resolution of plain scalars starting with a digit, sign or dot: integers (Go base-0
 * syntax after removing `_`, int64 then uint64), floats (its `yamlStyleFloat`, finite only), the
 * `.inf`/`.nan` spellings; anything else stays a string.
 */
export function resolveV2Number(str: string): bigint | number | string {
  const special = SPECIAL_FLOATS[str];
  if (special !== undefined) return special;
  if (str.startsWith(".")) {
    // Go ParseFloat on the raw text (no underscore removal on this path).
    return /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(str) && Number.isFinite(Number(str)) ? Number(str) : str;
  }
  const plain = str.replace(/_/g, "");
  const asInt = goParseInt(plain, false) ?? goParseInt(plain, true);
  if (asInt !== undefined) return asInt;
  if (YAML_STYLE_FLOAT.test(plain)) {
    const f = Number(plain);
    if (Number.isFinite(f)) return f;
  }
  return str;
}

const V2_WORDS = new Set([
  ...["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"],
  ...["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"],
  ...["", "~", "null", "Null", "NULL", "<<"],
]);

/** True when yaml.v2 would not read `s`, written plain, back as the same string. */
function v2ReadsAsNonString(s: string): boolean {
  return V2_WORDS.has(s) || typeof resolveV2Number(s) !== "string";
}

/**
 * A YAML document for `value` whose strings all read back as strings in yaml.v2 (and so in K3s
 * and in Kubernetes manifests): the YAML library's own 1.1 rules miss some of yaml.v2's
 * (`0o17`, `0X1F`), so such strings are double-quoted.
 * @internal
 */
export function yamlV2Document(value: unknown): Document {
  const doc = new Document(value, { version: "1.1" });
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === "string" && v2ReadsAsNonString(node.value)) node.type = "QUOTE_DOUBLE";
    },
  });
  return doc;
}

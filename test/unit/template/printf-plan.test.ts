/**
 * printf reads a constant format once into a cached plan (src/template/fmt.ts); the plan must give
 * exactly what the full reader (Go's doPrintf order, checked against Go by the conformance corpus)
 * gives. Seeded random formats over flags, widths, precisions, verbs, literals and odd endings,
 * against mixed arguments (too few, too many, wrong types).
 */
import { describe, expect, it } from "vitest";
import { sprintf, sprintfSlow } from "../../../src/template/fmt.js";

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const PIECES = [
  "%",
  "%",
  "%",
  "#",
  "0",
  "+",
  "-",
  " ",
  "1",
  "7",
  "12",
  ".",
  ".3",
  "d",
  "s",
  "v",
  "q",
  "x",
  "X",
  "f",
  "e",
  "g",
  "t",
  "c",
  "o",
  "b",
  "U",
  "%%",
  "a",
  " lit ",
  "é",
  "\n",
  "!",
];
const ARGS: unknown[] = [0, -42, 3.5, 1e21, "s", "é\n", true, null, [1, 2], { a: 1 }, 255];

describe("printf plan = full reader", () => {
  it("20,000 seeded random formats give byte-identical output on the cached plan and the full reader", () => {
    const r = rng(17);
    for (let n = 0; n < 20_000; n++) {
      let format = "";
      const len = 1 + Math.floor(r() * 8);
      for (let k = 0; k < len; k++) format += PIECES[Math.floor(r() * PIECES.length)];
      const args = Array.from({ length: Math.floor(r() * 4) }, () => ARGS[Math.floor(r() * ARGS.length)]);
      const slow = sprintfSlow(format, args);
      // Twice: the first call compiles and caches the plan, the second runs the cached one.
      expect(sprintf(format, args), JSON.stringify({ format, args })).toBe(slow);
      expect(sprintf(format, args)).toBe(slow);
    }
  });
});

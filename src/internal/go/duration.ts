/** Go `time.ParseDuration` acceptance. */
// Go time.ParseDuration: units and their size in nanoseconds.
const DURATION_UNITS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};
const DURATION_RE = /^[-+]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;
const DURATION_PART_RE = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g;
const MAX_DURATION_NS = 2 ** 63;

/**
 * True when `s` is accepted by Go's `time.ParseDuration` (e.g. `"5m"`, `"1h30m"`, `"0"`), including
 * its range limit (about 292 years).
 * @internal
 */
export function isGoDuration(s: string): boolean {
  if (s === "0" || s === "+0" || s === "-0") return true;
  if (!DURATION_RE.test(s)) return false;
  let total = 0;
  for (const m of s.matchAll(DURATION_PART_RE)) {
    total += Number(m[1]) * (DURATION_UNITS[m[2] as string] as number);
  }
  // Go allows exactly -2^63 ns but not +2^63; the float sum is close enough at this scale.
  return s.startsWith("-") ? total <= MAX_DURATION_NS : total < MAX_DURATION_NS;
}

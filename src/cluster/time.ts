/**
 * RFC 3339 timestamps as Go's `time.Time` writes and reads them in JSON (`RFC3339Nano`: fraction with
 * trailing zeros dropped, no dot when it is zero). Pure; nanosecond-exact (bigint), any year 0000–9999.
 */
import { ClusterError } from "./errors.js";
import { arg } from "./options.js";

/** Go's zero `time.Time`, which old-format (map of bytes) bootstrap files carry once migrated. */
export const GO_ZERO_TIME = "0001-01-01T00:00:00Z";

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/;
const NS = 1_000_000_000n;

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(z: number): [number, number, number] {
  const zz = z + 719468;
  const era = Math.floor(zz / 146097);
  const doe = zz - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

/**
 * Nanoseconds since the Unix epoch of an RFC 3339 timestamp (Go's `time.Time.UnmarshalJSON`). Pure.
 * @example
 * ```ts
 * parseRfc3339("1970-01-01T00:00:01.5Z"); // 1_500_000_000n
 * ```
 * @throws ClusterError `CLUSTER_BOOTSTRAP_JSON`
 */
export function parseRfc3339(text: string): bigint {
  return parseTimestamp(arg<string>(text, timestampText, "text", "parseRfc3339"));
}

/** {@link parseRfc3339} on a checked string. @internal */
export function parseTimestamp(text: string): bigint {
  const m = RFC3339.exec(text);
  const bad = () =>
    new ClusterError("CLUSTER_BOOTSTRAP_JSON", `timestamp ${JSON.stringify(text)} is not RFC 3339`, {
      value: text,
    });
  if (!m) throw bad();
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const monthDays = [
    31,
    y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28,
    31,
    30,
    31,
    30,
    31,
    31,
    30,
    31,
    30,
    31,
  ];
  if (mo < 1 || mo > 12 || d < 1 || d > (monthDays[mo - 1] as number) || h > 23 || mi > 59 || s > 59)
    throw bad();
  let offset = 0;
  const zone = m[8] as string;
  if (zone !== "Z" && zone !== "z") {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 23 || om > 59) throw bad();
    offset = (zone[0] === "-" ? -1 : 1) * (oh * 3600 + om * 60);
  }
  const secs = daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - offset;
  const frac = m[7] === undefined ? 0n : BigInt((m[7] as string).padEnd(9, "0"));
  return BigInt(secs) * NS + frac;
}

/**
 * Go's `time.Time.MarshalJSON` text (RFC3339Nano, UTC) of nanoseconds since the Unix epoch. Pure.
 * @example
 * ```ts
 * formatRfc3339(1_500_000_000n); // "1970-01-01T00:00:01.5Z"
 * ```
 */
export function formatRfc3339(ns: bigint): string {
  return formatTimestamp(arg<bigint>(ns, epochNs, "ns", "formatRfc3339"));
}

/** Nanoseconds of 0001-01-01 and of 9999-12-31T23:59:59.999999999Z: the years RFC 3339 can write. */
const MIN_NS = -62135596800n * NS;
const MAX_NS = 253402300800n * NS - 1n;
const epochNs = (v: unknown): string | undefined =>
  typeof v === "bigint" && v >= MIN_NS && v <= MAX_NS ? undefined : "must be a bigint of nanoseconds within years 0001–9999";
const timestampText = (v: unknown): string | undefined => (typeof v === "string" ? undefined : "must be a string");

/** {@link formatRfc3339} on checked nanoseconds. @internal */
export function formatTimestamp(ns: bigint): string {
  let secs = ns / NS;
  let frac = ns % NS;
  if (frac < 0n) {
    frac += NS;
    secs -= 1n;
  }
  const s = Number(secs);
  const days = Math.floor(s / 86400);
  const rem = s - days * 86400;
  const [y, mo, d] = civilFromDays(days);
  const p2 = (n: number) => String(n).padStart(2, "0");
  const fracText = frac === 0n ? "" : `.${frac.toString().padStart(9, "0").replace(/0+$/, "")}`;
  return `${String(y).padStart(4, "0")}-${p2(mo)}-${p2(d)}T${p2(Math.floor(rem / 3600))}:${p2(Math.floor((rem % 3600) / 60))}:${p2(rem % 60)}${fracText}Z`;
}

/** Go's `t.Unix()` (whole seconds, floored) of nanoseconds since the epoch. Pure. @internal */
export function unixSeconds(ns: bigint): number {
  const s = ns / NS;
  return Number(ns < 0n && ns % NS !== 0n ? s - 1n : s);
}

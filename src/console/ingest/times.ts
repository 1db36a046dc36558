/**
 * Times and durations as the protocols write them, read into the console's epoch milliseconds
 * (fractions keep microseconds). Every function answers `undefined` for what it cannot read.
 */

// RFC 3339: a date, a time to the second, 0–9 fractional digits (more are ignored), and a zone.
const ISO = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(?:[.,](\d+))?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * Epoch milliseconds of an RFC 3339 date-time (`2026-01-01T00:00:00.000001Z`, `…:00Z`,
 * `…:00+00:00`), microseconds kept as a fraction.
 *
 * @example
 * ```ts
 * isoMs('1970-01-01T00:00:01.000001Z'); // 1000.001
 * isoMs('2026-01-01T01:00:00+01:00');  // 1767225600000
 * isoMs('yesterday');                   // undefined
 * ```
 */
export function isoMs(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.length > 64) return undefined;
  const match = ISO.exec(value);
  if (match === null) return undefined;
  const [, date, time, fraction = '', zone = 'Z'] = match;
  const whole = Date.parse(`${date}T${time}${zone.toUpperCase()}`);
  if (!Number.isFinite(whole)) return undefined;
  const micros = Number(fraction.slice(0, 6).padEnd(6, '0'));
  return whole + micros / 1000;
}

/**
 * Epoch milliseconds of OTLP nanoseconds (`fixed64`: a decimal string or a JSON number), `undefined`
 * for 0 (OTLP's "unknown"), negatives and anything else.
 *
 * @example
 * ```ts
 * nanosMs('1544712660300000000'); // 1544712660300
 * nanosMs(0);                     // undefined
 * ```
 */
export function nanosMs(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? Math.round(value / 1000) / 1000 : undefined;
  if (typeof value !== 'string' || !/^\d{1,20}$/.test(value)) return undefined;
  const nanos = BigInt(value);
  return nanos > 0n ? Number(nanos / 1000n) / 1000 : undefined;
}

// Python's str(timedelta): `[-]D day[s], ` when there are days, then H:MM:SS[.ffffff].
const TIMEDELTA = /^(?:(-?\d+) days?, )?(\d+):([0-5]\d):([0-5]\d)(?:\.(\d{1,6}))?$/;
// ISO 8601 durations of fixed length: weeks, days, hours, minutes, seconds (years and months vary).
const ISO_DURATION = /^P(?=\d|T\d)(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

/**
 * Milliseconds of a duration as Tinker clients write it: rxtel's and Python's `str(timedelta)`
 * (`0:00:05.123456`, `1 day, 2:00:00`, `-1 day, 23:59:59`) or an ISO 8601 duration without years
 * or months (`PT5.5S`, `P1DT2H`).
 *
 * @example
 * ```ts
 * durationMs('0:00:05.123456');    // 5123.456
 * durationMs('1 day, 2:00:00');    // 93600000
 * durationMs('PT5.5S');            // 5500
 * durationMs('P1Y');               // undefined (a year has no fixed length)
 * ```
 */
export function durationMs(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.length > 64) return undefined;
  const delta = TIMEDELTA.exec(value);
  if (delta !== null) {
    const [, days = '0', hours = '0', minutes = '0', seconds = '0', fraction = ''] = delta;
    const micros = Number(fraction.padEnd(6, '0'));
    return ((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60_000 + Number(seconds) * 1000 + micros / 1000;
  }
  const iso = ISO_DURATION.exec(value);
  if (iso === null) return undefined;
  const [, weeks = '0', days = '0', hours = '0', minutes = '0', seconds = '0'] = iso;
  return (((Number(weeks) * 7 + Number(days)) * 24 + Number(hours)) * 60 + Number(minutes)) * 60_000 + Number(seconds.replace(',', '.')) * 1000;
}

/**
 * `ms` to the microsecond: the difference of two epoch times with microseconds carries float noise
 * (`1795804318066.024 - 1795804318054.024` is not exactly 12).
 *
 * @example
 * ```ts
 * roundMicros(11.999999761581421); // 12
 * ```
 */
export function roundMicros(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

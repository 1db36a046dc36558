/**
 * Times as OTLP carries them: nanoseconds since the Unix epoch in a `fixed64`, written in OTLP/JSON
 * as a decimal string (proto3 JSON maps 64-bit integers to strings). Exact: whole seconds come from
 * the date, the fraction from its digits, and BigInt does the arithmetic, so no float rounds a
 * microsecond away.
 */

// Date and time to the minute or second, a fraction of 1–9 digits (more are cut), then Z or an offset.
const ISO = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Nanoseconds since the Unix epoch, as a decimal string, of an ISO-8601 UTC timestamp: the wire's
 * `2026-01-01T00:00:00.000001Z` gives `"1767225600000001000"`, and so do a typed event's
 * `start_time` forms (`…:00.000001Z`, `…:00Z`, `…:00.000001000+00:00`). `"0"` (OTLP's "unknown")
 * for anything else, and for times before the epoch.
 *
 * @example
 * ```ts
 * unixNanoOf('2026-01-01T00:00:00.000001Z'); // '1767225600000001000'
 * unixNanoOf('yesterday');                   // '0'
 * ```
 */
export function unixNanoOf(timestamp: unknown): string {
  const match = typeof timestamp === 'string' ? ISO.exec(timestamp) : null;
  if (match === null) return '0';
  const [, wholeSeconds = '', fraction = '', zone = 'Z'] = match;
  const epochMs = Date.parse(`${wholeSeconds}${zone}`);
  if (!Number.isInteger(epochMs) || epochMs < 0) return '0';
  const nanos = BigInt(fraction.slice(0, 9).padEnd(9, '0'));
  return (BigInt(epochMs) * 1_000_000n + nanos).toString();
}

/**
 * `nanos` (a decimal string) less `ms` milliseconds, never below 1 ns after the epoch when it was
 * later than that: the start of an operation that ended at `nanos` and took `ms`. Sub-nanosecond
 * parts of `ms` are rounded.
 *
 * @example
 * ```ts
 * minusMillis('1767225600000001000', 812.5); // '1767225599187501000'
 * ```
 */
export function minusMillis(nanos: string, ms: number): string {
  const end = BigInt(nanos);
  if (!Number.isFinite(ms) || ms <= 0 || end === 0n) return nanos;
  const start = end - BigInt(Math.round(ms * 1_000_000));
  return (start > 0n ? start : 1n).toString();
}

/**
 * The time `value` names (an ISO timestamp), else `fallback` (nanoseconds as a decimal string).
 *
 * @example
 * ```ts
 * timeOr(data.start_time, unixNanoOf(event.timestamp));
 * ```
 */
export function timeOr(value: unknown, fallback: string): string {
  const nanos = unixNanoOf(value);
  return nanos === '0' ? fallback : nanos;
}

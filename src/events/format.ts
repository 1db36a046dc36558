/**
 * Wire formatting of times. Inputs are milliseconds, possibly fractional: the reporter's clock
 * (`scheduler.now()`) is sub-millisecond on Node, and the Tinker wire wants microseconds.
 */

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

// Events of one batch mostly share their second: format `YYYY-MM-DDTHH:MM:SS` once per second.
let cachedSecond = Number.NaN;
let cachedPrefix = '';

/** `2026-01-01T00:00:00.000001Z`: UTC ISO-8601 with six fractional digits. */
export function formatTimestamp(ms: number): string {
  const totalMicros = Math.round(ms * 1000);
  const second = Math.floor(totalMicros / 1_000_000);
  return formatTimestampParts(second, totalMicros - second * 1_000_000);
}

/** {@link formatTimestamp} from whole epoch seconds and the microseconds within that second. */
export function formatTimestampParts(second: number, micros: number): string {
  if (second !== cachedSecond) {
    cachedPrefix = new Date(second * 1000).toISOString().slice(0, 19); // …T00:00:00
    cachedSecond = second;
  }
  return `${cachedPrefix}.${pad(micros, 6)}Z`;
}

/** `H:MM:SS.ffffff`, hours not wrapped into days (what Python's timedelta prints below a day). */
export function formatDuration(ms: number): string {
  const totalMicros = Math.max(0, Math.round(ms * 1000));
  const micros = totalMicros % 1_000_000;
  const totalSeconds = (totalMicros - micros) / 1_000_000;
  const seconds = totalSeconds % 60;
  const minutes = Math.floor(totalSeconds / 60) % 60;
  const hours = Math.floor(totalSeconds / 3600);
  return `${hours}:${pad(minutes, 2)}:${pad(seconds, 2)}.${pad(micros, 6)}`;
}

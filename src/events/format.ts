/**
 * Wire formatting of times. Inputs are milliseconds, possibly fractional: the reporter's clock
 * (`scheduler.now()`) is sub-millisecond on Node, and the Tinker wire wants microseconds.
 */

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** `2026-01-01T00:00:00.000001Z`: UTC ISO-8601 with six fractional digits. */
export function formatTimestamp(ms: number): string {
  const totalMicros = Math.round(ms * 1000);
  const wholeMs = Math.floor(totalMicros / 1000);
  const micros = totalMicros - wholeMs * 1000;
  const iso = new Date(wholeMs).toISOString(); // …T00:00:00.000Z
  return `${iso.slice(0, -1)}${pad(micros, 3)}Z`;
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

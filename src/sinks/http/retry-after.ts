import { MAX_RETRY_DELAY_MS } from '../sink.js';
import type { HeaderLookup } from './transport.js';

// Strict decimals only: `Number()` would also accept '', ' ', '0x10' and '1e3'.
const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)$/;
// An HTTP date always names a weekday or month; without a letter, `Date.parse` guesses (`'-5'`).
const HAS_LETTER = /[a-z]/i;

function parseDecimal(value: string | null): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (!DECIMAL.test(trimmed)) return undefined;
  const parsed = Number(trimmed);
  return Number.isFinite(parsed) ? parsed : undefined;
}

function parseHttpDate(value: string, nowMs: number): number | undefined {
  const trimmed = value.trim();
  if (!HAS_LETTER.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  // A date already past means "now", not "never": the backend is ready again.
  return Math.max(0, at - nowMs);
}

/** Which headers {@link parseRetryAfter} reads. */
export interface RetryAfterOptions {
  /**
   * Whether `retry-after-ms` (a Stainless convention, which Tinker's clients read) is read, and wins
   * over `retry-after`. A protocol that only knows the standard header (OTLP) turns it off.
   * @defaultValue true
   */
  readonly retryAfterMs?: boolean;
}

/**
 * How long the backend asks us to wait before retrying, in milliseconds, or `undefined` when it
 * does not say (or says something unreadable).
 *
 * `retry-after` (RFC 9110 §10.2.3) is either non-negative seconds (fractions allowed) or an HTTP
 * date, counted from `nowMs`. Unless `options.retryAfterMs` is `false`, `retry-after-ms` (a
 * non-negative float, milliseconds) wins over it; an unreadable `retry-after-ms` falls back to
 * `retry-after`, as the Stainless clients do. The result is capped at {@link MAX_RETRY_DELAY_MS}.
 *
 * Pure: the clock comes in as `nowMs` (epoch milliseconds).
 *
 * @example
 * ```ts
 * parseRetryAfter(new Headers({ 'retry-after': '2' }), 0); // 2000
 * parseRetryAfter(new Headers({ 'retry-after-ms': '150.5' }), 0); // 150.5
 * parseRetryAfter(new Headers({ 'retry-after-ms': '150.5', 'retry-after': '2' }), 0, { retryAfterMs: false }); // 2000
 * parseRetryAfter(new Headers({ 'retry-after': 'Thu, 01 Jan 1970 00:00:05 GMT' }), 1000); // 4000
 * parseRetryAfter(new Headers({ 'retry-after': 'soon' }), 0); // undefined
 * ```
 */
export function parseRetryAfter(headers: HeaderLookup, nowMs: number, options: RetryAfterOptions = {}): number | undefined {
  if (options.retryAfterMs !== false) {
    const ms = parseDecimal(headers.get('retry-after-ms'));
    if (ms !== undefined) return Math.min(ms, MAX_RETRY_DELAY_MS);
  }

  const value = headers.get('retry-after');
  if (value === null) return undefined;
  const seconds = parseDecimal(value);
  const delay = seconds !== undefined ? seconds * 1000 : parseHttpDate(value, nowMs);
  return delay === undefined ? undefined : Math.min(delay, MAX_RETRY_DELAY_MS);
}

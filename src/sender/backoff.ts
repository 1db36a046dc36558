import { MAX_RETRY_DELAY_MS } from '../sinks/sink.js';

/**
 * The backoff before retry number `retry` (0 for the first retry) of one batch:
 * `baseMs · 2^retry` plus a jitter uniform in [0, 10 %] of that, so that many reporters recovering
 * from the same outage do not retry in lockstep. Pure: `random` is injected.
 *
 * @example backoffDelay(2, 1000, () => 0.5) // 4000 + 200 = 4200
 */
export function backoffDelay(retry: number, baseMs: number, random: () => number): number {
  const exponential = baseMs * 2 ** retry;
  const unit = Math.min(Math.max(random(), 0), 1);
  return exponential + exponential * 0.1 * unit;
}

export interface RetryDelayInput {
  /** 0 for the first retry. */
  readonly retry: number;
  readonly baseMs: number;
  readonly random: () => number;
  /** The backend's own wish (Retry-After / retry-after-ms), already parsed. */
  readonly retryAfterMs?: number | undefined;
  /** Time left before the caller's deadline (stop, fatal, waitUntilDrained), if one is running. */
  readonly timeLeftMs?: number | undefined;
}

/**
 * How long to wait before the next attempt: the backoff, or the backend's Retry-After when it
 * asks for longer (capped at {@link MAX_RETRY_DELAY_MS}), and never past the caller's deadline.
 */
export function retryDelay(input: RetryDelayInput): number {
  const backoff = backoffDelay(input.retry, input.baseMs, input.random);
  const wish = input.retryAfterMs === undefined ? backoff : Math.max(backoff, Math.min(input.retryAfterMs, MAX_RETRY_DELAY_MS));
  const capped = Math.min(wish, MAX_RETRY_DELAY_MS);
  return input.timeLeftMs === undefined ? capped : Math.max(0, Math.min(capped, input.timeLeftMs));
}

import { filter, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs';
import type { Counters } from '../../batcher/counters.js';
import { isEvent, type Command } from '../../inbox/commands.js';
import { isExempt } from './exempt.js';
import { refuse } from './refuse.js';

export interface RateLimitOptions {
  /** Events per second per `event_name`; 0 turns limiting off. */
  readonly perSecond: number;
  /** Per-name overrides (0 = unlimited for that name). */
  readonly overrides?: Readonly<Record<string, number>>;
  readonly scheduler: SchedulerLike;
  readonly counters: Counters;
}

interface Bucket {
  tokens: number;
  lastMs: number;
}

/**
 * At most N events per `event_name` per second: a token bucket per name (capacity N, refilled at
 * N per second on the reporter's clock), so a burst of N passes and a steady stream is held to N/s.
 * Session and exception events are never limited. Buckets idle for a second are full again and
 * are dropped on the next sweep, so memory follows the names in use, not every name ever seen.
 * Refused events count as `rateLimited`.
 */
export function rateLimitPerType(options: RateLimitOptions): MonoTypeOperatorFunction<Command> {
  const { perSecond, overrides = {}, scheduler, counters } = options;
  // Off for every name: no step at all, so log() does not pay for a check that always passes.
  if (perSecond <= 0 && Object.values(overrides).every((limit) => limit <= 0)) return (source) => source;
  const buckets = new Map<string, Bucket>();
  let lastSweepMs = Number.NEGATIVE_INFINITY;

  const sweep = (nowMs: number): void => {
    lastSweepMs = nowMs;
    for (const [name, bucket] of buckets) if (nowMs - bucket.lastMs >= 1000) buckets.delete(name);
  };

  return filter((command) => {
    if (!isEvent(command) || isExempt(command)) return true;
    const name = command.name as string;
    const limit = overrides[name] ?? perSecond;
    if (limit <= 0) return true;
    const nowMs = scheduler.now();
    if (nowMs - lastSweepMs >= 1000) sweep(nowMs);
    let bucket = buckets.get(name);
    if (bucket === undefined) {
      bucket = { tokens: limit, lastMs: nowMs };
      buckets.set(name, bucket);
    } else {
      bucket.tokens = Math.min(limit, bucket.tokens + ((nowMs - bucket.lastMs) * limit) / 1000);
      bucket.lastMs = nowMs;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return true;
    }
    return refuse(counters, command, 'rateLimited');
  });
}

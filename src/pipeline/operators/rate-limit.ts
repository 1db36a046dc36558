import { filter, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs';
import type { Counters } from '../../stats/counters.js';
import type { SuppressedNames } from '../../stats/suppressed.js';
import type { Logger } from '../../config/options.js';
import { isEvent, type Command } from '../../inbox/commands.js';
import { isExempt } from '../../events/own-reports.js';

export interface RateLimitOptions {
  /** Events per second per `event_name`; 0 turns limiting off. */
  readonly perSecond: number;
  /** Per-name overrides (0 = unlimited for that name). */
  readonly overrides?: Readonly<Record<string, number>>;
  readonly scheduler: SchedulerLike;
  readonly counters: Counters;
  /** Hears once per streak of refusals of one name. */
  readonly logger?: Logger;
  /** Collects the refused names for the `rxtel.rate_limited` summary. */
  readonly suppressed?: SuppressedNames;
}

interface Bucket {
  tokens: number;
  lastMs: number;
  /** Refusing since the last event of this name that passed: the logger has been told. */
  streak: boolean;
}

/** Names with a bucket at most: a flood of distinct names costs this much memory, not more. */
export const MAX_BUCKETS = 10_000;

/**
 * At most N events per `event_name` per second: a token bucket per name (capacity N, refilled at
 * N per second on the reporter's clock), so a burst of N passes and a steady stream is held to N/s.
 * Session and exception events are never limited. Buckets idle for a second are full again and
 * are dropped on the next sweep, so memory follows the names in use, not every name ever seen
 * (and at most {@link MAX_BUCKETS} of them: past that the oldest bucket goes, which only ever
 * lets more through). Refused events count as `rateLimited`; the logger hears of each streak
 * once, and the backend gets the per-name counts in `rxtel.rate_limited` (see `HealthMonitor`).
 */
export function rateLimitPerType(options: RateLimitOptions): MonoTypeOperatorFunction<Command> {
  const { perSecond, overrides = {}, scheduler, counters, logger, suppressed } = options;
  // Off for every name: no step at all, so log() does not pay for a check that always passes.
  if (perSecond <= 0 && Object.values(overrides).every((limit) => limit <= 0)) return (source) => source;
  const buckets = new Map<string, Bucket>();
  let lastSweepMs = Number.NEGATIVE_INFINITY;

  const sweep = (nowMs: number): void => {
    lastSweepMs = nowMs;
    for (const [name, bucket] of buckets) if (nowMs - bucket.lastMs >= 1000) buckets.delete(name);
  };

  const bucketOf = (name: string, limit: number, nowMs: number): Bucket => {
    let bucket = buckets.get(name);
    if (bucket === undefined) {
      if (buckets.size >= MAX_BUCKETS) {
        sweep(nowMs);
        if (buckets.size >= MAX_BUCKETS) buckets.delete(buckets.keys().next().value!);
      }
      bucket = { tokens: limit, lastMs: nowMs, streak: false };
      buckets.set(name, bucket);
    } else {
      bucket.tokens = Math.min(limit, bucket.tokens + ((nowMs - bucket.lastMs) * limit) / 1000);
      bucket.lastMs = nowMs;
    }
    return bucket;
  };

  return filter((command) => {
    if (!isEvent(command) || isExempt(command)) return true;
    const name = command.name as string;
    const limit = overrides[name] ?? perSecond;
    if (limit <= 0) return true;
    const nowMs = scheduler.now();
    if (nowMs - lastSweepMs >= 1000) sweep(nowMs);
    const bucket = bucketOf(name, limit, nowMs);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      bucket.streak = false;
      return true;
    }
    if (!bucket.streak) {
      bucket.streak = true;
      logger?.warn(`rate limit: refusing \`${name}\` events over ${limit}/s (counted as dropped.rateLimited; the backend gets rxtel.rate_limited)`);
    }
    suppressed?.add(name);
    return counters.refuse(command, 'rateLimited');
  });
}

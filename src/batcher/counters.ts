import { Subject } from 'rxjs';

/** Why an event did not reach the backend. */
export interface DropCounts {
  /** Refused: the queue was full. */
  queueFull: number;
  /** Refused by the per-type rate limit. */
  rateLimited: number;
  /** Refused by sampling. */
  sampled: number;
  /** Refused: not a valid event (no name, …). */
  invalid: number;
  /** Accepted, then given up: the backend refused it or kept failing until the retries or the deadline ran out. */
  sendFailed: number;
  /** Refused: logged after `stop()`. */
  stopped: number;
}

/** How one sink is doing. */
export type SinkState = 'healthy' | 'degraded' | 'failed';

export interface SinkStats {
  state: SinkState;
  delivered: number;
  failed: number;
  retries: number;
  /** The last export error's message (never a secret), if any. */
  lastError?: string;
}

/** A snapshot of the reporter's counters. `accepted = delivered + dropped.sendFailed + queued` holds. */
export interface ReporterStats {
  /** Events that entered the queue. */
  accepted: number;
  /** Accepted events that were delivered or given up. */
  settled: number;
  delivered: number;
  /** `accepted - settled`: waiting, batching or in flight. */
  queued: number;
  /** Export attempts after a batch's first. */
  retries: number;
  /** Batches exported (each request that succeeded). */
  batches: number;
  dropped: DropCounts;
  /** Values the reporter had to repair: unknown severities (→ INFO), non-JSON `event_data`, oversized `event_data` (→ `{ truncated: true }`). */
  coerced: { severity: number; eventData: number; oversized: number };
  sinks: Record<string, SinkStats>;
}

/**
 * The reporter's counters. Written only by the pipeline's operators (the actor), read by callers
 * through snapshots. `changes$` ticks after every change that matters to waiters (settlements,
 * drops), and only while someone listens, so the hot path pays nothing for it.
 */
export class Counters {
  accepted = 0;
  settled = 0;
  delivered = 0;
  retries = 0;
  batches = 0;
  readonly dropped: DropCounts = { queueFull: 0, rateLimited: 0, sampled: 0, invalid: 0, sendFailed: 0, stopped: 0 };
  readonly coerced = { severity: 0, eventData: 0, oversized: 0 };
  readonly sinks: Record<string, SinkStats> = {};
  readonly changes$ = new Subject<void>();
  /** Positions (in settlement order) of the last batch given up: `[start, end)`. */
  lastFailure: { start: number; end: number } | undefined;

  get queued(): number {
    return this.accepted - this.settled;
  }

  get drained(): boolean {
    return this.settled >= this.accepted;
  }

  sink(name: string): SinkStats {
    return (this.sinks[name] ??= { state: 'healthy', delivered: 0, failed: 0, retries: 0 });
  }

  accept(): void {
    this.accepted++;
    this.changed();
  }

  drop(reason: keyof DropCounts, count = 1): void {
    this.dropped[reason] += count;
    this.changed();
  }

  settle(count: number, delivered: boolean): void {
    if (!delivered) this.lastFailure = { start: this.settled, end: this.settled + count };
    this.settled += count;
    if (delivered) this.delivered += count;
    else this.dropped.sendFailed += count;
    this.changed();
  }

  changed(): void {
    if (this.changes$.observed) this.changes$.next();
  }

  snapshot(): ReporterStats {
    const sinks: Record<string, SinkStats> = {};
    for (const [name, stats] of Object.entries(this.sinks)) sinks[name] = { ...stats };
    return {
      accepted: this.accepted,
      settled: this.settled,
      delivered: this.delivered,
      queued: this.queued,
      retries: this.retries,
      batches: this.batches,
      dropped: { ...this.dropped },
      coerced: { ...this.coerced },
      sinks,
    };
  }
}

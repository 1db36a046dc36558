import { Subject } from 'rxjs';

/** Why an event did not reach the backend. */
export interface DropCounts {
  /** Refused: the queue was full. */
  queueFull: number;
  /** Refused by the per-type rate limit. */
  rateLimited: number;
  /** Refused by sampling. */
  sampled: number;
  /** Refused: not a valid event (no name, …), or `beforeSend` threw on it. */
  invalid: number;
  /** Refused: `beforeSend` returned `null`. */
  filtered: number;
  /** Accepted, then pushed out of the full queue by a newer event (`overflow: 'drop-oldest'`). */
  evicted: number;
  /** Superseded while queued by a newer event with the same `event_data.coalesceKey` (the newer one is sent in its place). */
  coalesced: number;
  /** Accepted, then given up: the backend refused it or kept failing until the retries or the deadline ran out. */
  sendFailed: number;
  /** Refused: logged after `stop()`. */
  stopped: number;
}

/** How one sink is doing: `degraded` while retrying, `failed` after giving up or overflowing, `healthy` again on the next success. */
export type SinkState = 'healthy' | 'degraded' | 'failed';

export interface SinkStats {
  state: SinkState;
  /** Events this sink exported. */
  delivered: number;
  /** Events this sink gave up on, refused (rejected by the backend) or dropped because its queue overflowed. */
  failed: number;
  /** Of `failed`: dropped because this sink's own queue was full. */
  overflowed: number;
  /** Export attempts after a batch's first. */
  retries: number;
  /** Events handed to this sink and not settled yet (waiting for it, or in flight). */
  queued: number;
  /** Scheduler time (ms) of the last successful export, if any. */
  lastSuccessAt?: number;
  /** The last export error's message (never a secret), if any. */
  lastError?: string;
}

/** One batch's outcome, as {@link Counters.settle} counts it. */
export interface Settlement {
  readonly delivered: number;
  readonly failed: number;
  /** Events of the batch evicted before it was sent. */
  readonly evicted?: number;
  /** Of `failed`: the reporter's own reports. */
  readonly ownFailed?: number;
}

/** A snapshot of the reporter's counters. `accepted = delivered + dropped.sendFailed + dropped.evicted + queued` holds at every moment (`evicted` is 0 unless `overflow` is `'drop-oldest'`). */
export interface ReporterStats {
  /** Events that entered the queue. */
  accepted: number;
  /** Accepted events that were delivered or given up. */
  settled: number;
  delivered: number;
  /** Accepted and not settled or evicted: waiting, batching, in flight, or done and waiting for an earlier batch to settle first. */
  queued: number;
  /** Estimated JSON bytes of the queued events. */
  queuedBytes: number;
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
  readonly dropped: DropCounts = { queueFull: 0, rateLimited: 0, sampled: 0, invalid: 0, filtered: 0, evicted: 0, coalesced: 0, sendFailed: 0, stopped: 0 };
  /** Called after every drop (the health monitor's hook; not on the accept path). */
  onDrop: ((reason: keyof DropCounts) => void) | undefined;
  /** Called when a batch's events leave the queue (room for more). */
  onRelease: (() => void) | undefined;
  readonly coerced = { severity: 0, eventData: 0, oversized: 0 };
  readonly sinks: Record<string, SinkStats> = {};
  readonly changes$ = new Subject<void>();
  /** Positions (in settlement order) of the last batch given up: `[start, end)`. */
  lastFailure: { start: number; end: number } | undefined;

  /** Evicted events whose batch has not settled yet. */
  evictedPending = 0;
  /** Estimated JSON bytes of the queued events (`maxQueueBytes`). */
  queuedBytes = 0;
  /** Events of batches done with every sink whose settlement waits for an earlier batch. */
  finishedAhead = 0;
  /** Of `dropped.sendFailed`: the reporter's own reports (`telemetry.health` …). */
  ownSendFailed = 0;

  get queued(): number {
    return this.accepted - this.settled - this.evictedPending;
  }

  /**
   * What the queue holds: `queued` less the events already done that wait for their turn to be
   * counted. The queue's bounds apply to this, so a batch one slow sink keeps out cannot make the
   * reporter refuse events the other sinks have long delivered.
   */
  get held(): number {
    return this.queued - this.finishedAhead;
  }

  get drained(): boolean {
    return this.settled >= this.accepted;
  }

  sink(name: string): SinkStats {
    return (this.sinks[name] ??= { state: 'healthy', delivered: 0, failed: 0, overflowed: 0, retries: 0, queued: 0 });
  }

  accept(bytes = 0): void {
    this.accepted++;
    this.queuedBytes += bytes;
    this.changed();
  }

  /** An accepted event was pushed out of the queue before it was cut into a batch. */
  evict(bytes: number): void {
    this.evictedPending++;
    this.queuedBytes -= bytes;
    this.drop('evicted');
  }

  drop(reason: keyof DropCounts, count = 1): void {
    this.dropped[reason] += count;
    this.changed();
    this.onDrop?.(reason);
  }

  /**
   * A batch is done with every sink: its events leave the queue now (`held`, `queuedBytes`), even
   * if an earlier batch is still out and their settlement must wait for it. `count`: the batch's
   * events that were not evicted.
   */
  release(count: number, bytes: number): void {
    this.finishedAhead += count;
    this.queuedBytes -= bytes;
    this.changed();
    this.onRelease?.();
  }

  /**
   * Settles a released batch, in acceptance order: `failed` events count as `sendFailed` (evicted
   * ones were counted when they were evicted). `ownFailed` of the failed are the reporter's own
   * reports: counted, but not reported again as a loss (that would report forever).
   */
  settle({ delivered, failed, evicted = 0, ownFailed = 0 }: Settlement): void {
    const count = delivered + failed + evicted;
    if (failed > 0) this.lastFailure = { start: this.settled, end: this.settled + count };
    this.settled += count;
    this.evictedPending -= evicted;
    this.finishedAhead -= delivered + failed;
    this.delivered += delivered;
    this.dropped.sendFailed += failed;
    this.ownSendFailed += ownFailed;
    this.changed();
    if (failed > ownFailed) this.onDrop?.('sendFailed');
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
      queuedBytes: this.queuedBytes,
      retries: this.retries,
      batches: this.batches,
      dropped: { ...this.dropped },
      coerced: { ...this.coerced },
      sinks,
    };
  }
}

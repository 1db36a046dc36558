import { Subject } from 'rxjs';
import { zeroDropCounts, type DropCounts, type DropReason, type Refusal } from '../events/drop-reasons.js';
import type { EventRecord } from '../events/event-record.js';
import { isOwnReport } from '../events/own-reports.js';

export type { DropCounts, DropReason, Refusal } from '../events/drop-reasons.js';

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
  /** Delivered by every sink meant for them. */
  readonly delivered: number;
  /** Delivered by some of their sinks, given up by others (fan-out only). */
  readonly partial?: number;
  /** Delivered by none of their sinks. */
  readonly failed: number;
  /** Events of the batch evicted before it was sent. */
  readonly evicted?: number;
  /** Of `failed`: the reporter's own reports. */
  readonly ownFailed?: number;
  /** Of `partial`: the reporter's own reports. */
  readonly ownPartial?: number;
}

/**
 * A snapshot of the reporter's counters.
 * `accepted = delivered + partiallyDelivered + dropped.sendFailed + dropped.evicted + dropped.internal + queued`
 * holds at every moment (`evicted` is 0 unless `overflow` is `'drop-oldest'`; `partiallyDelivered` is 0 with one sink).
 */
export interface ReporterStats {
  /** Events that entered the queue. */
  accepted: number;
  /** Accepted events that are done: delivered (by every sink, or some), given up, evicted or lost. */
  settled: number;
  /** Delivered by every sink meant for them. */
  delivered: number;
  /** Delivered by some of the sinks meant for them and given up by the others (`stats().sinks` says which). */
  partiallyDelivered: number;
  /** Of `accepted`: events a dead process left in the durable spool, read back and sent again under their original ids. */
  recovered: number;
  /** Accepted and not settled or evicted: waiting, batching or in flight, and (with the durable spool) on disk only. In memory, never more than `maxQueueSize`. */
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
  /** The durable spool, when it is on. */
  spool?: SpoolView;
}

/** The durable spool as `stats().spool` shows it. */
export interface SpoolView {
  /** Bytes on disk (live segments) and waiting to be written. */
  readonly bytes: number;
  /** Segment files on disk. */
  readonly segments: number;
  /** How long the oldest event not yet released by every sink has waited (ms), if any. */
  readonly oldestUnsentAgeMs: number | undefined;
  /** Accepted events it could not write ahead (full, or the disk failed): in memory only. */
  readonly skipped: number;
  /** Why it fell back to memory only, if it did. */
  readonly fallback: string | undefined;
  /** Records on disk only, not read back yet (what earlier processes left, claimed by this one). */
  readonly backlog: number;
  /** Whether it is still claiming and sending what earlier processes left. */
  readonly recovering: boolean;
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
  partiallyDelivered = 0;
  /** Of `accepted`: events a dead process left in the durable spool, read back and sent again. */
  recovered = 0;
  /** Accepted events the durable spool could not write ahead (full, or the disk failed): kept in memory only. */
  spoolSkipped = 0;
  /**
   * Of `queued`: accepted while the in-memory queue was full, kept on the durable spool's disk only
   * until there is room again. The queue's bounds apply to the rest ({@link inMemory}).
   */
  onDisk = 0;
  /** The durable spool's own figures for `stats().spool`, when it is on. */
  spoolStats: (() => SpoolView) | undefined;
  retries = 0;
  batches = 0;
  readonly dropped: DropCounts = zeroDropCounts();
  /** Called after every drop, and after events some sinks lost (the health monitor's hook; not on the accept path). */
  onDrop: ((reason: DropReason | 'partiallyDelivered') => void) | undefined;
  /** Called for every counted refusal and eviction, with the event: the `debug` switch's hook (unset when it is off). */
  onRefuse: ((record: EventRecord, reason: DropReason) => void) | undefined;
  /** Called when a batch's events leave the queue (room for more). */
  onRelease: (() => void) | undefined;
  readonly coerced = { severity: 0, eventData: 0, oversized: 0 };
  readonly sinks: Record<string, SinkStats> = {};
  readonly changes$ = new Subject<void>();
  /**
   * The first `settledInOrder` accepted events have all settled: what the waits (`flush`, `stop`,
   * the fatal path) read. Batches finish in any order across sinks and count in `settled` at once
   * (so the queue's bound frees their room at once); this mark follows in acceptance order.
   */
  settledInOrder = 0;
  /** Positions (in acceptance order) of the last batch with an event not delivered everywhere: `[start, end)`. */
  lastFailure: { start: number; end: number } | undefined;

  /** Evicted events whose batch has not settled yet. */
  evictedPending = 0;
  /** Estimated JSON bytes of the queued events (`maxQueueBytes`). */
  queuedBytes = 0;
  /** Of `dropped.sendFailed`: the reporter's own reports (`telemetry.health` …). */
  ownSendFailed = 0;
  /** Of `partiallyDelivered`: the reporter's own reports. */
  ownPartiallyDelivered = 0;
  /** Set by {@link loseQueued}: what was queued is counted lost, so a late settlement must not count it again. */
  private lostAll = false;

  /** Accepted and not settled: in memory, or (with the durable spool) on disk only. */
  get queued(): number {
    return this.accepted - this.settled - this.evictedPending;
  }

  /** What the in-memory queue holds, and what `maxQueueSize` bounds. */
  get inMemory(): number {
    return this.queued - this.onDisk;
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

  /** An accepted event (`record`, when known) was pushed out of the queue before it was cut into a batch. */
  evict(bytes: number, record?: EventRecord): void {
    this.evictedPending++;
    this.queuedBytes -= bytes;
    this.drop('evicted');
    if (record !== undefined) this.onRefuse?.(record, 'evicted');
  }

  /**
   * Refuses `record`: the verdict `log()` reads, and the count under its reason. rxtel's own
   * reports are refused without being counted: reporting that drop would need another report,
   * forever. Returns `false`, so a `filter` can return it.
   */
  refuse(record: EventRecord, reason: Refusal): false {
    record.admission = reason;
    if (!isOwnReport(record)) {
      this.drop(reason);
      this.onRefuse?.(record, reason);
    }
    return false;
  }

  drop(reason: DropReason, count = 1): void {
    this.dropped[reason] += count;
    this.changed();
    this.onDrop?.(reason);
  }

  /**
   * A batch is done with every sink: its events leave the queue now (`queued`, `queuedBytes`)
   * and count by outcome, even if an earlier batch is still out. `failed` events count as
   * `sendFailed` (evicted ones were counted when they were evicted). `ownFailed` of the failed are
   * the reporter's own reports: counted, but not reported again as a loss (that would report
   * forever). The waits learn of it through {@link advance}, in acceptance order.
   */
  settle({ delivered, partial = 0, failed, evicted = 0, ownFailed = 0, ownPartial = 0 }: Settlement, bytes: number): void {
    if (this.lostAll) return;
    this.settled += delivered + partial + failed + evicted;
    this.evictedPending -= evicted;
    this.queuedBytes -= bytes;
    this.delivered += delivered;
    this.partiallyDelivered += partial;
    this.dropped.sendFailed += failed;
    this.ownSendFailed += ownFailed;
    this.ownPartiallyDelivered += ownPartial;
    this.changed();
    this.onRelease?.();
    if (failed > ownFailed) this.onDrop?.('sendFailed');
    else if (partial > ownPartial) this.onDrop?.('partiallyDelivered');
  }

  /** The next `count` events in acceptance order have settled; `lost`: not all of them were delivered everywhere. */
  advance(count: number, lost: boolean): void {
    if (this.lostAll) return;
    if (lost) this.lastFailure = { start: this.settledInOrder, end: this.settledInOrder + count };
    this.settledInOrder += count;
    this.changed();
  }

  /**
   * The pipeline failed: everything still queued is lost (`internal`) and counts as settled at
   * once, in order too, so that no wait hangs on events nothing will ever send.
   */
  loseQueued(): number {
    const lost = this.queued;
    this.lostAll = true;
    this.settled = this.accepted;
    this.evictedPending = 0;
    this.dropped.internal += lost;
    this.queuedBytes = 0;
    if (this.settledInOrder < this.accepted) {
      this.lastFailure = { start: this.settledInOrder, end: this.accepted };
      this.settledInOrder = this.accepted;
    }
    this.changed();
    if (lost > 0) this.onDrop?.('internal');
    return lost;
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
      partiallyDelivered: this.partiallyDelivered,
      recovered: this.recovered,
      queued: this.queued,
      queuedBytes: this.queuedBytes,
      retries: this.retries,
      batches: this.batches,
      dropped: { ...this.dropped },
      coerced: { ...this.coerced },
      sinks,
      ...(this.spoolStats === undefined ? {} : { spool: this.spoolStats() }),
    };
  }
}

import { defer, distinctUntilChanged, map, startWith, type Observable } from 'rxjs';
import type { Counters, ReporterStats, SinkState } from './counters.js';

/** What `reporter.health$` emits. */
export interface ReporterHealth {
  /** `queued / capacity`, 0..1. */
  readonly queueFill: number;
  readonly queued: number;
  /** `maxQueueSize`. */
  readonly capacity: number;
  readonly sinks: Readonly<Record<string, { readonly state: SinkState; readonly queued: number; readonly lastSuccessAt?: number; readonly lastError?: string }>>;
  /** When any sink last exported successfully (the scheduler's epoch ms), if ever. */
  readonly lastExportAt: number | undefined;
  /** The durable spool, when it is on: bytes and segments on disk, the oldest unsent event's age. */
  readonly spool?: { readonly bytes: number; readonly segments: number; readonly oldestUnsentAgeMs: number | undefined; readonly fallback: string | undefined };
}

/** The reporter's observable views of its counters; each ticks only while subscribed. */
export interface CounterViews {
  readonly stats$: Observable<ReporterStats>;
  readonly drained$: Observable<boolean>;
  readonly health$: Observable<ReporterHealth>;
}

export function health(stats: ReporterStats, capacity: number): ReporterHealth {
  const sinks: Record<string, ReporterHealth['sinks'][string]> = {};
  let lastExportAt: number | undefined;
  for (const [name, s] of Object.entries(stats.sinks)) {
    sinks[name] = {
      state: s.state,
      queued: s.queued,
      ...(s.lastSuccessAt === undefined ? {} : { lastSuccessAt: s.lastSuccessAt }),
      ...(s.lastError === undefined ? {} : { lastError: s.lastError }),
    };
    if (s.lastSuccessAt !== undefined) lastExportAt = Math.max(lastExportAt ?? s.lastSuccessAt, s.lastSuccessAt);
  }
  const base = { queueFill: Math.min(1, stats.queued / capacity), queued: stats.queued, capacity, sinks, lastExportAt };
  if (stats.spool === undefined) return base;
  const { bytes, segments, oldestUnsentAgeMs, fallback } = stats.spool;
  return { ...base, spool: { bytes, segments, oldestUnsentAgeMs, fallback } };
}

export function counterViews(counters: Counters, capacity: number): CounterViews {
  const changes$ = counters.changes$;
  const stats$ = defer(() => changes$.pipe(startWith(undefined), map(() => counters.snapshot())));
  return {
    stats$,
    drained$: defer(() => changes$.pipe(startWith(undefined), map(() => counters.drained), distinctUntilChanged())),
    health$: stats$.pipe(
      map((stats) => health(stats, capacity)),
      distinctUntilChanged((a, b) => JSON.stringify(a) === JSON.stringify(b)),
    ),
  };
}

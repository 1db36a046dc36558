import { EMPTY, of, Subscription, type Observable } from 'rxjs';
import type { EventRecord } from '../events/event-record.js';
import { Counters, type ReporterStats } from '../stats/counters.js';
import { health, type ReporterHealth } from '../stats/observe.js';
import type { EventView } from './replay.js';
import type { AttachOptions, BusEvent, FlushResult } from './types.js';

/**
 * What a reporter is underneath its API: the session, the queue, the waits. `RxtelReporter`
 * implements the public `Reporter` once over a core — the live one of an enabled configuration,
 * or {@link DisabledCore} — and a view (`reporter.with(ids)`) is the same class over the same core.
 */
export interface ReporterCore {
  readonly enabled: boolean;
  readonly sessionId: string;
  readonly drained$: Observable<boolean>;
  readonly stats$: Observable<ReporterStats>;
  readonly health$: Observable<ReporterHealth>;
  readonly events$: Observable<EventView>;
  /** Longest string kept, for events built outside the pipeline (exceptions). */
  readonly maxStringLength: number;
  /** Whether raw content may be kept (typed LLM events). */
  readonly captureContent: boolean;
  now(): number;
  /**
   * Offers the event `make` builds (only if it will be looked at): `true` when accepted. `urgent`:
   * start sending soon (exceptions). Never throws.
   */
  offer(make: () => EventRecord, urgent?: boolean): boolean;
  /** {@link ReporterCore.offer} of a record already built, for the hot path (`log()`), which checks `enabled` first. Never throws. */
  offerRecord(record: EventRecord, urgent?: boolean): boolean;
  /** Tells the logger why `track()` refused an event, once per distinct reason. */
  tellRefusal(reason: string): void;
  /** The fatal path: the exception `make` builds, SESSION_END, flushed and drained within `flushTimeoutMs`. */
  fatal(make: () => EventRecord): Promise<boolean>;
  flush(timeoutMs?: number): Promise<FlushResult>;
  waitUntilDrained(timeoutMs?: number): Promise<boolean>;
  stop(timeoutMs?: number): Promise<boolean>;
  attach(source$: Observable<BusEvent>, options?: AttachOptions): Subscription;
  stats(): ReporterStats;
}

/**
 * The core of a disabled configuration (`enabled: false` or `RXTEL_TELEMETRY=0`): no timers, no
 * network, nothing kept, no event even built. Every offer is refused; every wait resolves at once.
 */
export class DisabledCore implements ReporterCore {
  readonly enabled = false;
  readonly drained$: Observable<boolean> = of(true);
  readonly stats$: Observable<ReporterStats>;
  readonly health$: Observable<ReporterHealth>;
  readonly events$: Observable<EventView> = EMPTY;
  readonly maxStringLength = 0;
  readonly captureContent = false;
  private readonly empty = new Counters().snapshot();

  constructor(readonly sessionId: string) {
    this.stats$ = of(this.empty);
    this.health$ = of(health(this.empty, 1));
  }

  now(): number {
    // Spans still get ids (callers may propagate them); their times are never sent.
    return 0;
  }
  offer(): boolean {
    return false;
  }
  offerRecord(): boolean {
    return false;
  }
  tellRefusal(): void {
    // Disabled: nothing is validated, so nothing is refused.
  }
  fatal(): Promise<boolean> {
    return Promise.resolve(false);
  }
  flush(): Promise<FlushResult> {
    return Promise.resolve({ pending: 0 });
  }
  waitUntilDrained(): Promise<boolean> {
    return Promise.resolve(true);
  }
  stop(): Promise<boolean> {
    return Promise.resolve(true);
  }
  attach(): Subscription {
    return Subscription.EMPTY;
  }
  stats(): ReporterStats {
    return this.empty;
  }
}

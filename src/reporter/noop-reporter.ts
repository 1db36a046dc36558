import { EMPTY, of, Subscription, type Observable } from 'rxjs';
import { Counters, type ReporterStats } from '../stats/counters.js';
import { health, type ReporterHealth } from '../stats/observe.js';
import type { EventView } from './replay.js';
import { startSpan, type Span, type SpanOptions } from './span.js';
import type { FlushResult, Reporter } from './types.js';

/**
 * The reporter of a disabled configuration (`enabled: false` or `RXTEL_TELEMETRY=0`): same shape,
 * no timers, no network, nothing kept. Every log returns `false`; every wait resolves at once.
 */
export class NoopReporter implements Reporter {
  readonly enabled = false;
  readonly drained$: Observable<boolean> = of(true);
  readonly stats$: Observable<ReporterStats>;
  readonly health$: Observable<ReporterHealth>;
  readonly events$: Observable<EventView> = EMPTY;
  private readonly empty = new Counters().snapshot();

  constructor(readonly sessionId: string) {
    this.stats$ = of(this.empty);
    this.health$ = of(health(this.empty, 1));
  }

  log(): boolean {
    return false;
  }

  logException(): boolean {
    return false;
  }

  logFatalException(): Promise<boolean> {
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

  async [Symbol.asyncDispose](): Promise<void> {}

  track(): boolean {
    return false;
  }

  startSpan(name: string, options: SpanOptions = {}): Span {
    // Ids as usual (callers may propagate them), nothing logged.
    return startSpan(name, options, { now: () => 0, emit: () => false });
  }

  with(): Reporter {
    return this;
  }

  attach(): Subscription {
    return Subscription.EMPTY;
  }

  stats(): ReporterStats {
    return this.empty;
  }
}

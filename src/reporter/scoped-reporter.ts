import type { Observable, Subscription } from 'rxjs';
import type { ReporterStats } from '../stats/counters.js';
import type { ReporterHealth } from '../stats/observe.js';
import type { EventView } from './replay.js';
import type { SeverityInput } from '../events/severity.js';
import type { Span, SpanOptions } from './span.js';
import type { AttachOptions, BusEvent, CorrelationIds, FlushResult, Reporter } from './types.js';

/** `event_data` with the correlation ids added (a non-object value moves under `value`). */
function withIds(data: unknown, ids: Record<string, string>): Record<string, unknown> {
  const base = typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : data === undefined ? {} : { value: data };
  return { ...base, ...ids };
}

/**
 * A view of a reporter whose GENERIC_EVENTs carry correlation ids in `event_data`, like a child
 * logger. Everything else — queue, session, stop — is the parent's.
 */
export class ScopedReporter implements Reporter {
  private readonly ids: Record<string, string>;

  constructor(
    private readonly parent: Reporter,
    private readonly scope: CorrelationIds,
  ) {
    const ids: Record<string, string> = {};
    if (scope.correlationId !== undefined) ids['correlation_id'] = scope.correlationId;
    if (scope.turnId !== undefined) ids['turn_id'] = scope.turnId;
    if (scope.traceId !== undefined) ids['trace_id'] = scope.traceId;
    this.ids = ids;
  }

  get sessionId(): string {
    return this.parent.sessionId;
  }
  get enabled(): boolean {
    return this.parent.enabled;
  }
  get drained$(): Observable<boolean> {
    return this.parent.drained$;
  }
  get stats$(): Observable<ReporterStats> {
    return this.parent.stats$;
  }
  get health$(): Observable<ReporterHealth> {
    return this.parent.health$;
  }
  get events$(): Observable<EventView> {
    return this.parent.events$;
  }

  log(name: string, data?: unknown, severity?: SeverityInput): boolean {
    return this.parent.log(name, withIds(data, this.ids), severity);
  }
  logException(error: unknown, severity?: SeverityInput): boolean {
    return this.parent.logException(error, severity);
  }
  logFatalException(error: unknown, severity?: SeverityInput): Promise<boolean> {
    return this.parent.logFatalException(error, severity);
  }
  track(event: unknown): boolean {
    return this.parent.track(event, this.ids);
  }
  startSpan(name: string, options: SpanOptions = {}): Span {
    return this.parent.startSpan(name, { ...(this.scope.traceId === undefined ? {} : { traceId: this.scope.traceId }), ...options });
  }
  with(ids: CorrelationIds): Reporter {
    return new ScopedReporter(this.parent, { ...this.scope, ...ids });
  }
  flush(timeoutMs?: number): Promise<FlushResult> {
    return this.parent.flush(timeoutMs);
  }
  waitUntilDrained(timeoutMs?: number): Promise<boolean> {
    return this.parent.waitUntilDrained(timeoutMs);
  }
  stop(timeoutMs?: number): Promise<boolean> {
    return this.parent.stop(timeoutMs);
  }
  async [Symbol.asyncDispose](): Promise<void> {
    await this.parent[Symbol.asyncDispose]();
  }
  attach(source$: Observable<BusEvent>, options?: AttachOptions): Subscription {
    return this.parent.attach(source$, options);
  }
  stats(): ReporterStats {
    return this.parent.stats();
  }
}

import type { Observable, Subscription } from 'rxjs';
import { exceptionEvent, genericEvent } from '../events/factory.js';
import type { EventRecord } from '../events/event-record.js';
import { isRecord } from '../events/guards.js';
import { llmEventData, type LlmEvent } from '../events/llm-events.js';
import type { SeverityInput } from '../events/severity.js';
import type { ReporterStats } from '../stats/counters.js';
import type { ReporterHealth } from '../stats/observe.js';
import type { ReporterCore } from './core.js';
import type { EventView } from './replay.js';
import { startSpan, type Span, type SpanOptions } from './span.js';
import type { AttachOptions, BusEvent, CorrelationIds, FlushResult, Reporter, WrapHandlerOptions } from './types.js';
import { wrapHandler } from './wrap-handler.js';

/** The ids a view adds to `event_data`, by their wire names. */
function wireIds(scope: CorrelationIds): Record<string, string> | undefined {
  const ids: Record<string, string> = {};
  if (scope.correlationId !== undefined) ids['correlation_id'] = scope.correlationId;
  if (scope.turnId !== undefined) ids['turn_id'] = scope.turnId;
  if (scope.traceId !== undefined) ids['trace_id'] = scope.traceId;
  return Object.keys(ids).length === 0 ? undefined : ids;
}

/** `event_data` with the correlation ids added (a non-object value moves under `value`). */
function withIds(data: unknown, ids: Record<string, string>): Record<string, unknown> {
  const base = isRecord(data) ? data : data === undefined ? {} : { value: data };
  return { ...base, ...ids };
}

/**
 * The `Reporter`, implemented once over a {@link ReporterCore}: the live core of an enabled
 * configuration, or the disabled one. `with(ids)` is the same class over the same core with
 * correlation ids that its GENERIC_EVENTs carry in `event_data`, like a child logger; everything
 * else — queue, session, stop — is the core's. Its methods build events and hand them to the core;
 * all state changes happen in the pipeline (see `buildPipeline`).
 */
export class RxtelReporter implements Reporter {
  // A #private field: util.inspect(reporter) must never show the core (its options hold the API key).
  readonly #core: ReporterCore;
  readonly #scope: CorrelationIds;
  readonly #ids: Record<string, string> | undefined;

  constructor(core: ReporterCore, scope: CorrelationIds = {}) {
    this.#core = core;
    this.#scope = scope;
    this.#ids = wireIds(scope);
  }

  get sessionId(): string {
    return this.#core.sessionId;
  }
  get enabled(): boolean {
    return this.#core.enabled;
  }
  get drained$(): Observable<boolean> {
    return this.#core.drained$;
  }
  get stats$(): Observable<ReporterStats> {
    return this.#core.stats$;
  }
  get health$(): Observable<ReporterHealth> {
    return this.#core.health$;
  }
  get events$(): Observable<EventView> {
    return this.#core.events$;
  }

  log(name: string, data?: unknown, severity?: SeverityInput): boolean {
    const core = this.#core;
    // The hot path: no closure per call (offer's `make`), and nothing built when disabled.
    if (!core.enabled) return false;
    const ids = this.#ids;
    let record: EventRecord;
    try {
      record = genericEvent(core.now(), name, ids === undefined ? data : withIds(data, ids), severity);
    } catch {
      return false;
    }
    return core.offerRecord(record);
  }

  logException(error: unknown, severity?: SeverityInput): boolean {
    const core = this.#core;
    return core.offer(() => exceptionEvent(core.now(), error, severity, 'ERROR', core), true);
  }

  logFatalException(error: unknown, severity?: SeverityInput): Promise<boolean> {
    const core = this.#core;
    return core.fatal(() => exceptionEvent(core.now(), error, severity, 'CRITICAL', core, true));
  }

  track(event: LlmEvent, extra?: Readonly<Record<string, unknown>>): boolean {
    const core = this.#core;
    return core.offer(() => {
      const typed = llmEventData(event, core.captureContent);
      if (typed.refused === undefined) return genericEvent(core.now(), typed.name, { ...typed.data, ...extra, ...this.#ids });
      core.tellRefusal(typed.refused);
      // An invalid event goes in nameless: the pipeline refuses it and counts it as `invalid`.
      return genericEvent(core.now(), undefined, undefined);
    });
  }

  startSpan(name: string, options: SpanOptions = {}): Span {
    const traceId = this.#scope.traceId;
    const withTrace = traceId === undefined ? options : { traceId, ...options };
    return startSpan(name, withTrace, { now: () => this.#core.now(), emit: (event, data) => this.log(event, data) });
  }

  with(ids: CorrelationIds): Reporter {
    return new RxtelReporter(this.#core, { ...this.#scope, ...ids });
  }

  flush(timeoutMs?: number): Promise<FlushResult> {
    return this.#core.flush(timeoutMs);
  }

  waitUntilDrained(timeoutMs?: number): Promise<boolean> {
    return this.#core.waitUntilDrained(timeoutMs);
  }

  stop(timeoutMs?: number): Promise<boolean> {
    return this.#core.stop(timeoutMs);
  }

  wrapHandler<A extends unknown[], R, T = unknown>(handler: (this: T, ...args: A) => R, options?: WrapHandlerOptions<A>): (this: T, ...args: A) => Promise<Awaited<R>> {
    return wrapHandler(this, handler, options);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  attach(source$: Observable<BusEvent>, options?: AttachOptions): Subscription {
    return this.#core.attach(source$, options);
  }

  stats(): ReporterStats {
    return this.#core.stats();
  }
}

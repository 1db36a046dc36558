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
import { currentContext, runInContext, type ActiveContext } from './context.js';
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

/**
 * The correlation ids of what the caller passed, read once and defensively: a string value is kept,
 * a number or boolean becomes its string, anything else is left out; ids that cannot be read at all
 * (a throwing getter, a revoked Proxy) are none. Nothing the caller passes makes `with`,
 * `withContext` or `startSpan` throw into the application.
 */
function readIds(given: unknown): CorrelationIds {
  const ids: { correlationId?: string; turnId?: string; traceId?: string } = {};
  try {
    if (typeof given !== 'object' || given === null) return ids;
    for (const key of ['correlationId', 'turnId', 'traceId'] as const) {
      const value: unknown = (given as Record<string, unknown>)[key];
      if (typeof value === 'string') ids[key] = value;
      else if (typeof value === 'number' || typeof value === 'boolean') ids[key] = String(value);
    }
  } catch {
    return {};
  }
  return ids;
}

/** The span options the caller passed, read the same way: fields that cannot be read are left out. */
function readSpanOptions(given: unknown): SpanOptions {
  const options: { -readonly [K in keyof SpanOptions]: SpanOptions[K] } = {};
  if (typeof given !== 'object' || given === null) return options;
  for (const key of ['traceId', 'parentSpanId', 'attributes', 'kind', 'traceState'] as const) {
    try {
      const value: unknown = (given as Record<string, unknown>)[key];
      if (value !== undefined) (options as Record<string, unknown>)[key] = value;
    } catch {
      // A field that throws when read is as if not given.
    }
  }
  return options;
}

/**
 * `event_data` with the correlation ids added (a non-object value moves under `value`). Data whose
 * keys cannot be listed (a throwing Proxy) moves under `value` too: the sanitiser repairs it there,
 * as it does without ids, instead of the event being lost uncounted.
 */
function withIds(data: unknown, ids: Record<string, string>): Record<string, unknown> {
  try {
    const base = isRecord(data) ? data : data === undefined ? {} : { value: data };
    return { ...base, ...ids };
  } catch {
    return { value: data, ...ids };
  }
}

/** The ids an event carries: the context's, then the view's over them (the view wins on a conflict). */
function mergedIds(ctx: ActiveContext | undefined, view: Record<string, string> | undefined): Record<string, string> | undefined {
  if (ctx === undefined) return view;
  return view === undefined ? ctx.eventIds : { ...ctx.eventIds, ...view };
}

/** The options of a span started in `ctx` by a view scoped to `viewTraceId`: under the active span unless told otherwise. */
function nestedOptions(options: SpanOptions, ctx: ActiveContext | undefined, viewTraceId: string | undefined): SpanOptions {
  if (options.traceId !== undefined || options.parentSpanId !== undefined) return options;
  const parent = ctx?.span;
  if (parent !== undefined && (viewTraceId === undefined || viewTraceId === parent.traceId)) {
    const state = parent.traceState === undefined ? {} : { traceState: parent.traceState };
    return { traceId: parent.traceId, parentSpanId: parent.spanId, ...state, ...options };
  }
  const traceId = viewTraceId ?? ctx?.ids['trace_id'];
  return traceId === undefined ? options : { traceId, ...options };
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
    const ids = mergedIds(currentContext(), this.#ids);
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
    const ids = mergedIds(currentContext(), this.#ids);
    return core.offer(() => {
      const record = exceptionEvent(core.now(), error, severity, 'ERROR', core);
      // A user_error is a GENERIC_EVENT and carries the ids; UNHANDLED_EXCEPTION has no event_data on the wire.
      if (ids !== undefined && record.kind === 'GENERIC_EVENT') record.data = withIds(record.data, ids);
      return record;
    }, true);
  }

  logFatalException(error: unknown, severity?: SeverityInput): Promise<boolean> {
    const core = this.#core;
    return core.fatal(() => exceptionEvent(core.now(), error, severity, 'CRITICAL', core, true));
  }

  track(event: LlmEvent, extra?: Readonly<Record<string, unknown>>): boolean {
    const core = this.#core;
    const ids = mergedIds(currentContext(), this.#ids);
    return core.offer(() => {
      const typed = llmEventData(event, core.captureContent);
      if (typed.refused === undefined) return genericEvent(core.now(), typed.name, { ...typed.data, ...extra, ...ids });
      core.tellRefusal(typed.refused);
      // An invalid event goes in nameless: the pipeline refuses it and counts it as `invalid`.
      return genericEvent(core.now(), undefined, undefined);
    });
  }

  startSpan(name: string, given: SpanOptions = {}): Span {
    const options = readSpanOptions(given);
    const ctx = currentContext();
    // The ids of where the span started; its own trace_id/span_id/parent_span_id win over them.
    const ids = mergedIds(ctx, this.#ids);
    const core = this.#core;
    return startSpan(name, nestedOptions(options, ctx, this.#scope.traceId), {
      now: () => core.now(),
      emit: (event, data) => core.offer(() => genericEvent(core.now(), event, ids === undefined ? data : { ...ids, ...data })),
    });
  }

  withContext<T>(ids: CorrelationIds, fn: () => T): T {
    const ctx = currentContext();
    const scope = { ...this.#scope, ...readIds(ids) };
    const wire = { ...ctx?.ids, ...wireIds(scope) };
    // A traceId of another trace than the active span's starts afresh: no active span.
    const span = ctx?.span !== undefined && (scope.traceId === undefined || scope.traceId === ctx.span.traceId) ? ctx.span : undefined;
    return runInContext(wire, span, fn);
  }

  with(ids: CorrelationIds): Reporter {
    return new RxtelReporter(this.#core, { ...this.#scope, ...readIds(ids) });
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

import { contextStorage } from '../platform/async-context.js';

/** The kind of a span, as OpenTelemetry names them (`SpanKind`); `internal` unless said otherwise. */
export type SpanKind = 'internal' | 'server' | 'client' | 'producer' | 'consumer';

/** A span that was started and can end: what a context's active span hands out as children. */
export interface ChildSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly traceState: string | undefined;
  end(end?: { readonly status?: 'ok' | 'error' | 'unset'; readonly attributes?: Readonly<Record<string, unknown>> }): boolean;
}

/** The span a context makes active: what nesting and propagation (`traceparent`) need. */
export interface ActiveSpan extends ChildSpan {
  child(name: string, options?: { readonly kind?: SpanKind; readonly attributes?: Readonly<Record<string, unknown>> }): ChildSpan;
}

/** What the async context holds while `reporter.withContext` or `span.run` runs. */
export interface ActiveContext {
  /** The correlation ids by their wire names (`correlation_id`, `turn_id`, `trace_id`). */
  readonly ids: Readonly<Record<string, string>>;
  /** The active span, if any: new spans nest under it. */
  readonly span: ActiveSpan | undefined;
  /** What events logged in this context add to `event_data`: `ids`, and the active span's `trace_id` and `span_id`. */
  readonly eventIds: Readonly<Record<string, string>>;
}

const storage = contextStorage<ActiveContext>();

/** The context the calling code runs in, or `undefined` (one `getStore()`). */
export function currentContext(): ActiveContext | undefined {
  return storage.get();
}

/**
 * Runs `fn` in a context with these wire ids and this active span (`undefined`: none).
 *
 * @example
 * ```ts
 * runInContext({ correlation_id: 'req-7' }, undefined, () => reporter.log('handled'));
 * ```
 */
export function runInContext<R>(ids: Readonly<Record<string, string>>, span: ActiveSpan | undefined, fn: () => R): R {
  const eventIds = span === undefined ? ids : { ...ids, trace_id: span.traceId, span_id: span.spanId };
  return storage.run({ ids, span, eventIds }, fn);
}

/**
 * Runs `fn` with `span` as the active span, keeping the current context's ids.
 *
 * @example
 * ```ts
 * runWithSpan(span, () => reporter.log('inside')); // event_data gains trace_id and span_id
 * ```
 */
export function runWithSpan<R>(span: ActiveSpan, fn: () => R): R {
  return runInContext(storage.get()?.ids ?? {}, span, fn);
}

/** The active context as the public API shows it (see `activeContext`). */
export interface ContextSnapshot {
  readonly correlationId?: string;
  readonly turnId?: string;
  /** The active span's trace id, or the context's `traceId`. */
  readonly traceId?: string;
  /** The active span's id. */
  readonly spanId?: string;
  /** The W3C `tracestate` the active span carries (received with the request, passed on unchanged). */
  readonly traceState?: string;
}

/**
 * The context the calling code runs in — correlation ids and the active span's ids — or
 * `undefined` outside any `reporter.withContext` / `span.run`.
 *
 * @example
 * ```ts
 * reporter.withContext({ correlationId: 'req-7' }, () => {
 *   activeContext(); // { correlationId: 'req-7' }
 * });
 * ```
 */
export function activeContext(): ContextSnapshot | undefined {
  const ctx = storage.get();
  if (ctx === undefined) return undefined;
  const { correlation_id: correlationId, turn_id: turnId, trace_id: traceId, span_id: spanId } = ctx.eventIds;
  const traceState = ctx.span?.traceState;
  return {
    ...(correlationId === undefined ? {} : { correlationId }),
    ...(turnId === undefined ? {} : { turnId }),
    ...(traceId === undefined ? {} : { traceId }),
    ...(spanId === undefined ? {} : { spanId }),
    ...(traceState === undefined ? {} : { traceState }),
  };
}

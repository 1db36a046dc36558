import { randomBytes } from 'node:crypto';
import { formatTimestamp } from '../events/format.js';
import { SPAN_EVENT } from '../events/names.js';
import { runWithSpan, type SpanKind } from './context.js';

export type { SpanKind } from './context.js';

/** Options of `reporter.startSpan`. */
export interface SpanOptions {
  /** W3C trace id (32 lower-case hex, not all zeros); a new one when absent or malformed. */
  readonly traceId?: string;
  /** W3C span id (16 hex) of the parent span. */
  readonly parentSpanId?: string;
  readonly attributes?: Readonly<Record<string, unknown>>;
  /** What kind of operation: `server` for a request handled, `client` for one sent. @defaultValue `'internal'` */
  readonly kind?: SpanKind;
  /** W3C `tracestate` to pass on with this span's trace (as received; rxtel adds no entry of its own). */
  readonly traceState?: string;
}

/** How a span ended. */
export interface SpanEnd {
  /** A new name, when a better one is known only at the end (an HTTP server span's route). */
  readonly name?: string;
  readonly status?: 'ok' | 'error' | 'unset';
  readonly attributes?: Readonly<Record<string, unknown>>;
}

/** A timed operation. Ending it logs a `span` GENERIC_EVENT; a span ends once. */
export interface Span {
  readonly name: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly kind: SpanKind;
  /** The W3C `tracestate` this span's trace carries, passed on unchanged. */
  readonly traceState: string | undefined;
  /**
   * Runs `fn` with this span as the active one: spans started inside nest under it, and events
   * logged inside carry its `trace_id` and `span_id` (across `await`s and timers). Returns what
   * `fn` returns; the span does not end with it.
   */
  run<T>(fn: () => T): T;
  /** Logs the span; `false` when it had already ended or the event was refused. */
  end(options?: SpanEnd): boolean;
  /** A span in the same trace whose parent is this one. */
  child(name: string, options?: Omit<SpanOptions, 'traceId' | 'parentSpanId' | 'traceState'>): Span;
}

const TRACE_ID = /^(?!0{32})[0-9a-f]{32}$/;
const SPAN_ID = /^(?!0{16})[0-9a-f]{16}$/;

export interface SpanDeps {
  readonly now: () => number;
  /** Logs the finished span (as a GENERIC_EVENT named {@link SPAN_EVENT}). */
  readonly emit: (name: string, data: Record<string, unknown>) => boolean;
}

/**
 * Starts a span; its clock is the reporter's scheduler.
 *
 * @example
 * ```ts
 * const span = startSpan('db.query', { kind: 'client' }, { now: () => scheduler.now(), emit: (name, data) => reporter.log(name, data) });
 * span.end({ status: 'ok' });
 * ```
 */
export function startSpan(name: string, options: SpanOptions, deps: SpanDeps): Span {
  const traceId = options.traceId !== undefined && TRACE_ID.test(options.traceId) ? options.traceId : randomBytes(16).toString('hex');
  const parentSpanId = options.parentSpanId !== undefined && SPAN_ID.test(options.parentSpanId) ? options.parentSpanId : undefined;
  const spanId = randomBytes(8).toString('hex');
  const startedAt = deps.now();
  const kind = options.kind ?? 'internal';
  const traceState = options.traceState;
  let ended = false;
  const span: Span = {
    name,
    traceId,
    spanId,
    parentSpanId,
    kind,
    traceState,
    run: (fn) => runWithSpan(span, fn),
    end(given: SpanEnd = {}) {
      if (ended) return false;
      ended = true;
      const end = readEnd(given);
      const endedAt = deps.now();
      return deps.emit(SPAN_EVENT, {
        name: end.name ?? name,
        trace_id: traceId,
        span_id: spanId,
        ...(parentSpanId === undefined ? {} : { parent_span_id: parentSpanId }),
        ...(kind === 'internal' ? {} : { kind }),
        start_time: formatTimestamp(startedAt),
        end_time: formatTimestamp(endedAt),
        duration_ms: Math.round((endedAt - startedAt) * 1000) / 1000,
        status: end.status ?? 'unset',
        attributes: { ...attributesOf(options), ...end.attributes },
      });
    },
    child(childName, childOptions = {}) {
      return startSpan(childName, { ...childOptions, traceId, parentSpanId: spanId, ...(traceState === undefined ? {} : { traceState }) }, deps);
    },
  };
  return span;
}

/** What `end()` was given, read defensively: a field that throws when read is as if not given. */
function readEnd(given: unknown): SpanEnd {
  const end: { name?: string; status?: SpanEnd['status']; attributes?: Readonly<Record<string, unknown>> } = {};
  if (typeof given !== 'object' || given === null) return end;
  for (const key of ['name', 'status', 'attributes'] as const) {
    try {
      const value: unknown = (given as Record<string, unknown>)[key];
      if (value !== undefined) (end as Record<string, unknown>)[key] = value;
    } catch {
      // As if not given.
    }
  }
  try {
    // The attributes are spread into the event: one that cannot be listed leaves them out.
    if (end.attributes !== undefined) end.attributes = { ...end.attributes };
  } catch {
    delete end.attributes;
  }
  return end;
}

/** A span's start attributes, or none when they cannot be listed. */
function attributesOf(options: SpanOptions): Readonly<Record<string, unknown>> | undefined {
  try {
    return options.attributes === undefined ? undefined : { ...options.attributes };
  } catch {
    return undefined;
  }
}

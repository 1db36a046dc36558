import type { GenericEvent } from '../../events/wire.js';
import { isSpanEvent, spanEventModel } from '../../sinks/otlp/encode-traces.js';
import { genAiSpanOf, isGenAiSpanEvent } from '../../sinks/otlp/genai-spans.js';
import { derivedSpanId, sessionTraceId, spanIdOf, traceIdOf } from '../../sinks/otlp/ids.js';
import type { SpanInfo } from '../model.js';
import { isLlmName } from './llm-info.js';
import { spanInfo, spanInfoOfModel } from './span-info.js';
import { isoMs } from './times.js';

/**
 * The spans of rxtel's events on the Tinker wire, made by the very mappings rxtel's OTLP sink uses
 * (src/sinks/otlp/encode-traces.ts, genai-spans.ts), so that an event sent by Tinker and by OTLP
 * lands in the same place of the same trace:
 *
 * - a `span` event (`reporter.startSpan(…).end()`) with valid ids: its own trace, span and parent;
 * - `llm.generation` with a start and an end, `llm.tool.called`/`llm.tool.execution` and
 *   `llm.round.completed` with a `latency_ms` (they end at the event's time): a span whose id is
 *   derived from the session and event ids, in the event's `trace_id` (else the session's trace),
 *   under the event's `parent_span_id` or `span_id` — which name the span that was active when the
 *   event was logged (src/reporter/context.ts), i.e. its parent, not the LLM call's own span;
 * - any other `llm.…` event with a `start_time` and an `end_time`: the same, by the same rules.
 */

/** The span an event makes, and the kind and name it gives the event. */
export interface TinkerSpan {
  readonly kind: 'span' | 'llm';
  readonly info: SpanInfo;
  /** The span's name, for a `span` event (the event is named after its span). */
  readonly name?: string;
}

const latencyOf = (data: Readonly<Record<string, unknown>>): number | undefined => {
  const latency = data['latency_ms'];
  return typeof latency === 'number' && Number.isFinite(latency) && latency >= 0 ? latency : undefined;
};

/**
 * The span of a GENERIC_EVENT, or `undefined` when it makes none (see the module comment).
 *
 * @example
 * ```ts
 * tinkerSpanOf(spanEvent, sessionId, ts);  // { kind: 'span', name: 'db.query', info: { trace_id, span_id, … } }
 * tinkerSpanOf(logEvent, sessionId, ts);   // undefined
 * ```
 */
export function tinkerSpanOf(event: GenericEvent, session: string, fallbackMs: number): TinkerSpan | undefined {
  // Tested apart: the guard would narrow `event` to `never` below (it is a GenericEvent already).
  const isSpan: boolean = isSpanEvent(event);
  if (isSpan) {
    const model = spanEventModel(event);
    return { kind: 'span', info: spanInfoOfModel(model, fallbackMs), name: model.name };
  }
  const name = event.event_name;
  if (!isLlmName(name)) return undefined;
  const data = event.event_data;
  const start = isoMs(data['start_time']);
  const end = isoMs(data['end_time']);
  const timed = start !== undefined && end !== undefined;
  const isGenAi: boolean = isGenAiSpanEvent(event);
  if (isGenAi && (timed || (!('start_time' in data) && latencyOf(data) !== undefined))) {
    return { kind: 'llm', info: spanInfoOfModel(genAiSpanOf(event, { sessionId: session, content: false }), fallbackMs) };
  }
  if (!timed) return undefined;
  const parentSpanId = spanIdOf(data['parent_span_id']) ?? spanIdOf(data['span_id']);
  const info = spanInfo({
    traceId: traceIdOf(data['trace_id']) ?? sessionTraceId(session),
    spanId: derivedSpanId(session, event.event_id),
    parentSpanId,
    startMs: start,
    endMs: end,
    status: data['status'] === 'error' ? 'error' : 'unset',
  });
  return { kind: 'llm', info };
}

/**
 * The `trace_id` and `span_id` an event's data names: lower-case hex when they are valid W3C ids
 * (a UUID trace id without its dashes, as rxtel's OTLP sink sends it), else the text as sent.
 *
 * @example
 * ```ts
 * traceIdsOf({ trace_id: '5B8EFFF798038103D269B633813FC60C', span_id: 'eee19b7ec3c1b174' });
 * // { trace_id: '5b8efff798038103d269b633813fc60c', span_id: 'eee19b7ec3c1b174' }
 * ```
 */
export function traceIdsOf(data: Readonly<Record<string, unknown>>): { trace_id?: string; span_id?: string } {
  const rawTrace = data['trace_id'];
  const rawSpan = data['span_id'];
  const traceId = traceIdOf(rawTrace) ?? (typeof rawTrace === 'string' && rawTrace !== '' ? rawTrace : undefined);
  const spanId = spanIdOf(rawSpan) ?? (typeof rawSpan === 'string' && rawSpan !== '' ? rawSpan : undefined);
  return { ...(traceId === undefined ? {} : { trace_id: traceId }), ...(spanId === undefined ? {} : { span_id: spanId }) };
}

/** The fields of a span event that its `span` holds; the rest of its `event_data` is its data. */
const SPAN_FIELDS: ReadonlySet<string> = new Set(['name', 'trace_id', 'span_id', 'parent_span_id', 'kind', 'start_time', 'end_time', 'duration_ms', 'status', 'attributes']);

/**
 * The `data` of a GENERIC_EVENT: for a span event, its attributes and `span.kind` (what rxtel's
 * OTLP sink sends as the span's attributes and kind; its name, ids, times and status are in
 * `span`); for any other event, its `event_data` without `trace_id`/`span_id` when they are valid
 * ids (they are the event's own `trace_id`/`span_id` then, as rxtel's OTLP sink moves them into
 * the record's fields).
 *
 * @example
 * ```ts
 * tinkerData(spanEvent, true); // { 'http.route': '/checkout', 'span.kind': 'server' }
 * tinkerData(logEvent, false); // { button: 'submit' }
 * ```
 */
export function tinkerData(event: GenericEvent, isSpan: boolean): Record<string, unknown> {
  const data = event.event_data;
  const out: Record<string, unknown> = {};
  const put = (key: string, value: unknown): void => void Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  if (isSpan) {
    const attributes = data['attributes'];
    if (typeof attributes === 'object' && attributes !== null && !Array.isArray(attributes)) for (const [key, value] of Object.entries(attributes)) put(key, value);
    put('span.kind', typeof data['kind'] === 'string' ? data['kind'] : 'internal');
    for (const key of Object.keys(data)) if (!SPAN_FIELDS.has(key) && !Object.hasOwn(out, key)) put(key, data[key]);
    return out;
  }
  const moveTrace = traceIdOf(data['trace_id']) !== undefined;
  const moveSpan = spanIdOf(data['span_id']) !== undefined;
  if (!moveTrace && !moveSpan) return data;
  for (const key of Object.keys(data)) if (!((key === 'trace_id' && moveTrace) || (key === 'span_id' && moveSpan))) put(key, data[key]);
  return out;
}

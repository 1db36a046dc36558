import { isRecord } from '../../events/guards.js';
import { SPAN_EVENT } from '../../events/names.js';
import type { GenericEvent, TelemetryEvent } from '../../events/wire.js';
import { genAiSpanOf, isGenAiSpanEvent, type GenAiContext } from './genai-spans.js';
import { spanIdOf, traceIdOf } from './ids.js';
import type { OtlpResource } from './resource.js';
import { RXTEL_SCOPE, type OtlpScope } from './scope.js';
import { encodeSpanModel, SPAN_KIND, STATUS_CODE, type OtlpSpan, type SpanModel } from './span-model.js';
import { timeOr, unixNanoOf } from './time.js';

/**
 * The events that are spans, in the OTLP/HTTP JSON mapping (`POST /v1/traces`): span events
 * (`reporter.startSpan(…).end()`, a GENERIC_EVENT named `span`) and rxtel's typed LLM events that
 * the GenAI conventions make spans (`genai-spans.ts`).
 *
 * @example
 * ```ts
 * const spans = batch.filter(isTraceEvent);
 * const body = JSON.stringify(encodeTracesRequest(spans, resource, { sessionId, content: false }));
 * ```
 */

/** The body of `POST /v1/traces`: an `ExportTraceServiceRequest` (opentelemetry-proto v1.11.0). */
export interface OtlpTracesRequest {
  readonly resourceSpans: readonly {
    readonly resource: OtlpResource;
    readonly scopeSpans: readonly { readonly scope: OtlpScope; readonly spans: readonly OtlpSpan[] }[];
  }[];
}

/**
 * A span event: a GENERIC_EVENT named `span` whose `event_data` has a valid `trace_id` and `span_id`.
 *
 * @example
 * ```ts
 * isSpanEvent(event); // true for what reporter.startSpan(…).end() logged
 * ```
 */
export function isSpanEvent(event: TelemetryEvent): event is GenericEvent {
  return (
    event.event === 'GENERIC_EVENT' &&
    event.event_name === SPAN_EVENT &&
    traceIdOf(event.event_data['trace_id']) !== undefined &&
    spanIdOf(event.event_data['span_id']) !== undefined
  );
}

/**
 * Whether the OTLP sink sends `event` as a span (to `/v1/traces`) rather than a log record.
 *
 * @example
 * ```ts
 * const [spans, logs] = [batch.filter(isTraceEvent), batch.filter((e) => !isTraceEvent(e))];
 * ```
 */
export function isTraceEvent(event: TelemetryEvent): event is GenericEvent {
  return isSpanEvent(event) || isGenAiSpanEvent(event);
}

/** The OTLP kind of a span event's `kind` (`server`, `client`, …); INTERNAL when absent or unknown. */
function kindOf(kind: unknown): number {
  return typeof kind === 'string' && Object.hasOwn(SPAN_KIND, kind) ? SPAN_KIND[kind as keyof typeof SPAN_KIND] : SPAN_KIND.internal;
}

function statusCodeOf(status: unknown): number {
  return status === 'ok' || status === 'error' ? STATUS_CODE[status] : STATUS_CODE.unset;
}

/**
 * One span event as a {@link SpanModel} (its `kind`, INTERNAL by default). Times come from `start_time`/`end_time`,
 * falling back to the event's timestamp; attributes from `event_data.attributes`; status from
 * `status`. Call only with an event for which {@link isSpanEvent} holds.
 *
 * @example
 * ```ts
 * const model = spanEventModel(event);
 * ```
 */
export function spanEventModel(event: GenericEvent): SpanModel {
  const data = event.event_data;
  const parentSpanId = spanIdOf(data['parent_span_id']);
  const end = timeOr(data['end_time'], unixNanoOf(event.timestamp));
  const attributes = data['attributes'];
  return {
    traceId: traceIdOf(data['trace_id']) ?? '',
    spanId: spanIdOf(data['span_id']) ?? '',
    ...(parentSpanId === undefined ? {} : { parentSpanId }),
    name: typeof data['name'] === 'string' && data['name'] !== '' ? data['name'] : 'span',
    kind: kindOf(data['kind']),
    startTimeUnixNano: timeOr(data['start_time'], end),
    endTimeUnixNano: end,
    attributes: new Map(isRecord(attributes) ? Object.entries(attributes) : []),
    status: { code: statusCodeOf(data['status']) },
  };
}

/**
 * The {@link SpanModel} of an event for which {@link isTraceEvent} holds.
 *
 * @example
 * ```ts
 * const model = traceEventModel(event, { sessionId, content: false });
 * ```
 */
export function traceEventModel(event: GenericEvent, context: GenAiContext): SpanModel {
  return isSpanEvent(event) ? spanEventModel(event) : genAiSpanOf(event, context);
}

/**
 * An `ExportTraceServiceRequest` of trace events, in order, under one resource and rxtel's scope.
 *
 * @example
 * ```ts
 * encodeTracesRequest(batch.filter(isTraceEvent), resourceFor(sessionId), { sessionId, content: sink.contentCapture === 'raw' });
 * ```
 */
export function encodeTracesRequest(events: readonly GenericEvent[], resource: OtlpResource, context: GenAiContext): OtlpTracesRequest {
  const spans = events.map((event) => encodeSpanModel(traceEventModel(event, context)));
  return { resourceSpans: [{ resource, scopeSpans: [{ scope: RXTEL_SCOPE, spans }] }] };
}

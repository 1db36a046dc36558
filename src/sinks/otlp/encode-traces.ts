import { isRecord } from '../../events/guards.js';
import { SPAN_EVENT } from '../../events/names.js';
import type { GenericEvent, TelemetryEvent } from '../../events/wire.js';
import { toKeyValues, type KeyValue } from './any-value.js';
import { RXTEL_SCOPE, spanIdOf, traceIdOf, unixNanoOf, type OtlpResource, type OtlpScope } from './encode-logs.js';

/**
 * Span events (`reporter.startSpan(…).end()`: a GENERIC_EVENT named `span`) as OTLP spans, in the
 * OTLP/HTTP JSON mapping (`POST /v1/traces`).
 *
 * @example
 * ```ts
 * const spans = batch.filter(isSpanEvent);
 * const body = JSON.stringify(encodeTracesRequest(spans, resource));
 * ```
 */

/** OTLP `Span.SpanKind.SPAN_KIND_INTERNAL`: rxtel spans time work inside the process. */
export const SPAN_KIND_INTERNAL = 1;

/** OTLP `Status.StatusCode` of each span status. */
export const STATUS_CODE = { unset: 0, ok: 1, error: 2 } as const;

/** An OTLP `Span`, JSON mapping. */
export interface OtlpSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind: number;
  readonly startTimeUnixNano: string;
  readonly endTimeUnixNano: string;
  readonly attributes: readonly KeyValue[];
  readonly status: { readonly code: number };
}

/** The body of `POST /v1/traces`: an `ExportTraceServiceRequest`. */
export interface OtlpTracesRequest {
  readonly resourceSpans: readonly {
    readonly resource: OtlpResource;
    readonly scopeSpans: readonly { readonly scope: OtlpScope; readonly spans: readonly OtlpSpan[] }[];
  }[];
}

/** A span event: a GENERIC_EVENT named `span` whose `event_data` has a valid `trace_id` and `span_id`. */
export function isSpanEvent(event: TelemetryEvent): event is GenericEvent {
  return (
    event.event === 'GENERIC_EVENT' &&
    event.event_name === SPAN_EVENT &&
    traceIdOf(event.event_data['trace_id']) !== undefined &&
    spanIdOf(event.event_data['span_id']) !== undefined
  );
}

/**
 * One span event as an OTLP span (kind INTERNAL). Times come from `start_time`/`end_time`, falling
 * back to the event's timestamp; attributes from `event_data.attributes`; status from `status`.
 * Call only with an event for which {@link isSpanEvent} holds.
 */
export function encodeSpan(event: GenericEvent): OtlpSpan {
  const data = event.event_data;
  const parentSpanId = spanIdOf(data['parent_span_id']);
  const end = timeOr(data['end_time'], event.timestamp);
  const attributes = data['attributes'];
  return {
    traceId: traceIdOf(data['trace_id']) ?? '',
    spanId: spanIdOf(data['span_id']) ?? '',
    ...(parentSpanId === undefined ? {} : { parentSpanId }),
    name: typeof data['name'] === 'string' && data['name'] !== '' ? data['name'] : 'span',
    kind: SPAN_KIND_INTERNAL,
    startTimeUnixNano: timeOr(data['start_time'], end),
    endTimeUnixNano: end,
    attributes: isRecord(attributes) ? toKeyValues(attributes).filter((kv) => kv.key !== '') : [],
    status: { code: statusCodeOf(data['status']) },
  };
}

/** An `ExportTraceServiceRequest` of span events, in order, under one resource and rxtel's scope. */
export function encodeTracesRequest(events: readonly GenericEvent[], resource: OtlpResource): OtlpTracesRequest {
  return { resourceSpans: [{ resource, scopeSpans: [{ scope: RXTEL_SCOPE, spans: events.map(encodeSpan) }] }] };
}

function statusCodeOf(status: unknown): number {
  return status === 'ok' || status === 'error' ? STATUS_CODE[status] : STATUS_CODE.unset;
}

/** The wire timestamp `value` in Unix nanoseconds; `fallback` (a wire timestamp or nanoseconds) when invalid. */
function timeOr(value: unknown, fallback: string): string {
  const nanos = unixNanoOf(value);
  if (nanos !== '0') return nanos;
  return /^\d+$/.test(fallback) ? fallback : unixNanoOf(fallback);
}

import { SESSION_TRACE_NAME } from '../../sinks/langfuse/encode.js';
import { ATTR, EVENT_NAME, RXTEL_ATTR } from '../../sinks/otlp/semconv.js';
import type { IncomingEvent } from '../model.js';
import { parseExceptionChain } from './exception-chain.js';
import { logRecordEvent, type RecordContext } from './otlp-log-record.js';
import { recordJson } from './record-ids.js';
import { attributesOf, field, hexId, isObject, repeated, text, type JsonObject } from './otlp-values.js';
import { langfuseSeverity } from './severity.js';
import { spanInfo, statusWord } from './span-info.js';
import { isLlmSpan, spanLlmInfo } from './span-llm.js';
import { nanosMs } from './times.js';

/**
 * One OTLP `Span` (opentelemetry-proto v1.11.0 `trace.proto`) as console events: the span itself
 * (kind `span`, or `llm` for a GenAI or Langfuse LLM span), and one `exception` event per span event
 * named `exception` (semantic-conventions v1.44.0 `exceptions`). A Langfuse `event` observation (a
 * span of type `event`, which is how Langfuse's SDKs and rxtel's LangfuseOtlpSink send a point
 * event) is read as the log record it stands for.
 */

/** `Span.SpanKind` names, by number. */
const KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'] as const;

const LANGFUSE_TYPE = 'langfuse.observation.type';
const LANGFUSE_LEVEL = 'langfuse.observation.level';
/** What rxtel's LangfuseOtlpSink adds to an event's span (src/sinks/langfuse/otlp-spans.ts): not the event's data. */
const LANGFUSE_BOOKKEEPING = [LANGFUSE_TYPE, LANGFUSE_LEVEL, 'langfuse.trace.name', 'langfuse.environment', 'langfuse.release'];

/** Why a span was refused, or its events. */
export type SpanEvents = { readonly refused: string } | { readonly events: readonly { session: string; event: IncomingEvent }[] };

/** A Langfuse `event` span as a log record (its parent is the span the event happened in). */
function eventSpan(span: JsonObject, attributes: Readonly<Record<string, unknown>>, traceId: string, context: RecordContext, spanId: string) {
  const failed = statusWord(field(field(span, 'status'), 'code')) === 'error';
  const severity = langfuseSeverity(attributes[LANGFUSE_LEVEL]) ?? (failed ? 'ERROR' : 'INFO');
  const record = {
    timeUnixNano: field(span, 'startTimeUnixNano'),
    severityText: severity,
    eventName: text(field(span, 'name')),
    attributes: field(span, 'attributes'),
    traceId,
    spanId: hexId(field(span, 'parentSpanId'), 8),
  };
  const mapped = logRecordEvent(record, context, LANGFUSE_BOOKKEEPING);
  // rxtel's session trace (named `rxtel.session`) only holds the session's events: they name no trace of their own.
  const container = attributes['langfuse.trace.name'] === SESSION_TRACE_NAME;
  // Without rxtel's event id, the span's own id is the event's.
  const id = attributes[RXTEL_ATTR.eventId] === undefined ? spanId : mapped.event.id;
  return { session: mapped.session, event: { ...mapped.event, id, ...(container ? { trace_id: undefined } : {}) } };
}

/**
 * The events of one span, or why it was refused (a trace id or span id that is no valid id: they
 * are required, and the console places spans by them). The span's session is its own `session.id`
 * attribute (Langfuse's SDKs put it on every span), else its resource's.
 *
 * @example
 * ```ts
 * const result = spanEvents(span, { session: 'otlp:api', scope: 'my.lib', ids, now: Date.now() });
 * if ('refused' in result) groups.refuse(result.refused);
 * ```
 */
export function spanEvents(span: JsonObject, context: RecordContext): SpanEvents {
  const traceId = hexId(field(span, 'traceId'), 16);
  const spanId = hexId(field(span, 'spanId'), 8);
  if (traceId === undefined) return { refused: 'traceId is not 16 bytes of hex (nor all zeros)' };
  if (spanId === undefined) return { refused: 'spanId is not 8 bytes of hex (nor all zeros)' };
  const attributes = attributesOf(field(span, 'attributes'));
  if (attributes[LANGFUSE_TYPE] === 'event') return { events: [eventSpan(span, attributes, traceId, context, spanId)] };
  const ownSession = text(attributes[ATTR.sessionId]) ?? text(attributes['langfuse.session.id']);
  const session = ownSession ?? context.session;
  // The span's own session.id is its session, not its data.
  if (ownSession !== undefined) {
    delete attributes[ATTR.sessionId];
    delete attributes['langfuse.session.id'];
  }
  const status = field(span, 'status');
  const statusName = statusWord(field(status, 'code'));
  const endMs = nanosMs(field(span, 'endTimeUnixNano')) ?? nanosMs(field(span, 'startTimeUnixNano')) ?? context.now;
  const startMs = nanosMs(field(span, 'startTimeUnixNano')) ?? endMs;
  const info = spanInfo({ traceId, spanId, parentSpanId: hexId(field(span, 'parentSpanId'), 8), startMs, endMs, status: statusName });
  const name = text(field(span, 'name')) ?? 'span';
  const rawKind = field(span, 'kind') ?? 0;
  const kindNumber = typeof rawKind === 'string' && /^\d+$/.test(rawKind) ? Number(rawKind) : rawKind;
  const data: Record<string, unknown> = { ...attributes, 'span.kind': (typeof kindNumber === 'number' ? KINDS[kindNumber] : undefined) ?? recordJson(rawKind) };
  const statusMessage = text(field(status, 'message'));
  if (statusMessage !== undefined) data['otel.status_description'] = statusMessage;
  const base = { trace_id: traceId, span_id: spanId, received_ms: context.now, source: 'otlp' as const };
  const events: { session: string; event: IncomingEvent }[] = [];
  const others: unknown[] = [];
  (repeated(span, 'events') ?? []).forEach((spanEvent, i) => {
    if (!isObject(spanEvent)) return;
    const eventAttributes = attributesOf(field(spanEvent, 'attributes'));
    const at = nanosMs(field(spanEvent, 'timeUnixNano')) ?? endMs;
    if (field(spanEvent, 'name') !== EVENT_NAME.exception) {
      others.push({ name: field(spanEvent, 'name'), time_ms: at, attributes: eventAttributes });
      return;
    }
    const { [ATTR.exceptionType]: type, [ATTR.exceptionMessage]: message, [ATTR.exceptionStacktrace]: stack, ...rest } = eventAttributes;
    const typeText = text(type);
    const messageText = typeof message === 'string' ? message : undefined;
    events.push({
      session,
      event: {
        ...base,
        id: `${spanId}:exception:${i}`,
        session,
        ts: at,
        severity: 'ERROR',
        kind: 'exception',
        name: typeText ?? EVENT_NAME.exception,
        message: messageText,
        data: rest,
        exception: { chain: parseExceptionChain(text(stack), { type: typeText ?? 'Error', message: messageText ?? '' }) },
      },
    });
  });
  if (others.length > 0) data['span.events'] = others;
  const llm = isLlmSpan(attributes);
  const severity = langfuseSeverity(attributes[LANGFUSE_LEVEL]) ?? (statusName === 'error' ? 'ERROR' : 'INFO');
  const own: IncomingEvent = {
    ...base,
    id: spanId,
    session,
    ts: endMs,
    severity: statusName === 'error' && severity !== 'ERROR' ? 'ERROR' : severity,
    kind: llm ? 'llm' : 'span',
    name,
    message: name,
    data,
    span: info,
    llm: llm ? spanLlmInfo(attributes, { startMs: info.start_ms, endMs, status: statusName }) : undefined,
  };
  return { events: [{ session, event: own }, ...events] };
}

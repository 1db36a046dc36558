import type { GenericEvent, Severity, TelemetryEvent } from '../../events/wire.js';
import { keyValue, type AnyValue, type KeyValue } from './any-value.js';
import { genAiLogAttributes } from './genai-attributes.js';
import { spanIdOf, traceIdOf } from './ids.js';
import type { OtlpResource } from './resource.js';
import { RXTEL_SCOPE, type OtlpScope } from './scope.js';
import { ATTR, EVENT_NAME, RXTEL_ATTR } from './semconv.js';
import { unixNanoOf } from './time.js';

/**
 * Events as OTLP log records, in the OTLP/HTTP JSON mapping (`POST /v1/logs`): each an event in
 * the conventions' sense (a LogRecord with `eventName`; semantic-conventions v1.44.0
 * `docs/general/events.md`). The name travels in the record's `eventName` only (the `event.name`
 * attribute is deprecated), and `body` is set only where there is a display message (an
 * exception's): it never repeats the name.
 *
 * @example
 * ```ts
 * const body = JSON.stringify(encodeLogsRequest(events, resourceFor(sessionId), { sessionId }));
 * ```
 */

/** An OTLP `LogRecord` (opentelemetry-proto v1.11.0 `logs.proto`), JSON mapping. */
export interface OtlpLogRecord {
  readonly timeUnixNano: string;
  readonly observedTimeUnixNano: string;
  readonly severityNumber: number;
  readonly severityText: string;
  readonly body?: AnyValue;
  readonly eventName: string;
  readonly attributes: readonly KeyValue[];
  readonly traceId?: string;
  readonly spanId?: string;
}

/** The body of `POST /v1/logs`: an `ExportLogsServiceRequest`. */
export interface OtlpLogsRequest {
  readonly resourceLogs: readonly {
    readonly resource: OtlpResource;
    readonly scopeLogs: readonly { readonly scope: OtlpScope; readonly logRecords: readonly OtlpLogRecord[] }[];
  }[];
}

/** What a record needs beyond its event. */
export interface LogContext {
  /** The session: `session.start` and `session.end` carry its id, as their conventions require. */
  readonly sessionId: string;
}

/** OTLP `SeverityNumber` of each Tinker severity (the first number of each OTLP range). */
export const SEVERITY_NUMBER: Readonly<Record<Severity, number>> = {
  DEBUG: 5,
  INFO: 9,
  WARNING: 13,
  ERROR: 17,
  CRITICAL: 21,
};

/** `event_name` of a 4xx reported by `logException` (see `classify-exception.ts`). */
export const USER_ERROR_EVENT = 'user_error';

/**
 * The record's event name: `session.start`, `session.end` and `exception` (the conventions' names)
 * for the Tinker kinds, `event_name` for a GENERIC_EVENT.
 *
 * @example
 * ```ts
 * eventNameOf({ event: 'SESSION_START', … }); // 'session.start'
 * ```
 */
export function eventNameOf(event: TelemetryEvent): string {
  switch (event.event) {
    case 'SESSION_START':
      return EVENT_NAME.sessionStart;
    case 'SESSION_END':
      return EVENT_NAME.sessionEnd;
    case 'UNHANDLED_EXCEPTION':
      return EVENT_NAME.exception;
    case 'GENERIC_EVENT':
      return event.event_name;
  }
}

/** A `user_error`'s `{ error_type, message, status_code, body }` as the conventions' attributes; the message is also the display body. */
function userError(data: Readonly<Record<string, unknown>>, attributes: Map<string, unknown>): string | undefined {
  const { error_type: type, message, status_code: status, body } = data;
  if (typeof type === 'string') attributes.set(ATTR.exceptionType, type);
  if (typeof message === 'string') attributes.set(ATTR.exceptionMessage, message);
  if (Number.isInteger(status)) attributes.set(ATTR.httpResponseStatusCode, status);
  // The registry has no attribute for a response body's content (only `http.response.body.size`).
  if (body !== undefined) attributes.set(RXTEL_ATTR.responseBody, body);
  return typeof message === 'string' ? message : undefined;
}

/** A GENERIC_EVENT's attributes (after the kind's own) and its trace context. */
function generic(event: GenericEvent, attributes: Map<string, unknown>): { body?: string; traceId?: string; spanId?: string } {
  const data = event.event_data;
  const traceId = traceIdOf(data['trace_id']);
  const spanId = spanIdOf(data['span_id']);
  const body = event.event_name === USER_ERROR_EVENT ? userError(data, attributes) : undefined;
  const consumed = event.event_name === USER_ERROR_EVENT ? ['error_type', 'message', 'status_code', 'body'] : [];
  const entries = genAiLogAttributes(event.event_name, data) ?? Object.entries(data);
  for (const [key, value] of entries) {
    if ((key === 'trace_id' && traceId !== undefined) || (key === 'span_id' && spanId !== undefined) || consumed.includes(key)) continue;
    if (key !== '' && !attributes.has(key)) attributes.set(key, value);
  }
  return { ...(body === undefined ? {} : { body }), ...(traceId === undefined ? {} : { traceId }), ...(spanId === undefined ? {} : { spanId }) };
}

/**
 * One event as an OTLP log record. Attributes: `rxtel.event.id`, `rxtel.event.session_index`,
 * the kind's own (`session.id` and `rxtel.session.duration`, `exception.*`, a `user_error`'s
 * `exception.*` and `http.response.status_code`), then every
 * `event_data` entry (a typed LLM event's under its GenAI names); a valid `trace_id`/`span_id`
 * becomes the record's `traceId`/`spanId` instead. Keys are unique: an `event_data` entry never
 * overrides one of rxtel's.
 *
 * @example
 * ```ts
 * encodeLogRecord(event, { sessionId }).eventName; // 'user.action'
 * ```
 */
export function encodeLogRecord(event: TelemetryEvent, context: LogContext): OtlpLogRecord {
  const attributes = new Map<string, unknown>([
    [RXTEL_ATTR.eventId, event.event_id],
    [RXTEL_ATTR.sessionIndex, event.event_session_index],
  ]);
  let extra: { body?: string; traceId?: string; spanId?: string } = {};
  switch (event.event) {
    case 'SESSION_START':
      attributes.set(ATTR.sessionId, context.sessionId);
      break;
    case 'SESSION_END':
      attributes.set(ATTR.sessionId, context.sessionId);
      attributes.set(RXTEL_ATTR.sessionDuration, event.duration);
      break;
    case 'UNHANDLED_EXCEPTION':
      attributes.set(ATTR.exceptionType, event.error_type);
      attributes.set(ATTR.exceptionMessage, event.error_message);
      if (event.traceback !== undefined) attributes.set(ATTR.exceptionStacktrace, event.traceback);
      extra = { body: event.error_message };
      break;
    case 'GENERIC_EVENT':
      break;
  }
  if (event.event === 'GENERIC_EVENT') extra = generic(event, attributes);
  const time = unixNanoOf(event.timestamp);
  return {
    timeUnixNano: time,
    observedTimeUnixNano: time,
    severityNumber: SEVERITY_NUMBER[event.severity] ?? 0,
    severityText: event.severity,
    ...(extra.body === undefined ? {} : { body: { stringValue: extra.body } }),
    eventName: eventNameOf(event),
    attributes: [...attributes].map(([key, value]) => keyValue(key, value)),
    ...(extra.traceId === undefined ? {} : { traceId: extra.traceId }),
    ...(extra.spanId === undefined ? {} : { spanId: extra.spanId }),
  };
}

/**
 * An `ExportLogsServiceRequest` of `events`, in order, under one resource and rxtel's scope.
 *
 * @example
 * ```ts
 * encodeLogsRequest(batch, resourceFor(sessionId), { sessionId });
 * ```
 */
export function encodeLogsRequest(events: readonly TelemetryEvent[], resource: OtlpResource, context: LogContext): OtlpLogsRequest {
  return { resourceLogs: [{ resource, scopeLogs: [{ scope: RXTEL_SCOPE, logRecords: events.map((event) => encodeLogRecord(event, context)) }] }] };
}

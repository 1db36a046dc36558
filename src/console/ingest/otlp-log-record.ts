import { USER_ERROR_EVENT } from '../../sinks/otlp/encode-logs.js';
import { ATTR, EVENT_NAME, RXTEL_ATTR } from '../../sinks/otlp/semconv.js';
import type { ConsoleEventKind, ConsoleSeverity, IncomingEvent } from '../model.js';
import { kindOfName } from './event-kind.js';
import { parseExceptionChain } from './exception-chain.js';
import { llmInfoOf } from './llm-info.js';
import { anyValue, attributesOf, field, hexId, text, type JsonObject } from './otlp-values.js';
import { recordJson, type RecordIds } from './record-ids.js';
import { otlpSeverity } from './severity.js';
import { durationMs, nanosMs } from './times.js';

/**
 * One OTLP `LogRecord` (opentelemetry-proto v1.11.0 `logs.proto`) as a console event. rxtel's own
 * attributes (src/sinks/otlp/semconv.ts `RXTEL_ATTR`, written by src/sinks/otlp/encode-logs.ts) are
 * read back, so that an event rxtel sends by OTLP looks as it does sent by Tinker.
 */

/** Where a record sits: its resource's session, its scope, the request's id source and clock. */
export interface RecordContext {
  readonly session: string;
  readonly scope: string;
  readonly ids: RecordIds;
  readonly now: number;
}

/** Longest name taken from a body. */
const NAME_FROM_BODY = 80;

/** The first 80 characters (code points) of a body's text, for a record that names no event. */
function nameFromBody(body: string): string {
  return Array.from(body.slice(0, NAME_FROM_BODY * 2)).slice(0, NAME_FROM_BODY).join('');
}

/** A rxtel `user_error` (a 4xx): its `event_data` as the Tinker wire carries it. */
function userError(attributes: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  const pairs: readonly [string, string][] = [
    ['error_type', ATTR.exceptionType],
    ['message', ATTR.exceptionMessage],
    ['status_code', ATTR.httpResponseStatusCode],
    ['body', RXTEL_ATTR.responseBody],
  ];
  for (const [key, attribute] of pairs) if (attributes[attribute] !== undefined) data[key] = attributes[attribute];
  return data;
}

/** What a record is, and what it says beyond its attributes. */
interface Reading {
  kind: ConsoleEventKind;
  name: string | undefined;
  message: string | undefined;
  consumed: string[];
  data?: Record<string, unknown>;
  exception?: IncomingEvent['exception'];
}

function read(eventName: string | undefined, attributes: Readonly<Record<string, unknown>>, body: string | undefined): Reading {
  const exceptionType = text(attributes[ATTR.exceptionType]);
  const exceptionMessage = typeof attributes[ATTR.exceptionMessage] === 'string' ? (attributes[ATTR.exceptionMessage] as string) : undefined;
  const stacktrace = text(attributes[ATTR.exceptionStacktrace]);
  if (eventName === EVENT_NAME.sessionStart) return { kind: 'session_start', name: 'SESSION_START', message: body, consumed: [] };
  if (eventName === EVENT_NAME.sessionEnd) {
    const duration = attributes[RXTEL_ATTR.sessionDuration];
    const ms = durationMs(duration);
    const data = duration === undefined ? {} : { duration, ...(ms === undefined ? {} : { duration_ms: ms }) };
    return { kind: 'session_end', name: 'SESSION_END', message: body, consumed: [RXTEL_ATTR.sessionDuration], data };
  }
  if (eventName === USER_ERROR_EVENT) {
    return { kind: 'log', name: eventName, message: undefined, consumed: [ATTR.exceptionType, ATTR.exceptionMessage, ATTR.httpResponseStatusCode, RXTEL_ATTR.responseBody], data: userError(attributes) };
  }
  if (exceptionType !== undefined || exceptionMessage !== undefined || stacktrace !== undefined) {
    const message = exceptionMessage ?? body;
    return {
      kind: 'exception',
      name: exceptionType ?? eventName ?? EVENT_NAME.exception,
      message,
      consumed: [ATTR.exceptionType, ATTR.exceptionMessage, ATTR.exceptionStacktrace],
      exception: { chain: parseExceptionChain(stacktrace, { type: exceptionType ?? 'Error', message: message ?? '' }) },
    };
  }
  return { kind: kindOfName(eventName ?? ''), name: eventName, message: body, consumed: [] };
}

/**
 * A log record as a console event, in its session: the record's own `session.id` attribute, else
 * its resource's. `drop` names attributes to leave out of `data` (a caller's bookkeeping).
 *
 * @example
 * ```ts
 * const { session, event } = logRecordEvent(record, { session: 'otlp:api', scope: 'my.lib', ids: new RecordIds(), now: Date.now() });
 * ```
 */
export function logRecordEvent(record: JsonObject, context: RecordContext, drop: readonly string[] = []): { session: string; event: IncomingEvent } {
  const attributes = attributesOf(field(record, 'attributes'));
  const eventName = text(field(record, 'eventName')) ?? text(attributes['event.name']);
  const rawBody = field(record, 'body');
  const body = rawBody === undefined ? undefined : anyValue(rawBody);
  const bodyText = typeof body === 'string' ? body : body === undefined || body === null ? undefined : recordJson(body);
  const severity: ConsoleSeverity = otlpSeverity(field(record, 'severityNumber'), field(record, 'severityText'));
  const ownSession = text(attributes[ATTR.sessionId]);
  const session = ownSession ?? context.session;
  const traceId = hexId(field(record, 'traceId'), 16);
  const spanId = hexId(field(record, 'spanId'), 8);
  // Without an id of its own, a hash of what the record says (not of how it was spelt).
  const id =
    text(attributes[RXTEL_ATTR.eventId]) ??
    context.ids.next([
      session,
      context.scope,
      ...['timeUnixNano', 'observedTimeUnixNano', 'severityNumber', 'severityText'].map((key) => recordJson(field(record, key) ?? '')),
      eventName ?? '',
      recordJson(body ?? null),
      recordJson(attributes),
      traceId ?? '',
      spanId ?? '',
    ]);
  const reading = read(eventName, attributes, bodyText);
  const skip = new Set<string>([RXTEL_ATTR.eventId, RXTEL_ATTR.sessionIndex, ...reading.consumed, ...drop]);
  if (ownSession !== undefined) skip.add(ATTR.sessionId);
  const data: Record<string, unknown> = { ...reading.data };
  for (const key of Object.keys(attributes)) if (!skip.has(key) && !Object.hasOwn(data, key)) Object.defineProperty(data, key, { value: attributes[key], enumerable: true, writable: true, configurable: true });
  // A body that is not the message (structured, or an exception's record saying more than its message) stays in data.
  const bodyIsMessage = typeof body === 'string' && body === reading.message;
  if (body !== undefined && body !== null && !bodyIsMessage && !Object.hasOwn(data, 'body') && (typeof body !== 'string' || reading.kind === 'exception')) data['body'] = body;
  const name = reading.name ?? (bodyText === undefined || bodyText === '' ? undefined : nameFromBody(bodyText)) ?? text(field(record, 'severityText')) ?? 'log';
  const event: IncomingEvent = {
    id,
    session,
    ts: nanosMs(field(record, 'timeUnixNano')) ?? nanosMs(field(record, 'observedTimeUnixNano')) ?? context.now,
    received_ms: context.now,
    severity,
    kind: reading.kind,
    name,
    source: 'otlp',
    message: reading.message,
    data,
    trace_id: traceId,
    span_id: spanId,
    exception: reading.exception,
    llm: reading.kind === 'llm' ? llmInfoOf(name, attributes) : undefined,
  };
  return { session, event };
}

import { z } from 'zod';
import type { Severity, TelemetryEvent } from '../../events/wire.js';
import { processId } from '../../platform/node.js';
import { nonEmptyString } from '../../schema/fields.js';
import { parseOptionsWith } from '../../schema/parse.js';
import { VERSION } from '../../version.js';
import { keyValue, type AnyValue, type KeyValue } from './any-value.js';

/**
 * Tinker events as OTLP log records, in the OTLP/HTTP JSON mapping (`POST /v1/logs`).
 *
 * @example
 * ```ts
 * const body = JSON.stringify(encodeLogsRequest(events, resourceOf({ 'service.name': 'svc', 'session.id': sessionId })));
 * ```
 */

/** An OTLP `Resource`. */
export interface OtlpResource {
  readonly attributes: readonly KeyValue[];
}

/** An OTLP `InstrumentationScope`. */
export interface OtlpScope {
  readonly name: string;
  readonly version: string;
}

/** An OTLP `LogRecord`, JSON mapping. */
export interface OtlpLogRecord {
  readonly timeUnixNano: string;
  readonly observedTimeUnixNano: string;
  readonly severityNumber: number;
  readonly severityText: string;
  readonly body: AnyValue;
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

/** rxtel itself, as the instrumentation scope of every record and span it exports. */
export const RXTEL_SCOPE: OtlpScope = { name: 'rxtel', version: VERSION };

/** OTLP `SeverityNumber` of each Tinker severity (the first number of each OTLP range). */
export const SEVERITY_NUMBER: Readonly<Record<Severity, number>> = {
  DEBUG: 5,
  INFO: 9,
  WARNING: 13,
  ERROR: 17,
  CRITICAL: 21,
};

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\.(\d{6})Z$/;
const TRACE_ID = /^(?![0]{32}$)[0-9a-f]{32}$/i;
const SPAN_ID = /^(?![0]{16}$)[0-9a-f]{16}$/i;
const OWN_KEYS = new Set(['service.name', 'service.version', 'session.id', 'process.pid']);

/**
 * Nanoseconds since the Unix epoch, as a decimal string, of a wire timestamp
 * (`2026-01-01T00:00:00.000001Z` → `"1767225600000001000"`), exact: the whole seconds come from
 * the date, the microseconds from the digits, and BigInt does the arithmetic. `"0"` (OTLP's
 * "unknown") for anything else.
 */
export function unixNanoOf(timestamp: unknown): string {
  const match = typeof timestamp === 'string' ? TIMESTAMP.exec(timestamp) : null;
  if (match === null) return '0';
  const epochMs = Date.parse(`${match[1] ?? ''}Z`);
  if (!Number.isInteger(epochMs) || epochMs < 0) return '0';
  return (BigInt(epochMs) * 1_000_000n + BigInt(match[2] ?? '0') * 1_000n).toString();
}

/** The lower-case hex trace id, when `value` is a valid W3C trace id (32 hex, not all zeros). */
export function traceIdOf(value: unknown): string | undefined {
  return typeof value === 'string' && TRACE_ID.test(value) ? value.toLowerCase() : undefined;
}

/** The lower-case hex span id, when `value` is a valid W3C span id (16 hex, not all zeros). */
export function spanIdOf(value: unknown): string | undefined {
  return typeof value === 'string' && SPAN_ID.test(value) ? value.toLowerCase() : undefined;
}

/** A resource attribute's value. */
export type OtlpResourceValue = string | number | boolean;

const RESOURCE_VALUE = 'expected a string, a finite number or a boolean';

/**
 * What a user says about the resource: the resource options of the OTLP sink, declared once here
 * and taken into `OtlpHttpSinkOptions`.
 */
export const ResourceOptions = z.strictObject({
  resource: z
    .record(nonEmptyString('expected a non-empty attribute name'), z.union([z.string(), z.number(), z.boolean()], { error: RESOURCE_VALUE }), {
      error: 'expected an object of attribute names to strings, numbers or booleans',
    })
    .optional(),
  serviceName: nonEmptyString().optional(),
  serviceVersion: nonEmptyString().optional(),
});
export type ResourceOptions = z.input<typeof ResourceOptions>;

/** A resource from attributes, in their order. */
export function resourceOf(attributes: Readonly<Record<string, OtlpResourceValue>>): OtlpResource {
  return { attributes: Object.keys(attributes).map((key) => keyValue(key, attributes[key])) };
}

/**
 * Checks the resource options (a `ConfigError` naming the bad one) and returns the resource
 * of a session: `service.name` (`serviceName`, else `resource['service.name']`, else `'rxtel'`),
 * `service.version` (likewise; omitted when neither is set), `session.id`, `process.pid`, then the
 * other `resource` entries (`session.id` and `process.pid` there are ignored: they are rxtel's).
 * The last session's resource is kept, since every batch of a reporter has the same.
 */
export function resourceFactory(options: ResourceOptions): (sessionId: string) => OtlpResource {
  // Parsed here too, so that the encoder is safe on its own; from the sink, these are already checked.
  const { resource = {}, serviceName, serviceVersion } = parseOptionsWith(ResourceOptions, options, { owner: 'OtlpHttpSink' });
  const rest: Record<string, OtlpResourceValue> = {};
  for (const [key, value] of Object.entries(resource)) if (!OWN_KEYS.has(key)) rest[key] = value;
  const service = serviceName ?? resource['service.name'] ?? 'rxtel';
  const version = serviceVersion ?? resource['service.version'];
  const own = { 'service.name': service, ...(version === undefined ? {} : { 'service.version': version }) };
  let last: { readonly sessionId: string; readonly resource: OtlpResource } | undefined;
  return (sessionId) => {
    if (last?.sessionId !== sessionId) {
      last = { sessionId, resource: resourceOf({ ...own, 'session.id': sessionId, 'process.pid': processId, ...rest }) };
    }
    return last.resource;
  };
}

/** The name of an event: `event_name` for a GENERIC_EVENT, else its kind (`SESSION_START`, …). */
export function eventNameOf(event: TelemetryEvent): string {
  return event.event === 'GENERIC_EVENT' ? event.event_name : event.event;
}

/**
 * One event as an OTLP log record. Attributes: `event.name`, `event.id`, `event.session_index`,
 * the kind's own (`exception.*`, `session.duration`), then every `event_data` entry; a valid
 * `trace_id`/`span_id` in `event_data` becomes the record's `traceId`/`spanId` instead. Keys are
 * unique: an `event_data` entry never overrides one of rxtel's.
 */
export function encodeLogRecord(event: TelemetryEvent): OtlpLogRecord {
  const name = eventNameOf(event);
  const attributes = new Map<string, unknown>([
    ['event.name', name],
    ['event.id', event.event_id],
    ['event.session_index', event.event_session_index],
  ]);
  let body = name;
  let traceId: string | undefined;
  let spanId: string | undefined;
  switch (event.event) {
    case 'UNHANDLED_EXCEPTION':
      body = event.error_message;
      attributes.set('exception.type', event.error_type);
      attributes.set('exception.message', event.error_message);
      if (event.traceback !== undefined) attributes.set('exception.stacktrace', event.traceback);
      break;
    case 'SESSION_END':
      attributes.set('session.duration', event.duration);
      break;
    case 'GENERIC_EVENT':
      traceId = traceIdOf(event.event_data['trace_id']);
      spanId = spanIdOf(event.event_data['span_id']);
      for (const [key, value] of Object.entries(event.event_data)) {
        if ((key === 'trace_id' && traceId !== undefined) || (key === 'span_id' && spanId !== undefined)) continue;
        if (key !== '' && !attributes.has(key)) attributes.set(key, value);
      }
      break;
    case 'SESSION_START':
      break;
  }
  const time = unixNanoOf(event.timestamp);
  return {
    timeUnixNano: time,
    observedTimeUnixNano: time,
    severityNumber: SEVERITY_NUMBER[event.severity] ?? 0,
    severityText: event.severity,
    body: { stringValue: body },
    eventName: name,
    attributes: [...attributes].map(([key, value]) => keyValue(key, value)),
    ...(traceId === undefined ? {} : { traceId }),
    ...(spanId === undefined ? {} : { spanId }),
  };
}

/** An `ExportLogsServiceRequest` of `events`, in order, under one resource and rxtel's scope. */
export function encodeLogsRequest(events: readonly TelemetryEvent[], resource: OtlpResource): OtlpLogsRequest {
  return { resourceLogs: [{ resource, scopeLogs: [{ scope: RXTEL_SCOPE, logRecords: events.map(encodeLogRecord) }] }] };
}

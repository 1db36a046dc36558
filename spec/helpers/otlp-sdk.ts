import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace, type Attributes, type HrTime, type Link, type TraceState } from '@opentelemetry/api';
import type { AnyValue, LogAttributes } from '@opentelemetry/api-logs';
import type { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { defaultResource, resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { LoggerProvider, type LogRecordProcessor, type ReadableLogRecord } from '@opentelemetry/sdk-logs';

/**
 * What the OpenTelemetry JS SDK hands its exporters, for the official serializers
 * (`@opentelemetry/otlp-transformer`: `Json*Serializer`, `Protobuf*Serializer`) to write the same
 * records in both OTLP encodings.
 */

export const TRACE = '0af7651916cd43dd8448eb211c80319c';

/** `ReadableLogRecord`s emitted through sdk-logs (a resource of service `checkout` plus `attributes`). */
export function sdkLogRecords(
  emit: (logger: ReturnType<LoggerProvider['getLogger']>) => void,
  options: { attributes?: LogAttributes; schemaUrl?: string; scopeSchemaUrl?: string; attributeCountLimit?: number } = {},
): ReadableLogRecord[] {
  const records: ReadableLogRecord[] = [];
  const capture: LogRecordProcessor = { onEmit: (record) => void records.push(record), forceFlush: () => Promise.resolve(), shutdown: () => Promise.resolve() };
  const resource = defaultResource().merge(resourceFromAttributes({ 'service.name': 'checkout', ...options.attributes }, options.schemaUrl === undefined ? undefined : { schemaUrl: options.schemaUrl }));
  const provider = new LoggerProvider({ resource, processors: [capture], ...(options.attributeCountLimit === undefined ? {} : { logRecordLimits: { attributeCountLimit: options.attributeCountLimit } }) });
  emit(provider.getLogger('my.lib', '1.2.3', options.scopeSchemaUrl === undefined ? undefined : { schemaUrl: options.scopeSchemaUrl }));
  return records;
}

/** The context of a log record emitted inside span `spanId` of {@link TRACE}. */
export const inSpan = (spanId: string, traceFlags = TraceFlags.SAMPLED) => trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE, spanId, traceFlags });

/** A log body of every `AnyValue` kind. */
export const EVERY_KIND: AnyValue = { text: 'é ✓ <b>', yes: true, n: -42, x: 0.25, list: [1, 'two', [3]], map: { deep: { deeper: 'x' } }, bytes: new Uint8Array([0, 1, 2, 250]), nothing: null };

export type SdkSpan = Parameters<typeof JsonTraceSerializer.serializeRequest>[0][number];

const defaultSpanResource = defaultResource().merge(resourceFromAttributes({ 'service.name': 'agent', 'session.id': 'run-42' }));

/** A finished span as the OpenTelemetry JS SDK hands it to an exporter (ReadableSpan), in the shape the serializers read. */
export function sdkSpan(fields: {
  name: string;
  spanId: string;
  traceId?: string;
  parent?: string;
  kind?: SpanKind;
  start: HrTime;
  end: HrTime;
  attributes?: Attributes;
  status?: { code: SpanStatusCode; message?: string };
  events?: SdkSpan['events'];
  links?: Link[];
  traceState?: TraceState;
  resource?: Resource;
  scope?: SdkSpan['instrumentationScope'];
  dropped?: { attributes?: number; events?: number; links?: number };
}): SdkSpan {
  const traceId = fields.traceId ?? TRACE;
  return {
    name: fields.name,
    kind: fields.kind ?? SpanKind.INTERNAL,
    spanContext: () => ({ traceId, spanId: fields.spanId, traceFlags: TraceFlags.SAMPLED, ...(fields.traceState === undefined ? {} : { traceState: fields.traceState }) }),
    ...(fields.parent === undefined ? {} : { parentSpanContext: { traceId, spanId: fields.parent, traceFlags: TraceFlags.SAMPLED, isRemote: true } }),
    startTime: fields.start,
    endTime: fields.end,
    status: fields.status ?? { code: SpanStatusCode.UNSET },
    attributes: fields.attributes ?? {},
    links: fields.links ?? [],
    events: fields.events ?? [],
    duration: [0, 0],
    ended: true,
    resource: fields.resource ?? defaultSpanResource,
    instrumentationScope: fields.scope ?? { name: 'my.agent', version: '1.0.0' },
    droppedAttributesCount: fields.dropped?.attributes ?? 0,
    droppedEventsCount: fields.dropped?.events ?? 0,
    droppedLinksCount: fields.dropped?.links ?? 0,
  };
}

/** A serializer's JSON bytes, parsed. */
export const parsed = (bytes: Uint8Array | undefined): unknown => {
  if (bytes === undefined) throw new Error('the serializer wrote nothing');
  return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
};

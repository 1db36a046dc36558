/**
 * The OTLP messages the console reads in the binary protobuf encoding, field by field, as
 * opentelemetry-proto v1.11.0 defines them (`opentelemetry/proto/collector/{logs,trace}/v1/*_service.proto`,
 * `logs/v1/logs.proto`, `trace/v1/trace.proto`, `common/v1/common.proto`, `resource/v1/resource.proto`).
 * Each field is named as the OTLP/JSON encoding names it (lowerCamelCase), so that the decoded
 * request is the object `normaliseOtlpLogs` / `normaliseOtlpTraces` read from JSON.
 *
 * Left out on purpose (read as unknown fields, so skipped): `KeyValue.key_strindex` and
 * `AnyValue.string_value_strindex`, which the proto reserves for the profiles signal and asks other
 * receivers to treat as absent, and the `reserved` numbers.
 */

/** How a scalar is read and written into the JSON shape. */
export type Scalar =
  /** `string`: UTF-8 text (invalid sequences become U+FFFD, as for a JSON body). */
  | 'string'
  /** `bytes` of a trace or span id: lower-case hex. */
  | 'hex'
  /** `fixed64`: decimal text (64-bit integers are strings in OTLP/JSON). */
  | 'fixed64'
  /** `fixed32`: a number. */
  | 'fixed32'
  /** `uint32`: a number. */
  | 'uint32'
  /** An enum (`int32` on the wire): its number. */
  | 'enum';

/** A message of the schema: its fields by number. */
export interface MessageType {
  readonly name: string;
  readonly fields: readonly (FieldType | undefined)[];
}

/** One field: its JSON name, what it holds (a scalar, a message, or an `AnyValue`), and whether it repeats. */
export interface FieldType {
  readonly name: string;
  readonly type: Scalar | MessageType | 'AnyValue';
  readonly repeated: boolean;
  /** The wire type its values come in: a field seen with another is skipped as unknown, as protobuf's own parsers do. */
  readonly wire: number;
}

const WIRE_OF: Readonly<Record<Scalar, number>> = { string: 2, hex: 2, fixed64: 1, fixed32: 5, uint32: 0, enum: 0 };

/** A message type from `[number, name, type]` rows; `[]` around the type marks a repeated field. */
function message(name: string, rows: readonly (readonly [number, string, FieldType['type'] | readonly [FieldType['type']]])[]): MessageType {
  const fields: (FieldType | undefined)[] = [];
  for (const [number, field, given] of rows) {
    const repeated = Array.isArray(given);
    const type = (repeated ? given[0] : given) as FieldType['type'];
    fields[number] = { name: field, type, repeated, wire: typeof type === 'string' && type !== 'AnyValue' ? WIRE_OF[type] : 2 };
  }
  return { name, fields };
}

// common/v1/common.proto
export const KEY_VALUE = message('KeyValue', [
  [1, 'key', 'string'],
  [2, 'value', 'AnyValue'],
]);
/** `ArrayValue` and `KeyValueList`: `AnyValue`'s messages (read by the walk, which counts their nesting). */
export const ARRAY_VALUE = message('ArrayValue', [[1, 'values', ['AnyValue']]]);
export const KEY_VALUE_LIST = message('KeyValueList', [[1, 'values', [KEY_VALUE]]]);
const SCOPE = message('InstrumentationScope', [
  [1, 'name', 'string'],
  [2, 'version', 'string'],
  [3, 'attributes', [KEY_VALUE]],
  [4, 'droppedAttributesCount', 'uint32'],
]);
const ENTITY_REF = message('EntityRef', [
  [1, 'schemaUrl', 'string'],
  [2, 'type', 'string'],
  [3, 'idKeys', ['string']],
  [4, 'descriptionKeys', ['string']],
]);

// resource/v1/resource.proto
const RESOURCE = message('Resource', [
  [1, 'attributes', [KEY_VALUE]],
  [2, 'droppedAttributesCount', 'uint32'],
  [3, 'entityRefs', [ENTITY_REF]],
]);

// logs/v1/logs.proto
const LOG_RECORD = message('LogRecord', [
  [1, 'timeUnixNano', 'fixed64'],
  [11, 'observedTimeUnixNano', 'fixed64'],
  [2, 'severityNumber', 'enum'],
  [3, 'severityText', 'string'],
  [5, 'body', 'AnyValue'],
  [6, 'attributes', [KEY_VALUE]],
  [7, 'droppedAttributesCount', 'uint32'],
  [8, 'flags', 'fixed32'],
  [9, 'traceId', 'hex'],
  [10, 'spanId', 'hex'],
  [12, 'eventName', 'string'],
]);
const SCOPE_LOGS = message('ScopeLogs', [
  [1, 'scope', SCOPE],
  [2, 'logRecords', [LOG_RECORD]],
  [3, 'schemaUrl', 'string'],
]);
const RESOURCE_LOGS = message('ResourceLogs', [
  [1, 'resource', RESOURCE],
  [2, 'scopeLogs', [SCOPE_LOGS]],
  [3, 'schemaUrl', 'string'],
]);

// trace/v1/trace.proto
const SPAN_EVENT = message('Span.Event', [
  [1, 'timeUnixNano', 'fixed64'],
  [2, 'name', 'string'],
  [3, 'attributes', [KEY_VALUE]],
  [4, 'droppedAttributesCount', 'uint32'],
]);
const SPAN_LINK = message('Span.Link', [
  [1, 'traceId', 'hex'],
  [2, 'spanId', 'hex'],
  [3, 'traceState', 'string'],
  [4, 'attributes', [KEY_VALUE]],
  [5, 'droppedAttributesCount', 'uint32'],
  [6, 'flags', 'fixed32'],
]);
const STATUS = message('Status', [
  [2, 'message', 'string'],
  [3, 'code', 'enum'],
]);
const SPAN = message('Span', [
  [1, 'traceId', 'hex'],
  [2, 'spanId', 'hex'],
  [3, 'traceState', 'string'],
  [4, 'parentSpanId', 'hex'],
  [16, 'flags', 'fixed32'],
  [5, 'name', 'string'],
  [6, 'kind', 'enum'],
  [7, 'startTimeUnixNano', 'fixed64'],
  [8, 'endTimeUnixNano', 'fixed64'],
  [9, 'attributes', [KEY_VALUE]],
  [10, 'droppedAttributesCount', 'uint32'],
  [11, 'events', [SPAN_EVENT]],
  [12, 'droppedEventsCount', 'uint32'],
  [13, 'links', [SPAN_LINK]],
  [14, 'droppedLinksCount', 'uint32'],
  [15, 'status', STATUS],
]);
const SCOPE_SPANS = message('ScopeSpans', [
  [1, 'scope', SCOPE],
  [2, 'spans', [SPAN]],
  [3, 'schemaUrl', 'string'],
]);
const RESOURCE_SPANS = message('ResourceSpans', [
  [1, 'resource', RESOURCE],
  [2, 'scopeSpans', [SCOPE_SPANS]],
  [3, 'schemaUrl', 'string'],
]);

// collector/{logs,trace}/v1/*_service.proto
export const EXPORT_LOGS_REQUEST = message('ExportLogsServiceRequest', [[1, 'resourceLogs', [RESOURCE_LOGS]]]);
export const EXPORT_TRACE_REQUEST = message('ExportTraceServiceRequest', [[1, 'resourceSpans', [RESOURCE_SPANS]]]);

/**
 * A strict, independent decoder of OTLP/JSON request bodies, written from the protocol's own
 * definitions rather than from any SDK's serialiser: opentelemetry-proto **v1.11.0**
 * (`collector/logs/v1/logs_service.proto`, `collector/trace/v1/trace_service.proto`,
 * `logs/v1/logs.proto`, `trace/v1/trace.proto`, `common/v1/common.proto`,
 * `resource/v1/resource.proto`) and its `docs/specification.md` § "JSON Protobuf Encoding":
 *
 * - keys are the fields' lowerCamelCase names, and no other key is accepted (a receiver ignores
 *   unknown fields; a sender that writes one has a bug, so here it is an error);
 * - 64-bit integers (`int64`, `fixed64`) are decimal strings (proto3 JSON), 32-bit ones numbers;
 * - enums are integers within the enum (names are forbidden by OTLP);
 * - `traceId`/`spanId`/`parentSpanId` are hex, 32 and 16 characters. Stricter than OTLP, which
 *   takes either case: lower-case only (what rxtel promises), and never all zeros (an invalid id);
 * - an `AnyValue` has at most one of its `oneof` fields; a `KeyValue` list has unique keys
 *   (opentelemetry-specification: attribute keys MUST be unique);
 * - `null` is refused everywhere (proto3 JSON reads it as the default; rxtel never writes it).
 *
 * @example
 * ```ts
 * expect(otlpProblems('logs', JSON.parse(request.body))).toEqual([]);
 * ```
 */

type Scalar = 'string' | 'bool' | 'int32' | 'uint32' | 'fixed32' | 'int64' | 'fixed64' | 'double' | 'bytes' | 'traceId' | 'spanId';
type FieldType = Scalar | { readonly enum: number } | { readonly message: string } | { readonly repeated: FieldType };

const rep = (type: FieldType): FieldType => ({ repeated: type });
const msg = (message: string): FieldType => ({ message });
const attributes = { attributes: rep(msg('KeyValue')), droppedAttributesCount: 'uint32' } as const;

/** Every message of the two export requests, field by field. */
const MESSAGES: Readonly<Record<string, Readonly<Record<string, FieldType>>>> = {
  ExportLogsServiceRequest: { resourceLogs: rep(msg('ResourceLogs')) },
  ResourceLogs: { resource: msg('Resource'), scopeLogs: rep(msg('ScopeLogs')), schemaUrl: 'string' },
  ScopeLogs: { scope: msg('InstrumentationScope'), logRecords: rep(msg('LogRecord')), schemaUrl: 'string' },
  LogRecord: {
    timeUnixNano: 'fixed64',
    observedTimeUnixNano: 'fixed64',
    severityNumber: { enum: 24 },
    severityText: 'string',
    body: msg('AnyValue'),
    ...attributes,
    flags: 'fixed32',
    traceId: 'traceId',
    spanId: 'spanId',
    eventName: 'string',
  },
  ExportTraceServiceRequest: { resourceSpans: rep(msg('ResourceSpans')) },
  ResourceSpans: { resource: msg('Resource'), scopeSpans: rep(msg('ScopeSpans')), schemaUrl: 'string' },
  ScopeSpans: { scope: msg('InstrumentationScope'), spans: rep(msg('Span')), schemaUrl: 'string' },
  Span: {
    traceId: 'traceId',
    spanId: 'spanId',
    traceState: 'string',
    parentSpanId: 'spanId',
    flags: 'fixed32',
    name: 'string',
    kind: { enum: 5 },
    startTimeUnixNano: 'fixed64',
    endTimeUnixNano: 'fixed64',
    ...attributes,
    events: rep(msg('Span.Event')),
    droppedEventsCount: 'uint32',
    links: rep(msg('Span.Link')),
    droppedLinksCount: 'uint32',
    status: msg('Status'),
  },
  'Span.Event': { timeUnixNano: 'fixed64', name: 'string', ...attributes },
  'Span.Link': { traceId: 'traceId', spanId: 'spanId', traceState: 'string', ...attributes, flags: 'fixed32' },
  Status: { message: 'string', code: { enum: 2 } },
  Resource: { ...attributes, entityRefs: rep(msg('EntityRef')) },
  EntityRef: { schemaUrl: 'string', type: 'string', idKeys: rep('string'), descriptionKeys: rep('string') },
  InstrumentationScope: { name: 'string', version: 'string', ...attributes },
  KeyValue: { key: 'string', value: msg('AnyValue'), keyStrindex: 'int32' },
  AnyValue: {
    stringValue: 'string',
    boolValue: 'bool',
    intValue: 'int64',
    doubleValue: 'double',
    arrayValue: msg('ArrayValue'),
    kvlistValue: msg('KeyValueList'),
    bytesValue: 'bytes',
    stringValueStrindex: 'int32',
  },
  ArrayValue: { values: rep(msg('AnyValue')) },
  KeyValueList: { values: rep(msg('KeyValue')) },
};

const DECIMAL = /^-?(0|[1-9]\d*)$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const inRange = (text: string, min: bigint, max: bigint): boolean => DECIMAL.test(text) && BigInt(text) >= min && BigInt(text) <= max;
const isInt = (value: unknown, min: number, max: number): boolean => typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
const hexId = (chars: number) => (value: unknown) =>
  typeof value === 'string' && new RegExp(`^[0-9a-f]{${chars}}$`).test(value) && !/^0+$/.test(value);

const SCALARS: Readonly<Record<Scalar, (value: unknown) => boolean>> = {
  string: (value) => typeof value === 'string',
  bool: (value) => typeof value === 'boolean',
  int32: (value) => isInt(value, -(2 ** 31), 2 ** 31 - 1),
  uint32: (value) => isInt(value, 0, 2 ** 32 - 1),
  fixed32: (value) => isInt(value, 0, 2 ** 32 - 1),
  int64: (value) => typeof value === 'string' && inRange(value, -(2n ** 63n), 2n ** 63n - 1n),
  fixed64: (value) => typeof value === 'string' && inRange(value, 0n, 2n ** 64n - 1n),
  double: (value) => (typeof value === 'number' && Number.isFinite(value)) || value === 'NaN' || value === 'Infinity' || value === '-Infinity',
  bytes: (value) => typeof value === 'string' && BASE64.test(value),
  traceId: hexId(32),
  spanId: hexId(16),
};

function checkField(type: FieldType, value: unknown, path: string, problems: string[]): void {
  if (value === null) {
    problems.push(`${path}: null`);
  } else if (typeof type === 'string') {
    if (!SCALARS[type](value)) problems.push(`${path}: not a valid ${type}: ${JSON.stringify(value)}`);
  } else if ('enum' in type) {
    if (!isInt(value, 0, type.enum)) problems.push(`${path}: not an enum number from 0 to ${type.enum}: ${JSON.stringify(value)}`);
  } else if ('repeated' in type) {
    if (!Array.isArray(value)) problems.push(`${path}: expected an array`);
    else value.forEach((item: unknown, index) => checkField(type.repeated, item, `${path}[${index}]`, problems));
  } else {
    checkMessage(type.message, value, path, problems);
  }
}

function checkMessage(name: string, value: unknown, path: string, problems: string[]): void {
  const fields = MESSAGES[name];
  if (fields === undefined) throw new Error(`no message ${name}`);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(`${path}: expected a ${name} object`);
    return;
  }
  const record = value as Record<string, unknown>;
  for (const [key, field] of Object.entries(record)) {
    const type = Object.hasOwn(fields, key) ? fields[key] : undefined;
    if (type === undefined) problems.push(`${path}.${key}: not a field of ${name}`);
    else checkField(type, field, `${path}.${key}`, problems);
  }
  if (name === 'AnyValue' && Object.keys(record).length > 1) problems.push(`${path}: more than one value of the oneof: ${Object.keys(record).join(', ')}`);
  const list = name === 'KeyValueList' ? record['values'] : record['attributes'];
  if (Array.isArray(list)) {
    const keys = list.map((kv: unknown) => (kv as { key?: unknown } | null)?.key);
    const duplicate = keys.find((key, index) => keys.indexOf(key) !== index);
    if (duplicate !== undefined) problems.push(`${path}: duplicate attribute key ${JSON.stringify(duplicate)}`);
    if (keys.includes('')) problems.push(`${path}: an empty attribute key`);
  }
  if (name === 'Span' && SCALARS.fixed64(record['startTimeUnixNano']) && SCALARS.fixed64(record['endTimeUnixNano'])) {
    if (BigInt(record['startTimeUnixNano'] as string) > BigInt(record['endTimeUnixNano'] as string)) problems.push(`${path}: ends before it starts`);
  }
  if ((name === 'Span' || name === 'Span.Link') && (record['traceId'] === undefined || record['spanId'] === undefined)) problems.push(`${path}: no traceId or spanId`);
}

/**
 * Every way `body` is not a valid OTLP/JSON export request of `signal` (empty when it is one).
 *
 * @example
 * ```ts
 * otlpProblems('traces', { resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 'abc' }] }] }] });
 * // ['$.resourceSpans[0].scopeSpans[0].spans[0].traceId: not a valid traceId: "abc"', …]
 * ```
 */
export function otlpProblems(signal: 'logs' | 'traces', body: unknown): string[] {
  const problems: string[] = [];
  checkMessage(signal === 'logs' ? 'ExportLogsServiceRequest' : 'ExportTraceServiceRequest', body, '$', problems);
  return problems;
}

/**
 * Throws, listing every problem, unless `text` parses as a valid OTLP/JSON request of `signal`;
 * returns the parsed body.
 *
 * @example
 * ```ts
 * const body = decodeOtlp('logs', request.body) as OtlpLogsRequest;
 * ```
 */
export function decodeOtlp(signal: 'logs' | 'traces', text: string): unknown {
  const body = JSON.parse(text) as unknown;
  const problems = otlpProblems(signal, body);
  if (problems.length > 0) throw new Error(`invalid OTLP/JSON ${signal} request:\n${problems.join('\n')}`);
  return body;
}

/**
 * Every trace and span id anywhere in `body` (spans, parents, links, log records), for the tests
 * that check each one.
 *
 * @example
 * ```ts
 * const { traceIds, spanIds } = idsOf(body);
 * ```
 */
export function idsOf(body: unknown): { traceIds: string[]; spanIds: string[] } {
  const traceIds: string[] = [];
  const spanIds: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === 'object' && value !== null) {
      for (const [key, field] of Object.entries(value)) {
        if (key === 'traceId') traceIds.push(field as string);
        else if (key === 'spanId' || key === 'parentSpanId') spanIds.push(field as string);
        else visit(field);
      }
    }
  };
  visit(body);
  return { traceIds, spanIds };
}

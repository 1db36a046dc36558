import { describe, expect, it } from '@jest/globals';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace, type HrTime } from '@opentelemetry/api';
import type { LogAttributes } from '@opentelemetry/api-logs';
import { JsonLogsSerializer, JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, type LogRecordProcessor, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { ConfigError } from '../../../src/errors/config-error.js';
import type { GenericEvent, TelemetryEvent } from '../../../src/events/wire.js';
import { executableName, processId } from '../../../src/platform/node.js';
import { toAnyValue } from '../../../src/sinks/otlp/any-value.js';
import { encodeLogRecord as encodeRecord, encodeLogsRequest as encodeLogs, type LogContext } from '../../../src/sinks/otlp/encode-logs.js';
import { encodeTracesRequest as encodeTraces, isSpanEvent } from '../../../src/sinks/otlp/encode-traces.js';
import type { GenAiContext } from '../../../src/sinks/otlp/genai-spans.js';
import { resourceFactory, type OtlpResource } from '../../../src/sinks/otlp/resource.js';
import { unixNanoOf } from '../../../src/sinks/otlp/time.js';
import { VERSION } from '../../../src/version.js';
import { otlpProblems } from '../../helpers/otlp-json.js';
import { attributeProblems } from '../../helpers/semconv-registry.js';

const SESSION_ID = '0b6f3c9e-3f5a-4c1e-9a53-0d2f4f1b7a10';
const LOG_CONTEXT: LogContext = { sessionId: SESSION_ID };
const TRACE_CONTEXT: GenAiContext = { sessionId: SESSION_ID, content: false };
const SDK_ATTRIBUTES = { 'telemetry.sdk.name': 'rxtel', 'telemetry.sdk.language': 'nodejs', 'telemetry.sdk.version': VERSION };
const USER_KEYS = ['model', 'tokens', 'negative', 'ratio', 'ok', 'none', 'tags', 'nested', 'trace_id', 'span_id', 'x', 'n', 's', 'step', 'loss', 'deployment.environment.name', 'host.cores', 'feature.enabled', 'extra', 'round', 'endpoint'];

/** Every request encoded here goes through the independent OTLP/JSON decoder and the registry check. */
function checked<T>(signal: 'logs' | 'traces', request: T): T {
  const json = JSON.parse(JSON.stringify(request)) as unknown;
  expect(otlpProblems(signal, json)).toEqual([]);
  expect(attributeProblems(json, USER_KEYS)).toEqual([]);
  return request;
}
const encodeLogsRequest = (events: readonly TelemetryEvent[], resource: OtlpResource) => checked('logs', encodeLogs(events, resource, LOG_CONTEXT));
const encodeLogRecord = (event: TelemetryEvent) => {
  checked('logs', encodeLogs([event], resourceFactory({})(SESSION_ID), LOG_CONTEXT));
  return encodeRecord(event, LOG_CONTEXT);
};
const encodeTracesRequest = (events: readonly GenericEvent[], resource: OtlpResource) => checked('traces', encodeTraces(events, resource, TRACE_CONTEXT));
const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const SPAN_ID = 'eee19b7ec3c1b174';
const PARENT_ID = 'aaa19b7ec3c1b175';
// 2026-11-23T10:00:00Z is 1795428000 s after the epoch (computed with Python's calendar.timegm).
const TIMESTAMP = '2026-11-23T10:00:00.123456Z';
const HR_TIME: HrTime = [1_795_428_000, 123_456_000];
const resourceOptions = {
  serviceName: 'trainer',
  serviceVersion: '1.2.3',
  resource: { 'deployment.environment.name': 'test', 'host.cores': 8, 'feature.enabled': true },
};
const sdkResource = resourceFromAttributes({
  'service.name': 'trainer',
  'service.version': '1.2.3',
  ...SDK_ATTRIBUTES,
  'session.id': SESSION_ID,
  'process.pid': processId,
  'deployment.environment.name': 'test',
  'host.cores': 8,
  'feature.enabled': true,
});

const eventData = {
  trace_id: TRACE_ID,
  span_id: SPAN_ID,
  model: 'tiny-1',
  tokens: 42,
  negative: -5,
  ratio: 0.25,
  ok: true,
  none: null,
  tags: ['a', 1, 2.5, false, null, { k: 'v' }],
  nested: { depth: { n: 7, s: 's' }, list: [[1, 'x']], empty: {}, none: null },
};
const generic: GenericEvent = {
  event: 'GENERIC_EVENT',
  event_id: 'e-7',
  event_session_index: 7,
  severity: 'WARNING',
  timestamp: TIMESTAMP,
  event_name: 'llm.call',
  event_data: eventData,
};
const exception: TelemetryEvent = {
  event: 'UNHANDLED_EXCEPTION',
  event_id: 'e-8',
  event_session_index: 8,
  severity: 'CRITICAL',
  timestamp: TIMESTAMP,
  error_type: 'TypeError',
  error_message: 'x is not a function',
  traceback: 'TypeError: x is not a function\n    at main (app.js:1:1)',
};
const base = { event_id: 'e-0', event_session_index: 0, timestamp: TIMESTAMP } as const;

/** JSON as a collector receives it: what JSON.stringify keeps (undefined fields vanish). */
const wire = (value: unknown): unknown => JSON.parse(JSON.stringify(value)) as unknown;

/** Emits one record through the SDK's LoggerProvider and serialises it with the SDK's own JSON serializer. */
function sdkLogs(emit: Parameters<ReturnType<LoggerProvider['getLogger']>['emit']>[0]): Record<string, unknown> {
  const records: ReadableLogRecord[] = [];
  const capture: LogRecordProcessor = {
    onEmit: (record) => void records.push(record),
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
  const provider = new LoggerProvider({ resource: sdkResource, processors: [capture] });
  provider.getLogger('rxtel', VERSION).emit(emit);
  expect(records).toHaveLength(1);
  const bytes = JsonLogsSerializer.serializeRequest(records);
  if (bytes === undefined) throw new Error('the SDK serialised nothing');
  return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
}

/**
 * The SDK's JSON, minus the differences of representation that do not change what a collector
 * stores. Each is asserted to exist first, so that this list stays exactly as long as needed.
 */
function normaliseSdk(json: Record<string, unknown>): unknown {
  const text = JSON.stringify(json);
  // 1. The SDK writes `intValue` as a JSON number (`{"intValue":42}`); the OTLP JSON mapping
  //    (proto3) writes 64-bit integers as decimal strings, as we do. Collectors accept both.
  expect(text).toMatch(/"intValue":-?\d/);
  // 2. The SDK writes `droppedAttributesCount: 0` on the resource and on each record; 0 is the
  //    proto default, which the JSON mapping may omit, and we never drop attributes.
  expect(text).toContain('"droppedAttributesCount":0');
  return JSON.parse(text, function (key, value: unknown) {
    if (key === 'intValue' && typeof value === 'number') return String(value);
    if (key === 'droppedAttributesCount' && value === 0) return undefined;
    return value;
  }) as unknown;
}

function resourceLogsOf(request: unknown): { resource: unknown; scopeLogs: { scope: unknown; logRecords: Record<string, unknown>[] }[] } {
  return (request as { resourceLogs: [never] }).resourceLogs[0];
}

describe('log encoding, field by field against the OpenTelemetry JS SDK (sdk-logs + otlp-transformer JSON)', () => {
  const context = trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED });
  const { trace_id: _t, span_id: _s, ...attributesOfData } = eventData;
  const sdkGeneric = sdkLogs({
    timestamp: HR_TIME,
    observedTimestamp: HR_TIME,
    severityNumber: 13,
    severityText: 'WARNING',
    eventName: 'llm.call',
    attributes: { 'rxtel.event.id': 'e-7', 'rxtel.event.session_index': 7, ...attributesOfData } as LogAttributes,
    context,
  });
  const ours = wire(encodeLogsRequest([generic], resourceFactory(resourceOptions)(SESSION_ID)));
  const sdkRecord = resourceLogsOf(sdkGeneric).scopeLogs[0]?.logRecords[0] ?? {};
  const ourRecord = resourceLogsOf(ours).scopeLogs[0]?.logRecords[0] ?? {};
  const normalisedRecord = resourceLogsOf(normaliseSdk(sdkGeneric)).scopeLogs[0]?.logRecords[0] ?? {};

  it('resource attributes and scope', () => {
    const normalised = resourceLogsOf(normaliseSdk(sdkGeneric));
    expect(resourceLogsOf(ours).resource).toEqual(normalised.resource);
    expect(resourceLogsOf(ours).scopeLogs[0]?.scope).toEqual(normalised.scopeLogs[0]?.scope);
    expect(resourceLogsOf(ours).scopeLogs[0]?.scope).toEqual({ name: 'rxtel', version: VERSION });
  });

  it.each(['timeUnixNano', 'observedTimeUnixNano', 'severityNumber', 'severityText', 'eventName', 'traceId', 'spanId'])(
    '%s is identical',
    (field) => {
      expect(ourRecord[field]).toBeDefined();
      expect(ourRecord[field]).toEqual(sdkRecord[field]);
    },
  );

  it('neither has a body: an event without a display message has none (it never repeats the event name)', () => {
    expect(ourRecord).not.toHaveProperty('body');
    // The SDK writes the empty AnyValue, `{}`; proto3 JSON may omit a field at its default, as we do.
    expect(sdkRecord['body']).toEqual({});
    expect(JSON.stringify(ourRecord['attributes'])).not.toContain('event.name');
  });

  it('attributes (scalars, nested kvlist and arrays, null) are identical once intValue is a string', () => {
    expect(ourRecord['attributes']).toEqual(normalisedRecord['attributes']);
    // The normalisation is the only difference: an integer attribute as the SDK writes it.
    const tokens = (sdkRecord['attributes'] as { key: string; value: unknown }[]).find((kv) => kv.key === 'tokens');
    expect(tokens?.value).toEqual({ intValue: 42 });
  });

  it('the whole request is identical but for the normalised representation and the trace flags', () => {
    // 3. The SDK copies the W3C trace flags of the active span into `flags`. A Tinker event has no
    //    sampling decision, so we leave `flags` unset (0: "unspecified" in OTLP).
    expect(normalisedRecord['flags']).toBe(TraceFlags.SAMPLED);
    // 4. The SDK writes an empty body as `{}`; we leave the field out (its default).
    expect(normalisedRecord['body']).toEqual({});
    const { flags: _flags, body: _body, ...withoutFlags } = normalisedRecord;
    const normalised = resourceLogsOf(normaliseSdk(sdkGeneric));
    expect(ours).toEqual({
      resourceLogs: [{ resource: normalised.resource, scopeLogs: [{ scope: normalised.scopeLogs[0]?.scope, logRecords: [withoutFlags] }] }],
    });
  });

  it('integers beyond 2^53 differ in value: the SDK writes a JSON number that loses digits, ours is exact', () => {
    // Not normalised away on purpose: a collector reading the SDK's `1152921504606847000` stores a
    // different int64 than 2^60 = 1152921504606846976. And 1e21, an integer to JavaScript but
    // beyond int64, comes out of the SDK as `"intValue":1e+21`, which no int64 parser accepts; we
    // send it as a double.
    const sdkText = JSON.stringify(sdkLogs({ timestamp: HR_TIME, attributes: { huge: 2 ** 60, beyond: 1e21 } }));
    expect(sdkText).toContain('"intValue":1152921504606847000');
    expect(sdkText).toContain('"intValue":1e+21');
    const ourText = JSON.stringify(toAnyValue({ huge: 2 ** 60, beyond: 1e21 }));
    expect(ourText).toContain('"intValue":"1152921504606846976"');
    expect(ourText).toContain('"doubleValue":1e+21');
  });

  it('an exception has the semantic-convention attributes the SDK derives from an Error', () => {
    const sdk = sdkLogs({
      timestamp: HR_TIME,
      observedTimestamp: HR_TIME,
      severityNumber: 21,
      severityText: 'CRITICAL',
      body: 'x is not a function',
      eventName: 'exception',
      attributes: { 'rxtel.event.id': 'e-8', 'rxtel.event.session_index': 8 },
      exception: { name: 'TypeError', message: 'x is not a function', stack: exception.event === 'UNHANDLED_EXCEPTION' ? exception.traceback : '' },
    });
    const record = resourceLogsOf(normaliseSdk(sdk)).scopeLogs[0]?.logRecords[0];
    expect(wire(encodeLogRecord(exception))).toEqual(record);
  });
});

describe('span encoding against the SDK (otlp-transformer JsonTraceSerializer)', () => {
  it('matches but for the SDK-only fields', () => {
    const span: GenericEvent = {
      ...base,
      event: 'GENERIC_EVENT',
      severity: 'INFO',
      event_name: 'span',
      event_data: {
        name: 'train.step',
        trace_id: TRACE_ID,
        span_id: SPAN_ID,
        parent_span_id: PARENT_ID,
        start_time: '2026-11-23T10:00:00.000001Z',
        end_time: TIMESTAMP,
        duration_ms: 123.455,
        status: 'error',
        attributes: { step: 3, loss: 0.5, tags: ['a'] },
      },
    };
    type SdkSpan = Parameters<typeof JsonTraceSerializer.serializeRequest>[0][number];
    const sdkSpan: SdkSpan = {
      name: 'train.step',
      kind: SpanKind.INTERNAL,
      spanContext: () => ({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.NONE }),
      parentSpanContext: { traceId: TRACE_ID, spanId: PARENT_ID, traceFlags: TraceFlags.NONE },
      startTime: [1_795_428_000, 1_000],
      endTime: HR_TIME,
      status: { code: SpanStatusCode.ERROR },
      attributes: { step: 3, loss: 0.5, tags: ['a'] },
      links: [],
      events: [],
      duration: [0, 123_455_000],
      ended: true,
      resource: sdkResource,
      instrumentationScope: { name: 'rxtel', version: VERSION },
      droppedAttributesCount: 0,
      droppedEventsCount: 0,
      droppedLinksCount: 0,
    };
    const bytes = JsonTraceSerializer.serializeRequest([sdkSpan]);
    const sdk = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
    const normalised = normaliseSdk(sdk) as { resourceSpans: [{ scopeSpans: [{ spans: [Record<string, unknown>] }] }] };
    const sdkOut = normalised.resourceSpans[0].scopeSpans[0].spans[0];
    // 4. Span fields the SDK always writes and we have nothing for: empty `events` and `links`,
    //    zero dropped counts (handled above) and `flags` (trace flags | 0x100 "has is_remote").
    expect(sdkOut).toMatchObject({ events: [], links: [], droppedEventsCount: 0, droppedLinksCount: 0, flags: 0x100 });
    const { events: _e, links: _l, droppedEventsCount: _de, droppedLinksCount: _dl, flags: _f, ...comparable } = sdkOut;
    normalised.resourceSpans[0].scopeSpans[0].spans[0] = comparable;
    expect(isSpanEvent(span)).toBe(true);
    expect(wire(encodeTracesRequest([span], resourceFactory(resourceOptions)(SESSION_ID)))).toEqual(normalised);
  });
});

describe('unixNanoOf', () => {
  it.each([
    // Expected values computed with Python: calendar.timegm(...) * 10**9 + micros * 1000.
    ['2026-11-23T10:00:00.123456Z', '1795428000123456000'],
    ['2026-01-01T00:00:00.000001Z', '1767225600000001000'],
    ['2099-12-31T23:59:59.999999Z', '4102444799999999000'],
    ['1970-01-01T00:00:00.000000Z', '0'],
    ['1970-01-01T00:00:00.000001Z', '1000'],
  ])('%s → %s, exactly', (timestamp, nanos) => {
    expect(unixNanoOf(timestamp)).toBe(nanos);
  });

  it('agrees with an independent BigInt computation for any microsecond timestamp', () => {
    for (let i = 0; i < 2000; i++) {
      // Deterministic spread over 1970..2200, every microsecond digit exercised.
      const ms = Math.floor(((i * 7_919) % 2000) / 2000 * 7_258_118_400_000) + i;
      const micros = (i * 997) % 1000;
      const timestamp = `${new Date(ms).toISOString().slice(0, 23)}${String(micros).padStart(3, '0')}Z`;
      expect(unixNanoOf(timestamp)).toBe((BigInt(ms) * 1_000_000n + BigInt(micros) * 1_000n).toString());
    }
  });

  it.each([
    ['2026-01-01T00:00:00Z', '1767225600000000000'],
    ['2026-01-01T00:00:00.5Z', '1767225600500000000'],
    ['2026-01-01T00:00:00.123456789Z', '1767225600123456789'],
    ['2026-01-01T00:00:00.1234567891Z', '1767225600123456789'],
    ['2026-01-01T01:00:00.000001+01:00', '1767225600000001000'],
  ])('a typed event\'s ISO form %s → %s, exactly', (timestamp, nanos) => {
    expect(unixNanoOf(timestamp)).toBe(nanos);
  });

  it.each(['2026-13-01T00:00:00.000000Z', '2026-01-01 00:00:00Z', '1969-12-31T23:59:59.000000Z', 'yesterday', '', 42])(
    'is "0" (unknown) for %p',
    (timestamp) => {
      expect(unixNanoOf(timestamp)).toBe('0');
    },
  );
});

describe('encodeLogRecord', () => {
  it.each([
    ['DEBUG', 5],
    ['INFO', 9],
    ['WARNING', 13],
    ['ERROR', 17],
    ['CRITICAL', 21],
  ] as const)('severity %s → severityNumber %d, severityText the Tinker name', (severity, number) => {
    const record = encodeLogRecord({ ...base, event: 'SESSION_START', severity });
    expect(record).toMatchObject({ severityNumber: number, severityText: severity });
  });

  it('SESSION_START is the conventions\' session.start event, with session.id and no body; index as intValue', () => {
    expect(encodeLogRecord({ ...base, event: 'SESSION_START', severity: 'INFO' })).toEqual({
      timeUnixNano: '1795428000123456000',
      observedTimeUnixNano: '1795428000123456000',
      severityNumber: 9,
      severityText: 'INFO',
      eventName: 'session.start',
      attributes: [
        { key: 'rxtel.event.id', value: { stringValue: 'e-0' } },
        { key: 'rxtel.event.session_index', value: { intValue: '0' } },
        { key: 'session.id', value: { stringValue: SESSION_ID } },
      ],
    });
  });

  it('SESSION_END is session.end, with session.id and rxtel.session.duration', () => {
    const record = encodeLogRecord({ ...base, event: 'SESSION_END', severity: 'INFO', duration: '1:02:03.000004' });
    expect(record.eventName).toBe('session.end');
    expect(record).not.toHaveProperty('body');
    expect(record.attributes).toContainEqual({ key: 'session.id', value: { stringValue: SESSION_ID } });
    expect(record.attributes).toContainEqual({ key: 'rxtel.session.duration', value: { stringValue: '1:02:03.000004' } });
  });

  it('UNHANDLED_EXCEPTION is the conventions\' exception event: body the message (a display message); exception.*; no stacktrace without a traceback', () => {
    const record = encodeLogRecord({ ...base, event: 'UNHANDLED_EXCEPTION', severity: 'ERROR', error_type: 'RangeError', error_message: 'too big' });
    expect(record).toMatchObject({ eventName: 'exception', body: { stringValue: 'too big' }, severityNumber: 17 });
    expect(record.attributes.map((kv) => kv.key)).toEqual(['rxtel.event.id', 'rxtel.event.session_index', 'exception.type', 'exception.message']);
    expect(wire(encodeLogRecord(exception))).toMatchObject({
      attributes: expect.arrayContaining([{ key: 'exception.stacktrace', value: { stringValue: 'TypeError: x is not a function\n    at main (app.js:1:1)' } }]),
    });
  });

  it('GENERIC_EVENT: event_data as attributes; valid ids become traceId/spanId and are not repeated', () => {
    const record = encodeLogRecord(generic);
    expect(record).toMatchObject({ eventName: 'llm.call', traceId: TRACE_ID, spanId: SPAN_ID });
    expect(record).not.toHaveProperty('body');
    const keys = record.attributes.map((kv) => kv.key);
    expect(keys).toEqual(['rxtel.event.id', 'rxtel.event.session_index', 'model', 'tokens', 'negative', 'ratio', 'ok', 'none', 'tags', 'nested']);
    expect(record.attributes.find((kv) => kv.key === 'nested')?.value).toEqual({
      kvlistValue: {
        values: [
          { key: 'depth', value: { kvlistValue: { values: [{ key: 'n', value: { intValue: '7' } }, { key: 's', value: { stringValue: 's' } }] } } },
          { key: 'list', value: { arrayValue: { values: [{ arrayValue: { values: [{ intValue: '1' }, { stringValue: 'x' }] } }] } } },
          { key: 'empty', value: { kvlistValue: { values: [] } } },
          { key: 'none', value: {} },
        ],
      },
    });
  });

  it('user_error: exception.type, exception.message, http.response.status_code, the body under rxtel.*; the message is the display body', () => {
    const record = encodeLogRecord({
      ...generic,
      event_name: 'user_error',
      event_data: { error_type: 'HTTPError', message: 'Not Found', status_code: 404, body: { detail: 'no such run' }, trace_id: TRACE_ID },
    });
    expect(record).toMatchObject({ eventName: 'user_error', body: { stringValue: 'Not Found' }, traceId: TRACE_ID });
    expect(record.attributes).toEqual([
      { key: 'rxtel.event.id', value: { stringValue: 'e-7' } },
      { key: 'rxtel.event.session_index', value: { intValue: '7' } },
      { key: 'exception.type', value: { stringValue: 'HTTPError' } },
      { key: 'exception.message', value: { stringValue: 'Not Found' } },
      { key: 'http.response.status_code', value: { intValue: '404' } },
      { key: 'rxtel.http.response.body', value: { kvlistValue: { values: [{ key: 'detail', value: { stringValue: 'no such run' } }] } } },
    ]);
  });

  it('the typed LLM events that stay records carry their GenAI names (chat_id, model, tool, stream, status_code, usage)', () => {
    const started = encodeLogRecord({ ...generic, event_name: 'llm.round.started', event_data: { chat_id: 'c1', round: 2 } });
    expect(started.attributes.slice(2)).toEqual([
      { key: 'gen_ai.conversation.id', value: { stringValue: 'c1' } },
      { key: 'round', value: { intValue: '2' } },
    ]);
    const forward = encodeRecord(
      { ...generic, event_name: 'llm.forward_request.completed', event_data: { endpoint: '/v1/chat', model: 'm', stream: true, status_code: 200, usage: { input_tokens: 1, output_tokens: 2 } } },
      LOG_CONTEXT,
    );
    expect(forward.attributes.slice(2).map((kv) => kv.key)).toEqual([
      'endpoint',
      'gen_ai.request.model',
      'gen_ai.request.stream',
      'http.response.status_code',
      'gen_ai.usage.input_tokens',
      'gen_ai.usage.output_tokens',
    ]);
    // A user's own event keeps its keys as they are.
    expect(encodeRecord({ ...generic, event_name: 'app.call', event_data: { model: 'm' } }, LOG_CONTEXT).attributes[2]?.key).toBe('model');
  });

  it.each([
    ['all-zero ids', '0'.repeat(32), '0'.repeat(16)],
    ['wrong lengths', 'abc', '123'],
    ['non-hex', 'g'.repeat(32), 'z'.repeat(16)],
    ['non-strings', 42, true],
  ])('invalid ids (%s) stay attributes and set no traceId/spanId', (_label, traceId, spanId) => {
    const record = encodeLogRecord({ ...generic, event_data: { trace_id: traceId, span_id: spanId } });
    expect(record).not.toHaveProperty('traceId');
    expect(record).not.toHaveProperty('spanId');
    expect(record.attributes.map((kv) => kv.key)).toEqual(['rxtel.event.id', 'rxtel.event.session_index', 'trace_id', 'span_id']);
  });

  it('upper-case hex ids are accepted and written lower-case', () => {
    const record = encodeLogRecord({ ...generic, event_data: { trace_id: TRACE_ID.toUpperCase(), span_id: SPAN_ID.toUpperCase() } });
    expect(record).toMatchObject({ traceId: TRACE_ID, spanId: SPAN_ID });
  });

  it('keeps keys unique: event_data cannot override rxtel attributes; empty keys are dropped', () => {
    const record = encodeRecord({ ...generic, event_data: { 'rxtel.event.id': 'forged', '': 1, x: 1 } }, LOG_CONTEXT);
    expect(record.attributes).toEqual([
      { key: 'rxtel.event.id', value: { stringValue: 'e-7' } },
      { key: 'rxtel.event.session_index', value: { intValue: '7' } },
      { key: 'x', value: { intValue: '1' } },
    ]);
  });
});

describe('toAnyValue', () => {
  it.each<[string, unknown, unknown]>([
    ['string', 's', { stringValue: 's' }],
    ['empty string', '', { stringValue: '' }],
    ['integer', 3, { intValue: '3' }],
    ['negative integer', -3, { intValue: '-3' }],
    ['-0', -0, { intValue: '0' }],
    ['2^53 + 2', 2 ** 53 + 2, { intValue: '9007199254740994' }],
    ['int64 max as a bigint', 2n ** 63n - 1n, { intValue: '9223372036854775807' }],
    ['bigint beyond int64', 2n ** 64n, { stringValue: '18446744073709551616' }],
    ['integral double beyond int64', 1e21, { doubleValue: 1e21 }],
    ['double', 1.5, { doubleValue: 1.5 }],
    ['NaN', Number.NaN, { doubleValue: 'NaN' }],
    ['Infinity', Infinity, { doubleValue: 'Infinity' }],
    ['-Infinity', -Infinity, { doubleValue: '-Infinity' }],
    ['boolean', false, { boolValue: false }],
    ['null', null, {}],
    ['undefined', undefined, {}],
    ['function', () => 1, {}],
    ['array', [1, 'a', null], { arrayValue: { values: [{ intValue: '1' }, { stringValue: 'a' }, {}] } }],
    ['object', { a: { b: [true] } }, { kvlistValue: { values: [{ key: 'a', value: { kvlistValue: { values: [{ key: 'b', value: { arrayValue: { values: [{ boolValue: true }] } } }] } } }] } }],
  ])('%s', (_label, value, expected) => {
    expect(toAnyValue(value)).toEqual(expected);
  });

  it('refuses a cycle instead of overflowing the stack', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(() => toAnyValue(cyclic)).toThrow(/nested deeper than/);
  });
});

describe('resourceFactory', () => {
  const keysOf = (options: Parameters<typeof resourceFactory>[0]) => resourceFactory(options)(SESSION_ID).attributes;

  it('defaults: service.name unknown_service:<executable>, no service.version, telemetry.sdk.*, session.id, process.pid as intValue', () => {
    expect(executableName).toMatch(/^node/);
    expect(keysOf({})).toEqual([
      { key: 'service.name', value: { stringValue: `unknown_service:${executableName}` } },
      { key: 'telemetry.sdk.name', value: { stringValue: 'rxtel' } },
      { key: 'telemetry.sdk.language', value: { stringValue: 'nodejs' } },
      { key: 'telemetry.sdk.version', value: { stringValue: VERSION } },
      { key: 'session.id', value: { stringValue: SESSION_ID } },
      { key: 'process.pid', value: { intValue: String(processId) } },
    ]);
  });

  it('service.* from resource when the options are unset; the options win; session.id, process.pid and telemetry.sdk.* stay rxtel\'s', () => {
    const resource = {
      'service.name': 'from-resource',
      'service.version': '0.0.1',
      'session.id': 'forged',
      'process.pid': 1,
      'telemetry.sdk.name': 'opentelemetry',
      'telemetry.sdk.version': '9',
      extra: 'x',
    };
    expect(keysOf({ resource }).map((kv) => [kv.key, kv.value])).toEqual([
      ['service.name', { stringValue: 'from-resource' }],
      ['service.version', { stringValue: '0.0.1' }],
      ['telemetry.sdk.name', { stringValue: 'rxtel' }],
      ['telemetry.sdk.language', { stringValue: 'nodejs' }],
      ['telemetry.sdk.version', { stringValue: VERSION }],
      ['session.id', { stringValue: SESSION_ID }],
      ['process.pid', { intValue: String(processId) }],
      ['extra', { stringValue: 'x' }],
    ]);
    expect(keysOf({ resource, serviceName: 'svc', serviceVersion: '2' }).slice(0, 2).map((kv) => kv.value)).toEqual([{ stringValue: 'svc' }, { stringValue: '2' }]);
  });

  it('keeps the resource of the last session', () => {
    const resourceFor = resourceFactory({});
    expect(resourceFor('a')).toBe(resourceFor('a'));
    expect(resourceFor('b')).not.toBe(resourceFor('a'));
    expect(resourceFor('b').attributes[4]).toEqual({ key: 'session.id', value: { stringValue: 'b' } });
  });

  it('from the environment: OTEL_SERVICE_NAME over its service.name in OTEL_RESOURCE_ATTRIBUTES; options over both; resource entries win', () => {
    const fromEnv = { serviceName: 'env-svc', attributes: { 'service.name': 'attr-svc', 'service.version': '7', 'host.name': 'h1', team: 'env' } };
    const attrs = (options: Parameters<typeof resourceFactory>[0]) =>
      Object.fromEntries(resourceFactory(options, fromEnv)(SESSION_ID).attributes.map((kv) => [kv.key, Object.values(kv.value)[0]]));
    expect(attrs({})).toMatchObject({ 'service.name': 'env-svc', 'service.version': '7', 'host.name': 'h1', team: 'env' });
    expect(attrs({ resource: { team: 'option', 'service.name': 'res-svc' } })).toMatchObject({ 'service.name': 'res-svc', team: 'option' });
    expect(attrs({ serviceName: 'opt-svc', serviceVersion: '8' })).toMatchObject({ 'service.name': 'opt-svc', 'service.version': '8' });
    expect(resourceFactory({}, { attributes: { 'service.name': 'attr-svc' } })(SESSION_ID).attributes[0]).toEqual({ key: 'service.name', value: { stringValue: 'attr-svc' } });
  });

  it.each<[string, Parameters<typeof resourceFactory>[0]]>([
    ['resource', { resource: [] as never }],
    ['resource.bad', { resource: { bad: {} as never } }],
    ['resource.nan', { resource: { nan: Number.NaN } }],
    ['resource.', { resource: { '': 'x' } }],
    ['serviceName', { serviceName: '' }],
    ['serviceVersion', { serviceVersion: 3 as never }],
  ])('a bad option is a ConfigError naming %s', (option, options) => {
    expect(() => resourceFactory(options)).toThrow(ConfigError);
    expect(() => resourceFactory(options)).toThrow(expect.objectContaining({ option }) as never);
  });
});

describe('spans to traces', () => {
  const spanEvent = (data: Record<string, unknown>): GenericEvent => ({
    ...base,
    event: 'GENERIC_EVENT',
    severity: 'INFO',
    event_name: 'span',
    event_data: { name: 'op', trace_id: TRACE_ID, span_id: SPAN_ID, ...data },
  });
  const resource = resourceFactory({})(SESSION_ID);
  const spanOf = (event: GenericEvent) => encodeTracesRequest([event], resource).resourceSpans[0]?.scopeSpans[0]?.spans[0];

  it('is a span only when named span with valid trace_id and span_id', () => {
    expect(isSpanEvent(spanEvent({}))).toBe(true);
    expect(isSpanEvent({ ...spanEvent({}), event_name: 'spam' })).toBe(false);
    expect(isSpanEvent(spanEvent({ trace_id: '0'.repeat(32) }))).toBe(false);
    expect(isSpanEvent(spanEvent({ span_id: 'xyz' }))).toBe(false);
    expect(isSpanEvent({ ...base, event: 'SESSION_START', severity: 'INFO' })).toBe(false);
  });

  it('encodes ids, name, kind INTERNAL, exact times, attributes and status', () => {
    const span = spanOf(spanEvent({ parent_span_id: PARENT_ID, start_time: '2026-11-23T09:59:59.999999Z', end_time: TIMESTAMP, status: 'ok', attributes: { n: 1, s: 'x' } }));
    expect(span).toEqual({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      parentSpanId: PARENT_ID,
      name: 'op',
      kind: 1,
      startTimeUnixNano: '1795427999999999000',
      endTimeUnixNano: '1795428000123456000',
      attributes: [{ key: 'n', value: { intValue: '1' } }, { key: 's', value: { stringValue: 'x' } }],
      status: { code: 1 },
    });
  });

  it.each([
    ['ok', 1],
    ['error', 2],
    ['unset', 0],
    [undefined, 0],
    ['bogus', 0],
  ])('status %p → code %d', (status, code) => {
    expect(spanOf(spanEvent({ status }))?.status).toEqual({ code });
  });

  it.each([
    ['server', 2],
    ['client', 3],
    ['producer', 4],
    ['consumer', 5],
    ['internal', 1],
    [undefined, 1],
    ['toString', 1],
    ['bogus', 1],
  ])('kind %p → SpanKind %d (opentelemetry-proto trace.proto)', (kind, code) => {
    expect(spanOf(spanEvent({ kind }))?.kind).toBe(code);
  });

  it('without parent, times, attributes or name: no parentSpanId, the event time, no attributes, name span', () => {
    const span = spanOf(spanEvent({ name: 7, parent_span_id: 'nope', attributes: ['x'] }));
    expect(span).not.toHaveProperty('parentSpanId');
    expect(span).toMatchObject({ name: 'span', startTimeUnixNano: '1795428000123456000', endTimeUnixNano: '1795428000123456000', attributes: [] });
  });

  it('wraps spans in resourceSpans → scopeSpans with rxtel scope', () => {
    const request = encodeTracesRequest([spanEvent({}), spanEvent({ span_id: PARENT_ID })], resource);
    expect(request.resourceSpans).toHaveLength(1);
    expect(request.resourceSpans[0]?.resource).toBe(resource);
    expect(request.resourceSpans[0]?.scopeSpans[0]?.scope).toEqual({ name: 'rxtel', version: VERSION });
    expect(request.resourceSpans[0]?.scopeSpans[0]?.spans.map((s) => s.spanId)).toEqual([SPAN_ID, PARENT_ID]);
  });
});

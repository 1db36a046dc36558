import { describe, expect, it } from '@jest/globals';
import type { LogAttributes } from '@opentelemetry/api-logs';
import { JsonLogsSerializer } from '@opentelemetry/otlp-transformer';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, type LogRecordProcessor, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import fc from 'fast-check';
import { normaliseOtlpLogs } from '../../../src/console/ingest/otlp-logs.js';
import type { IncomingEvent } from '../../../src/console/model.js';

const NOW = 1_800_000_000_000;

/**
 * opentelemetry-proto v1.11.0 `examples/logs.json`, as published (the example the specification's
 * "JSON Protobuf Encoding" section points to).
 */
const SPEC_EXAMPLE = {
  resourceLogs: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'my.service' } }] },
      scopeLogs: [
        {
          scope: { name: 'my.library', version: '1.0.0', attributes: [{ key: 'my.scope.attribute', value: { stringValue: 'some scope attribute' } }] },
          logRecords: [
            {
              timeUnixNano: '1544712660300000000',
              observedTimeUnixNano: '1544712660300000000',
              severityNumber: 10,
              severityText: 'Information',
              traceId: '5B8EFFF798038103D269B633813FC60C',
              spanId: 'EEE19B7EC3C1B174',
              body: { stringValue: 'Example log record' },
              attributes: [
                { key: 'string.attribute', value: { stringValue: 'some string' } },
                { key: 'boolean.attribute', value: { boolValue: true } },
                { key: 'int.attribute', value: { intValue: '10' } },
                { key: 'double.attribute', value: { doubleValue: 637.704 } },
                { key: 'array.attribute', value: { arrayValue: { values: [{ stringValue: 'many' }, { stringValue: 'values' }] } } },
                { key: 'map.attribute', value: { kvlistValue: { values: [{ key: 'some.map.key', value: { stringValue: 'some value' } }] } } },
              ],
            },
          ],
        },
      ],
    },
  ],
};

const EXAMPLE_EVENT = {
  session: 'otlp:my.service',
  ts: 1544712660300,
  received_ms: NOW,
  severity: 'INFO',
  kind: 'log',
  name: 'Example log record',
  source: 'otlp',
  message: 'Example log record',
  trace_id: '5b8efff798038103d269b633813fc60c',
  span_id: 'eee19b7ec3c1b174',
  data: {
    'string.attribute': 'some string',
    'boolean.attribute': true,
    'int.attribute': 10,
    'double.attribute': 637.704,
    'array.attribute': ['many', 'values'],
    'map.attribute': { 'some.map.key': 'some value' },
  },
};

/** Emits records through the OpenTelemetry JS SDK and serialises them with its own JSON serializer. */
function sdkRequest(emit: (logger: ReturnType<LoggerProvider['getLogger']>) => void, attributes: LogAttributes = {}): unknown {
  const records: ReadableLogRecord[] = [];
  const capture: LogRecordProcessor = { onEmit: (record) => void records.push(record), forceFlush: () => Promise.resolve(), shutdown: () => Promise.resolve() };
  const resource = defaultResource().merge(resourceFromAttributes({ 'service.name': 'checkout', ...attributes }));
  emit(new LoggerProvider({ resource, processors: [capture] }).getLogger('my.lib', '1.2.3'));
  const bytes = JsonLogsSerializer.serializeRequest(records);
  if (bytes === undefined) throw new Error('the SDK serialised nothing');
  return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
}

const eventsOf = (body: unknown): IncomingEvent[] => normaliseOtlpLogs(body, NOW).groups.flatMap((group) => group.events);

describe('normaliseOtlpLogs: the specification and the official SDK', () => {
  it("the specification's example record: every AnyValue kind decoded, ids lower-cased, the body as message and name", () => {
    const result = normaliseOtlpLogs(SPEC_EXAMPLE, NOW);
    expect(result.rejected).toBe(0);
    expect(result.groups).toEqual([{ session: 'otlp:my.service', client: { service: 'my.service' }, events: [{ id: expect.any(String), ...EXAMPLE_EVENT }] }]);
  });

  it('the same request with the fields’ original snake_case names reads the same', () => {
    const snake = JSON.parse(JSON.stringify(SPEC_EXAMPLE).replace(/"([a-z]+(?:[A-Z][a-z]*)+)":/g, (_, key: string) => `"${key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}":`)) as unknown;
    expect(JSON.stringify(snake)).toContain('"time_unix_nano"');
    expect(JSON.stringify(snake)).toContain('"kvlist_value"');
    expect(eventsOf(snake)).toEqual(eventsOf(SPEC_EXAMPLE));
  });

  it('records of the OpenTelemetry JS SDK (sdk-logs + otlp-transformer JSON): event name, exception, structured body, client', () => {
    const body = sdkRequest(
      (logger) => {
        logger.emit({ timestamp: [1_795_428_000, 123_456_000], severityNumber: 17, severityText: 'ERROR', body: 'payment failed', eventName: 'payment.failed', attributes: { amount: 12.5, count: 3 }, exception: new TypeError('card is undefined') });
        logger.emit({ timestamp: [1_795_428_001, 0], severityNumber: 6, body: { structured: true, n: 1 } });
        logger.emit({ timestamp: [1_795_428_002, 0], severityNumber: 13, eventName: 'cache.miss', attributes: { key: 'user:1' } });
      },
      { 'service.instance.id': 'i-1', 'os.type': 'linux', 'host.arch': 'amd64', 'process.runtime.name': 'nodejs', 'process.runtime.version': '20.19.0' },
    );
    const result = normaliseOtlpLogs(body, NOW);
    expect(result.rejected).toBe(0);
    const [group] = result.groups;
    expect(group?.session).toBe('otlp:checkout:i-1');
    expect(group?.client).toEqual({ service: 'checkout', sdk: expect.stringMatching(/^opentelemetry \d+\.\d+\.\d+/), platform: 'linux/amd64 nodejs 20.19.0' });
    const [exception, structured, warning] = group?.events ?? [];
    expect(exception).toMatchObject({ kind: 'exception', severity: 'ERROR', name: 'TypeError', message: 'card is undefined', ts: 1_795_428_000_123.456 });
    expect(exception?.data).toEqual({ amount: 12.5, count: 3, body: 'payment failed' });
    expect(exception?.exception?.chain[0]).toMatchObject({ type: 'TypeError', message: 'card is undefined', stack: expect.stringMatching(/^ {4}at /) });
    expect(structured).toMatchObject({ kind: 'log', severity: 'DEBUG', name: '{"structured":true,"n":1}', message: '{"structured":true,"n":1}', data: { body: { structured: true, n: 1 } } });
    expect(warning).toMatchObject({ kind: 'log', severity: 'WARNING', name: 'cache.miss', data: { key: 'user:1' } });
    expect(warning?.message).toBeUndefined();
  });
});

describe('normaliseOtlpLogs: mapping rules', () => {
  const request = (records: unknown[], resource: unknown[] = [{ key: 'service.name', value: { stringValue: 'api' } }]) => ({
    resourceLogs: [{ resource: { attributes: resource }, scopeLogs: [{ scope: { name: 's' }, logRecords: records }] }],
  });

  it.each([
    [1, undefined, 'DEBUG'],
    [4, undefined, 'DEBUG'],
    [5, undefined, 'DEBUG'],
    [8, undefined, 'DEBUG'],
    [9, undefined, 'INFO'],
    [12, undefined, 'INFO'],
    [13, undefined, 'WARNING'],
    [16, undefined, 'WARNING'],
    [17, undefined, 'ERROR'],
    [20, undefined, 'ERROR'],
    [21, undefined, 'CRITICAL'],
    [24, undefined, 'CRITICAL'],
    [0, 'warn', 'WARNING'],
    [undefined, 'Error2', 'ERROR'],
    [undefined, 'FATAL', 'CRITICAL'],
    [0, 'trace', 'DEBUG'],
    [0, 'whatever', 'INFO'],
    [undefined, undefined, 'INFO'],
    [99, 'ERROR', 'ERROR'],
  ])('severityNumber %s, severityText %s → %s', (number, text, severity) => {
    expect(eventsOf(request([{ severityNumber: number, severityText: text, body: { stringValue: 'x' } }]))[0]?.severity).toBe(severity);
  });

  it('session: the resource’s session.id, else otlp:<service.name>[:<service.instance.id>], a record’s own session.id first', () => {
    const sessions = (resource: unknown[], records: unknown[] = [{ body: { stringValue: 'x' } }]) => normaliseOtlpLogs(request(records, resource), NOW).groups.map((group) => group.session);
    expect(sessions([{ key: 'session.id', value: { stringValue: 's-1' } }, { key: 'service.name', value: { stringValue: 'api' } }])).toEqual(['s-1']);
    expect(sessions([{ key: 'service.name', value: { stringValue: 'api' } }, { key: 'service.instance.id', value: { stringValue: 'pod-7' } }])).toEqual(['otlp:api:pod-7']);
    expect(sessions([])).toEqual(['otlp:unknown_service']);
    const own = sessions([{ key: 'service.name', value: { stringValue: 'api' } }], [
      { body: { stringValue: 'a' } },
      { body: { stringValue: 'b' }, attributes: [{ key: 'session.id', value: { stringValue: 'browser-9' } }] },
    ]);
    expect(own).toEqual(['otlp:api', 'browser-9']);
  });

  it('name: eventName, else the event.name attribute, else the first 80 characters of the body', () => {
    const long = `${'a'.repeat(100)}`;
    const [byField, byAttribute, byBody] = eventsOf(
      request([
        { eventName: 'order.placed', body: { stringValue: 'placed' } },
        { attributes: [{ key: 'event.name', value: { stringValue: 'legacy.event' } }] },
        { body: { stringValue: long } },
      ]),
    );
    expect(byField?.name).toBe('order.placed');
    expect(byAttribute?.name).toBe('legacy.event');
    expect(byBody?.name).toBe('a'.repeat(80));
    expect(byBody?.message).toBe(long);
  });

  it('session.start and session.end become the lifecycle kinds; exception attributes an exception with its chain', () => {
    const [start, end, exception] = eventsOf(
      request([
        { eventName: 'session.start', timeUnixNano: '1000000' },
        { eventName: 'session.end', attributes: [{ key: 'rxtel.session.duration', value: { stringValue: '0:00:05.5' } }] },
        {
          severityNumber: 21,
          attributes: [
            { key: 'exception.type', value: { stringValue: 'ValueError' } },
            { key: 'exception.message', value: { stringValue: 'bad' } },
            { key: 'exception.stacktrace', value: { stringValue: 'Traceback (most recent call last):\n  File "a.py", line 1\nValueError: bad\n' } },
          ],
        },
      ]),
    );
    expect(start).toMatchObject({ kind: 'session_start', name: 'SESSION_START', ts: 1 });
    expect(end).toMatchObject({ kind: 'session_end', name: 'SESSION_END', data: { duration: '0:00:05.5', duration_ms: 5500 } });
    expect(exception).toMatchObject({ kind: 'exception', severity: 'CRITICAL', name: 'ValueError', message: 'bad' });
    expect(exception?.exception?.chain).toEqual([{ type: 'ValueError', message: 'bad', stack: 'Traceback (most recent call last):\n  File "a.py", line 1' }]);
    expect(exception?.data).toBeUndefined();
  });

  it('ids: rxtel.event.id when given; else stable over a request sent again, distinct for identical records', () => {
    const records = [{ body: { stringValue: 'same' } }, { body: { stringValue: 'same' } }, { attributes: [{ key: 'rxtel.event.id', value: { stringValue: 'e-1' } }] }];
    const first = eventsOf(request(records)).map((event) => event.id);
    const again = eventsOf(request(records)).map((event) => event.id);
    expect(first).toEqual(again);
    expect(new Set(first).size).toBe(3);
    expect(first[2]).toBe('e-1');
  });

  it('base64 ids (the plain proto3 JSON mapping) are read as the same bytes; invalid ones are left out', () => {
    const [base64, zero] = eventsOf(request([{ traceId: 'W47/95gDgQPSabYzgT/GDA==', spanId: '7uGbfsPBsXQ=' }, { traceId: '0'.repeat(32), spanId: 'nope' }]));
    expect(base64).toMatchObject({ trace_id: '5b8efff798038103d269b633813fc60c', span_id: 'eee19b7ec3c1b174' });
    expect(zero?.trace_id).toBeUndefined();
    expect(zero?.span_id).toBeUndefined();
  });

  it('integers beyond 2^53 keep their digits; NaN and Infinity doubles stay text; bytes stay base64', () => {
    const [event] = eventsOf(
      request([
        {
          attributes: [
            { key: 'big', value: { intValue: '1152921504606846976' } },
            { key: 'nan', value: { doubleValue: 'NaN' } },
            { key: 'bytes', value: { bytesValue: 'AAEC' } },
            { key: 'empty', value: {} },
            { key: 'dup', value: { stringValue: 'first' } },
            { key: 'dup', value: { stringValue: 'second' } },
          ],
        },
      ]),
    );
    expect(event?.data).toEqual({ big: '1152921504606846976', nan: 'NaN', bytes: 'AAEC', empty: null, dup: 'first' });
  });

  it('keeps hostile text as text, and cuts a string over 1 MB with a marker', () => {
    const hostile = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    const [event, huge] = eventsOf(request([{ eventName: hostile, body: { stringValue: hostile } }, { body: { stringValue: 'x'.repeat(1_500_000) } }]));
    expect(event).toMatchObject({ name: hostile, message: hostile });
    expect(huge?.message).toMatch(/^x{1000000}… \[cut: 500000 more bytes\]$/);
  });

  it('takes more than 10,000 records in one request', () => {
    const records = Array.from({ length: 12_000 }, (_, i) => ({ body: { stringValue: `line ${i}` } }));
    const result = normaliseOtlpLogs(request(records), NOW);
    expect(result.groups[0]?.events).toHaveLength(12_000);
    expect(new Set(result.groups[0]?.events.map((event) => event.id)).size).toBe(12_000);
  });
});

describe('normaliseOtlpLogs: what it refuses', () => {
  it('a body that is no request is invalid (the server answers 400); an empty one is a request of nothing', () => {
    expect(normaliseOtlpLogs('text', NOW).invalid).toMatch(/not a JSON object/);
    expect(normaliseOtlpLogs({ resourceLogs: {} }, NOW).invalid).toMatch(/resourceLogs is not an array/);
    expect(normaliseOtlpLogs({}, NOW)).toEqual({ groups: [], rejected: 0 });
  });

  it('a record that is no object is refused and counted, the first reason kept; the others are taken', () => {
    const result = normaliseOtlpLogs({ resourceLogs: [{ scopeLogs: [{ logRecords: [1, { body: { stringValue: 'ok' } }, 'x'] }] }, 7] }, NOW);
    expect(result.rejected).toBe(3);
    expect(result.reason).toBe('resourceLogs[0].scopeLogs[0].logRecords[0] is not an object');
    expect(result.groups[0]?.events).toHaveLength(1);
  });

  it('never throws, whatever the body (fuzzed), and what it makes is JSON', () => {
    const anyValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.record({ stringValue: fc.string() }),
        fc.record({ intValue: fc.oneof(fc.string(), fc.integer(), fc.bigInt().map(String)) }),
        fc.record({ doubleValue: fc.oneof(fc.double(), fc.constantFrom('NaN', 'Infinity', 'x')) }),
        fc.record({ boolValue: fc.anything() }),
        fc.record({ arrayValue: fc.record({ values: fc.array(tie('value'), { maxLength: 3 }) }) }),
        fc.record({ kvlistValue: fc.record({ values: fc.array(fc.record({ key: fc.string(), value: tie('value') }), { maxLength: 3 }) }) }),
        fc.anything(),
      ),
    })).value;
    const record = fc.record(
      {
        timeUnixNano: fc.oneof(fc.string(), fc.bigInt({ min: 0n, max: 2n ** 64n }).map(String), fc.double()),
        severityNumber: fc.oneof(fc.integer(), fc.string()),
        severityText: fc.string(),
        eventName: fc.oneof(fc.string(), fc.constantFrom('session.start', 'session.end', 'user_error', 'llm.generation', 'telemetry.health')),
        body: anyValue,
        attributes: fc.array(fc.record({ key: fc.oneof(fc.string(), fc.constantFrom('exception.type', 'exception.stacktrace', 'session.id', 'rxtel.event.id')), value: anyValue }), { maxLength: 5 }),
        traceId: fc.oneof(fc.string(), fc.stringMatching(/^[0-9a-f]{32}$/)),
        spanId: fc.string(),
      },
      { requiredKeys: [] },
    );
    const body = fc.oneof(
      fc.anything(),
      fc.record({ resourceLogs: fc.array(fc.oneof(fc.anything(), fc.record({ resource: fc.record({ attributes: fc.array(fc.record({ key: fc.string(), value: anyValue })) }), scopeLogs: fc.array(fc.oneof(fc.anything(), fc.record({ logRecords: fc.array(fc.oneof(record, fc.anything()), { maxLength: 4 }) }))) })), { maxLength: 3 }) }),
    );
    fc.assert(
      fc.property(body, (value) => {
        const result = normaliseOtlpLogs(value, NOW);
        expect(() => JSON.stringify(result)).not.toThrow();
        for (const event of result.groups.flatMap((group) => group.events)) expect(typeof event.id).toBe('string');
      }),
      { seed: 19, numRuns: 400 },
    );
  });
});

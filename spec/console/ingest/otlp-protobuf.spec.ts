import { describe, expect, it } from '@jest/globals';
import { SpanKind, SpanStatusCode, createTraceState } from '@opentelemetry/api';
import { JsonLogsSerializer, JsonTraceSerializer, ProtobufLogsSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import fc from 'fast-check';
import { TOO_DEEP } from '../../../src/console/ingest/limits.js';
import { decodeOtlpLogsProtobuf, decodeOtlpTracesProtobuf, type ProtobufDecoded } from '../../../src/console/ingest/otlp-protobuf.js';
import { normaliseOtlpLogs } from '../../../src/console/ingest/otlp-logs.js';
import { normaliseOtlpTraces } from '../../../src/console/ingest/otlp-traces.js';
import { EVERY_KIND, TRACE, inSpan, parsed, sdkLogRecords, sdkSpan } from '../../helpers/otlp-sdk.js';
import { double, fixed32, fixed64, int, len, message, nestedKvlists, raw, str, tag, varint } from '../../helpers/protobuf-bytes.js';

const NOW = 1_800_000_000_000;

const jsonOf = (decoded: ProtobufDecoded): Record<string, unknown> => {
  if ('invalid' in decoded) throw new Error(decoded.invalid);
  return decoded.json;
};

/** A log records request of the OpenTelemetry JS SDK: an exception, a structured body of every kind, an event in a span, a record with no severity. */
function logRecords() {
  return sdkLogRecords(
    (logger) => {
      logger.emit({ timestamp: [1_795_428_000, 123_456_000], severityNumber: 17, severityText: 'ERROR', body: 'payment failed', eventName: 'payment.failed', attributes: { amount: 12.5, count: 3, neg: -7, tags: ['a', 'b'] }, exception: new TypeError('card is undefined') });
      logger.emit({ timestamp: [1_795_428_001, 0], severityNumber: 6, body: EVERY_KIND });
      logger.emit({ timestamp: [1_795_428_002, 5], severityNumber: 13, eventName: 'cache.miss', attributes: { key: 'user:1', 'session.id': 'browser-9' }, context: inSpan('b7ad6b7169203331') });
      logger.emit({ timestamp: [1_795_428_003, 0], body: '<img src=x onerror=alert(1)> ünïcødé 🙂', attributes: { empty: '', zero: 0, no: false } });
      logger.emit({ timestamp: [1_795_428_004, 0], eventName: 'session.end', attributes: { 'rxtel.session.duration': '0:00:05.5' } });
    },
    { attributes: { 'service.instance.id': 'i-1', 'os.type': 'linux', 'host.arch': 'amd64' } },
  );
}

/** Spans of the OpenTelemetry JS SDK: a failed server span with events and a link, a GenAI call under it, a tool call, a Langfuse event. */
function spans() {
  return [
    sdkSpan({
      name: 'POST /chat',
      spanId: 'b7ad6b7169203331',
      kind: SpanKind.SERVER,
      start: [1_795_428_000, 0],
      end: [1_795_428_002, 500_000],
      attributes: { 'http.route': '/chat', 'http.response.status_code': 502 },
      status: { code: SpanStatusCode.ERROR, message: 'upstream failed' },
      events: [
        { name: 'retry', time: [1_795_428_000, 100_000_000], attributes: { attempt: 2 } },
        { name: 'exception', time: [1_795_428_002, 0], attributes: { 'exception.type': 'TimeoutError', 'exception.message': 'no answer in 2 s', 'exception.stacktrace': 'TimeoutError: no answer in 2 s\n    at call (agent.js:9:5)' } },
      ],
      links: [{ context: { traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', traceFlags: 1 }, attributes: { why: 'retry of' } }],
    }),
    sdkSpan({
      name: 'chat gpt-4o',
      spanId: '00f067aa0ba902b7',
      parent: 'b7ad6b7169203331',
      kind: SpanKind.CLIENT,
      start: [1_795_428_000, 200_000_000],
      end: [1_795_428_001, 450_000_000],
      attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.usage.input_tokens': 1200, 'gen_ai.usage.output_tokens': 85 },
      status: { code: SpanStatusCode.OK },
    }),
    sdkSpan({ name: 'execute_tool search', spanId: '1a2b3c4d5e6f7081', parent: 'b7ad6b7169203331', start: [1_795_428_001, 500_000_000], end: [1_795_428_001, 512_000_000], attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'search' } }),
    sdkSpan({ name: 'user.clicked', spanId: '3333333333333333', parent: 'b7ad6b7169203331', start: [1_795_428_001, 0], end: [1_795_428_001, 0], attributes: { 'langfuse.observation.type': 'event', button: 'ok' }, kind: SpanKind.CONSUMER }),
  ];
}

describe('decodeOtlp*Protobuf: the official serializers, both encodings, the same console events', () => {
  it('logs: ProtobufLogsSerializer and JsonLogsSerializer of the same records normalise to equal results', () => {
    const records = logRecords();
    const fromProtobuf = normaliseOtlpLogs(jsonOf(decodeOtlpLogsProtobuf(ProtobufLogsSerializer.serializeRequest(records)!)), NOW);
    const fromJson = normaliseOtlpLogs(parsed(JsonLogsSerializer.serializeRequest(records)), NOW);
    expect(fromProtobuf.rejected).toBe(0);
    expect(fromProtobuf.groups.flatMap((group) => group.events)).toHaveLength(5);
    expect(fromProtobuf).toEqual(fromJson);
  });

  it('traces: ProtobufTraceSerializer and JsonTraceSerializer of the same spans normalise to equal results', () => {
    const fromProtobuf = normaliseOtlpTraces(jsonOf(decodeOtlpTracesProtobuf(ProtobufTraceSerializer.serializeRequest(spans())!)), NOW);
    const fromJson = normaliseOtlpTraces(parsed(JsonTraceSerializer.serializeRequest(spans())), NOW);
    expect(fromProtobuf.rejected).toBe(0);
    expect(fromProtobuf.groups.flatMap((group) => group.events).map((event) => event.kind)).toEqual(['span', 'exception', 'llm', 'llm', 'log']);
    expect(fromProtobuf).toEqual(fromJson);
  });

  it('a log record decodes to the OTLP/JSON shape: eventName, flags, ids, dropped count, body of every kind, scope, schemaUrl', () => {
    const records = sdkLogRecords(
      (logger) => {
        logger.emit({ timestamp: [1_795_428_000, 1], observedTimestamp: [1_795_428_000, 2], severityNumber: 9, severityText: 'INFO', eventName: 'order.placed', body: EVERY_KIND, attributes: { a: 1, b: 2, c: 3 }, context: inSpan('b7ad6b7169203331') });
      },
      { schemaUrl: 'https://opentelemetry.io/schemas/1.38.0', scopeSchemaUrl: 'https://example.com/scope', attributeCountLimit: 2 },
    );
    const json = jsonOf(decodeOtlpLogsProtobuf(ProtobufLogsSerializer.serializeRequest(records)!));
    const [resourceLogs] = json['resourceLogs'] as Record<string, unknown>[];
    expect(resourceLogs?.['schemaUrl']).toBe('https://opentelemetry.io/schemas/1.38.0');
    expect((resourceLogs?.['resource'] as { attributes: unknown[] }).attributes).toContainEqual({ key: 'service.name', value: { stringValue: 'checkout' } });
    const [scopeLogs] = resourceLogs?.['scopeLogs'] as Record<string, unknown>[];
    expect(scopeLogs?.['scope']).toEqual({ name: 'my.lib', version: '1.2.3' });
    expect(scopeLogs?.['schemaUrl']).toBe('https://example.com/scope');
    expect(scopeLogs?.['logRecords']).toEqual([
      {
        timeUnixNano: '1795428000000000001',
        observedTimeUnixNano: '1795428000000000002',
        severityNumber: 9,
        severityText: 'INFO',
        eventName: 'order.placed',
        flags: 1,
        traceId: TRACE,
        spanId: 'b7ad6b7169203331',
        droppedAttributesCount: 1,
        attributes: [
          { key: 'a', value: { intValue: '1' } },
          { key: 'b', value: { intValue: '2' } },
        ],
        body: {
          kvlistValue: {
            values: [
              { key: 'text', value: { stringValue: 'é ✓ <b>' } },
              { key: 'yes', value: { boolValue: true } },
              { key: 'n', value: { intValue: '-42' } },
              { key: 'x', value: { doubleValue: 0.25 } },
              { key: 'list', value: { arrayValue: { values: [{ intValue: '1' }, { stringValue: 'two' }, { arrayValue: { values: [{ intValue: '3' }] } }] } } },
              { key: 'map', value: { kvlistValue: { values: [{ key: 'deep', value: { kvlistValue: { values: [{ key: 'deeper', value: { stringValue: 'x' } }] } } }] } } },
              { key: 'bytes', value: { bytesValue: 'AAEC+g==' } },
              { key: 'nothing', value: {} },
            ],
          },
        },
      },
    ]);
  });

  it('a span decodes to the OTLP/JSON shape: kind, flags, traceState, parent, events, links, status, dropped counts, scope attributes', () => {
    const span = sdkSpan({
      name: 'GET /a',
      spanId: 'b7ad6b7169203331',
      parent: '1111111111111111',
      kind: SpanKind.PRODUCER,
      start: [1_795_428_000, 0],
      end: [1_795_428_000, 5],
      traceState: createTraceState('vendor=1'),
      attributes: { ok: true },
      status: { code: SpanStatusCode.ERROR, message: 'boom' },
      events: [{ name: 'mark', time: [1_795_428_000, 3], attributes: { at: 'x' }, droppedAttributesCount: 2 }],
      links: [{ context: { traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', traceFlags: 1, isRemote: true }, attributes: { why: 'follows' }, droppedAttributesCount: 1 }],
      resource: resourceFromAttributes({ 'service.name': 'shop' }, { schemaUrl: 'https://opentelemetry.io/schemas/1.38.0' }),
      scope: { name: 'lib', version: '2.0.0', schemaUrl: 'https://example.com/scope' },
      dropped: { attributes: 4, events: 5, links: 6 },
    });
    const json = jsonOf(decodeOtlpTracesProtobuf(ProtobufTraceSerializer.serializeRequest([span])!));
    expect(json).toEqual({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'shop' } }] },
          schemaUrl: 'https://opentelemetry.io/schemas/1.38.0',
          scopeSpans: [
            {
              scope: { name: 'lib', version: '2.0.0' },
              schemaUrl: 'https://example.com/scope',
              spans: [
                {
                  traceId: TRACE,
                  spanId: 'b7ad6b7169203331',
                  traceState: 'vendor=1',
                  parentSpanId: '1111111111111111',
                  flags: 0x301,
                  name: 'GET /a',
                  kind: 4,
                  startTimeUnixNano: '1795428000000000000',
                  endTimeUnixNano: '1795428000000000005',
                  attributes: [{ key: 'ok', value: { boolValue: true } }],
                  droppedAttributesCount: 4,
                  events: [{ timeUnixNano: '1795428000000000003', name: 'mark', attributes: [{ key: 'at', value: { stringValue: 'x' } }], droppedAttributesCount: 2 }],
                  droppedEventsCount: 5,
                  links: [{ traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', attributes: [{ key: 'why', value: { stringValue: 'follows' } }], droppedAttributesCount: 1, flags: 0x301 }],
                  droppedLinksCount: 6,
                  status: { code: 2, message: 'boom' },
                },
              ],
            },
          ],
        },
      ],
    });
  });

  it('where the JSON serializer loses what protobuf keeps: integers past 2^53 keep their digits, NaN stays NaN', () => {
    const records = sdkLogRecords((logger) => logger.emit({ timestamp: [1_795_428_000, 0], body: 'x', attributes: { big: 2 ** 60, nan: Number.NaN, inf: -Infinity } }));
    const fromProtobuf = normaliseOtlpLogs(jsonOf(decodeOtlpLogsProtobuf(ProtobufLogsSerializer.serializeRequest(records)!)), NOW).groups[0]?.events[0];
    const fromJson = normaliseOtlpLogs(parsed(JsonLogsSerializer.serializeRequest(records)), NOW).groups[0]?.events[0];
    // int64 on the wire; a JSON number that no double holds exactly in OTLP/JSON (it should be a string), and NaN written as null.
    expect(fromProtobuf?.data).toEqual({ big: '1152921504606846976', nan: 'NaN', inf: '-Infinity' });
    expect(fromJson?.data).toEqual({ big: 1152921504606846976, nan: null, inf: null });
  });
});

describe('decodeOtlp*Protobuf: proto3 wire rules', () => {
  const kv = (key: string, value: number[]) => len(1, str(1, key), len(2, value));
  const logsRequest = (...record: number[][]) => message(len(1, len(1, kv('service.name', str(1, 'api'))), len(2, len(2, ...record))));
  const recordOf = (body: Uint8Array) => {
    const [resource] = jsonOf(decodeOtlpLogsProtobuf(body))['resourceLogs'] as { scopeLogs: { logRecords: Record<string, unknown>[] }[] }[];
    return resource?.scopeLogs[0]?.logRecords[0];
  };

  it('skips unknown fields of every wire type (groups, nested groups too), and a known field in another wire type', () => {
    const unknown = [...int(90, 7), ...fixed64(91, 1n), ...raw(92, [1, 2, 3]), ...fixed32(93, 9), ...tag(94, 3), ...int(1, 1), ...tag(95, 3), ...str(2, 'x'), ...tag(95, 4), ...tag(94, 4)];
    const plain = logsRequest(str(3, 'WARN'), len(5, str(1, 'hi')));
    const noisy = message(
      unknown,
      len(1, unknown, len(1, kv('service.name', [...str(1, 'api'), ...unknown])), unknown, len(2, unknown, len(2, str(3, 'WARN'), unknown, len(5, unknown, str(1, 'hi')), int(3, 4), fixed32(2, 9)))),
    );
    expect(jsonOf(decodeOtlpLogsProtobuf(noisy))).toEqual(jsonOf(decodeOtlpLogsProtobuf(plain)));
    expect(recordOf(plain)).toEqual({ severityText: 'WARN', body: { stringValue: 'hi' } });
  });

  it('a scalar given twice keeps the last, a message given twice is merged, the last oneof member wins, defaults are absent', () => {
    const record = [
      ...str(3, 'first'),
      ...str(3, 'last'),
      ...int(2, 17),
      ...int(2, 0),
      ...fixed64(1, 0n),
      ...int(7, 0),
      ...len(6, str(1, 'a'), len(2, str(1, 'text'), int(3, 5))),
      ...len(5, len(5, len(1, int(3, 1)))),
      ...len(5, len(5, len(1, int(3, 2)))),
    ];
    const request = message(len(1, len(1, kv('service.name', str(1, 'api'))), len(1, kv('service.instance.id', str(1, 'i-1'))), len(2, len(2, record))));
    const [resourceLogs] = jsonOf(decodeOtlpLogsProtobuf(request))['resourceLogs'] as { resource: unknown; scopeLogs: { logRecords: unknown[] }[] }[];
    expect(resourceLogs?.resource).toEqual({ attributes: [{ key: 'service.name', value: { stringValue: 'api' } }, { key: 'service.instance.id', value: { stringValue: 'i-1' } }] });
    expect(resourceLogs?.scopeLogs[0]?.logRecords[0]).toEqual({
      severityText: 'last',
      attributes: [{ key: 'a', value: { intValue: '5' } }],
      body: { arrayValue: { values: [{ intValue: '1' }, { intValue: '2' }] } },
    });
  });

  it('64-bit integers as decimal text (negative, past 2^53), doubles (NaN, ±Infinity as text), bytes as base64, bad UTF-8 as U+FFFD; profile-only strindex fields ignored', () => {
    const body = (fields: number[]) => recordOf(logsRequest(len(5, fields)))?.['body'];
    expect(body(int(3, -1))).toEqual({ intValue: '-1' });
    expect(body(int(3, -(2n ** 63n)))).toEqual({ intValue: '-9223372036854775808' });
    expect(body(int(3, 2n ** 63n - 1n))).toEqual({ intValue: '9223372036854775807' });
    expect(body(int(3, 2n ** 53n + 1n))).toEqual({ intValue: '9007199254740993' });
    expect(body(double(4, Number.NaN))).toEqual({ doubleValue: 'NaN' });
    expect(body(double(4, -Infinity))).toEqual({ doubleValue: '-Infinity' });
    expect(body(int(2, 2))).toEqual({ boolValue: true });
    expect(body(raw(7, [0xff, 0xfe]))).toEqual({ bytesValue: '//4=' });
    expect(body(raw(1, [0x61, 0xff, 0x62]))).toEqual({ stringValue: 'a\ufffdb' });
    expect(body(int(8, 4))).toEqual({});
    const times = recordOf(logsRequest(fixed64(1, 2n ** 64n - 1n), fixed64(11, 1n), str(9, 'nope'.padEnd(16, '!'))));
    expect(times).toEqual({ timeUnixNano: '18446744073709551615', observedTimeUnixNano: '1', traceId: Buffer.from('nope'.padEnd(16, '!')).toString('hex') });
    const keyIndex = recordOf(logsRequest(len(6, int(3, 7), len(2, str(1, 'v')))));
    expect(keyIndex).toEqual({ attributes: [{ value: { stringValue: 'v' } }] });
  });

  it('an AnyValue nested past 100 levels is not decoded, and normalises as the same nesting in JSON does', () => {
    const levels = 150;
    const protobuf = logsRequest(len(5, [...nestedKvlists(levels, str(1, 'bottom'))]));
    let json: unknown = { stringValue: 'bottom' };
    for (let i = 0; i < levels; i++) json = { kvlistValue: { values: [{ key: 'k', value: json }] } };
    const jsonRequest = { resourceLogs: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'api' } }] }, scopeLogs: [{ logRecords: [{ body: json }] }] }] };
    const fromProtobuf = normaliseOtlpLogs(jsonOf(decodeOtlpLogsProtobuf(protobuf)), NOW);
    expect(fromProtobuf).toEqual(normaliseOtlpLogs(jsonRequest, NOW));
    expect(JSON.stringify(fromProtobuf)).toContain(JSON.stringify(TOO_DEEP));
  });
});

describe('decodeOtlp*Protobuf: hostile bodies', () => {
  const logsBody = () => ProtobufLogsSerializer.serializeRequest(logRecords())!;
  const tracesBody = () => ProtobufTraceSerializer.serializeRequest(spans())!;
  const oneLineWithOffset = /^invalid protobuf Export(Logs|Trace)ServiceRequest( at [^ ]+)?: [^\n]* at byte \d+$/;

  it.each([
    ['logs', logsBody, decodeOtlpLogsProtobuf],
    ['traces', tracesBody, decodeOtlpTracesProtobuf],
  ] as const)('%s: a real request cut at every byte offset is invalid with a one-line reason (the empty body is a request of nothing)', (_, body, decode) => {
    const bytes = body();
    expect(decode(bytes.subarray(0, 0))).toEqual({ json: {} });
    for (let cut = 1; cut < bytes.length; cut++) {
      const decoded = decode(bytes.subarray(0, cut));
      if (!('invalid' in decoded)) throw new Error(`cut at ${cut} of ${bytes.length} decoded`);
      expect(decoded.invalid).toMatch(oneLineWithOffset);
    }
    expect('json' in decode(bytes)).toBe(true);
  });

  it.each([
    ['a length prefix past the end', message(tag(1, 2), varint(300), [0x0a]), 'invalid protobuf ExportLogsServiceRequest at resourceLogs[0]: a length of 300 bytes runs past the end of its message (only 1 left) at byte 1'],
    ['a varint of 11 bytes', message(tag(1, 0), Array.from({ length: 10 }, () => 0xff), [0x01]), 'invalid protobuf ExportLogsServiceRequest: a varint longer than 64 bits at byte 1'],
    ['a varint cut off', message(len(1, len(2, len(2, [0x10, 0x80])))), 'invalid protobuf ExportLogsServiceRequest at resourceLogs[0].scopeLogs[0].logRecords[0].severityNumber: a varint cut off by the end of its message at byte 7'],
    ['a fixed64 cut off inside its message', message(len(1, len(2, len(2, [0x09, 1, 2, 3])))), 'invalid protobuf ExportLogsServiceRequest at resourceLogs[0].scopeLogs[0].logRecords[0].timeUnixNano: a 64-bit value cut off by the end of its message at byte 7'],
    ['wire type 7', message([0x0f]), 'invalid protobuf ExportLogsServiceRequest: wire type 7 (field 1), which does not exist at byte 0'],
    ['field number 0', message([0x02, 0x00]), 'invalid protobuf ExportLogsServiceRequest: field number 0 (tag 2) at byte 0'],
    ['an end-group tag outside a group', message(tag(5, 4)), 'invalid protobuf ExportLogsServiceRequest: an end-group tag (field 5) outside a group at byte 0'],
    ['a group without its end', message(tag(5, 3), int(1, 1)), 'invalid protobuf ExportLogsServiceRequest: a group (field 5) without its end-group tag at byte 3'],
    ['a group closed by another field', message(tag(5, 3), tag(6, 4)), 'invalid protobuf ExportLogsServiceRequest: an end-group tag for field 6 closing a group of field 5 at byte 1'],
    ['groups nested 101 deep', message(...Array.from({ length: 101 }, () => tag(5, 3))), 'invalid protobuf ExportLogsServiceRequest: groups nested deeper than 100 at byte 100'],
    ['a tag over 32 bits', message(varint(2n ** 40n + 8n)), 'invalid protobuf ExportLogsServiceRequest: a field tag over 32 bits at byte 0'],
  ])('%s', (_, body, reason) => {
    expect(decodeOtlpLogsProtobuf(body)).toEqual({ invalid: reason });
  });

  it('never throws on random bytes or a real request with bytes changed (fuzzed), and what it decodes normalises', () => {
    const real = tracesBody();
    const mutated = fc.array(fc.tuple(fc.nat(real.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }).map((changes) => {
      const copy = Uint8Array.from(real);
      for (const [at, byte] of changes) copy[at] = byte;
      return copy;
    });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 512 }), mutated), (bytes) => {
        for (const decoded of [decodeOtlpLogsProtobuf(bytes), decodeOtlpTracesProtobuf(bytes)]) {
          if ('invalid' in decoded) expect(decoded.invalid).toMatch(/^invalid protobuf [^\n]+$/);
          else expect(() => JSON.stringify([normaliseOtlpLogs(decoded.json, NOW), normaliseOtlpTraces(decoded.json, NOW)])).not.toThrow();
        }
      }),
      { seed: 19, numRuns: 3000 },
    );
  });

  it('a million nested kvlists (17 MB) decode, down to the marker, without overflowing the stack', () => {
    const wrap = (field: number, bytes: Uint8Array) => Buffer.concat([Uint8Array.from([...tag(field, 2), ...varint(bytes.length)]), bytes]);
    const body = wrap(1, wrap(2, wrap(2, wrap(5, nestedKvlists(1_000_000, str(1, 'bottom'))))));
    expect(body.length).toBeGreaterThan(16 * 1024 * 1024);
    const result = normaliseOtlpLogs(jsonOf(decodeOtlpLogsProtobuf(body)), NOW);
    expect(JSON.stringify(result.groups[0]?.events[0]?.data)).toContain(JSON.stringify(TOO_DEEP));
  });

  // How the time grows with these shapes is measured by `node bench/console-protobuf.mjs` (timings
  // belong in the bench, not in tests); here each decodes whole, to what it holds.
  it('decodes each hostile shape whole at 80,000 repetitions', () => {
    const GROUPS = [...tag(9, 3), ...tag(9, 3), ...tag(9, 4), ...tag(9, 4)];
    const RESOURCE = len(1, kv('k', str(1, 'v')));
    const n = 80_000;
    type Logs = { resourceLogs?: { resource?: { attributes?: unknown[] }; scopeLogs?: { logRecords?: { attributes?: unknown[] }[] }[] }[] };
    const logs = (body: Uint8Array) => (jsonOf(decodeOtlpLogsProtobuf(body)) as Logs).resourceLogs ?? [];
    expect(logs(message(len(1, len(2, times(n, () => [0x12, 0x00])))))[0]?.scopeLogs?.[0]?.logRecords).toHaveLength(n);
    expect(logs(message(len(1, len(2, len(2, times(n, () => [0x32, 0x00]))))))[0]?.scopeLogs?.[0]?.logRecords?.[0]?.attributes).toHaveLength(n);
    const attribute = len(6, len(2, nestedArrays(90)));
    expect(logs(message(len(1, len(2, len(2, times(Math.ceil(n / 90), () => attribute))))))[0]?.scopeLogs?.[0]?.logRecords?.[0]?.attributes).toHaveLength(Math.ceil(n / 90));
    expect(logs(message(times(n, () => GROUPS)))).toEqual([]);
    expect(logs(message(len(1, times(n, () => RESOURCE))))[0]?.resource?.attributes).toHaveLength(n);
  });

  /** `n` of `make()`'s bytes, one after the other. */
  const times = (n: number, make: () => number[]): number[] => Array.from({ length: n }, make).flat();

  function nestedArrays(levels: number): number[] {
    let value: number[] = str(1, 'x');
    for (let i = 0; i < levels; i++) value = len(5, len(1, value));
    return value;
  }

  const kv = (key: string, value: number[]) => len(1, str(1, key), len(2, value));
});

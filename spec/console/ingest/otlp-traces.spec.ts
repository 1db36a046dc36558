import { describe, expect, it } from '@jest/globals';
import { SpanKind, SpanStatusCode, TraceFlags, type Attributes, type HrTime } from '@opentelemetry/api';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import fc from 'fast-check';
import { normaliseOtlpTraces } from '../../../src/console/ingest/otlp-traces.js';
import type { IncomingEvent } from '../../../src/console/model.js';

const NOW = 1_800_000_000_000;

/** opentelemetry-proto v1.11.0 `examples/trace.json`, as published. */
const SPEC_EXAMPLE = {
  resourceSpans: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'my.service' } }] },
      scopeSpans: [
        {
          scope: { name: 'my.library', version: '1.0.0', attributes: [{ key: 'my.scope.attribute', value: { stringValue: 'some scope attribute' } }] },
          spans: [
            {
              traceId: '5B8EFFF798038103D269B633813FC60C',
              spanId: 'EEE19B7EC3C1B174',
              parentSpanId: 'EEE19B7EC3C1B173',
              name: "I'm a server span",
              startTimeUnixNano: '1544712660000000000',
              endTimeUnixNano: '1544712661000000000',
              kind: 2,
              attributes: [{ key: 'my.span.attr', value: { stringValue: 'some value' } }],
            },
          ],
        },
      ],
    },
  ],
};

type SdkSpan = Parameters<typeof JsonTraceSerializer.serializeRequest>[0][number];
const TRACE = '0af7651916cd43dd8448eb211c80319c';
const resource = defaultResource().merge(resourceFromAttributes({ 'service.name': 'agent', 'session.id': 'run-42' }));

/** A finished span as the OpenTelemetry JS SDK hands it to an exporter (ReadableSpan), in the shape the serializer reads. */
function sdkSpan(fields: { name: string; spanId: string; parent?: string; kind?: SpanKind; start: HrTime; end: HrTime; attributes?: Attributes; status?: { code: SpanStatusCode; message?: string }; events?: SdkSpan['events'] }): SdkSpan {
  return {
    name: fields.name,
    kind: fields.kind ?? SpanKind.INTERNAL,
    spanContext: () => ({ traceId: TRACE, spanId: fields.spanId, traceFlags: TraceFlags.SAMPLED }),
    ...(fields.parent === undefined ? {} : { parentSpanContext: { traceId: TRACE, spanId: fields.parent, traceFlags: TraceFlags.SAMPLED } }),
    startTime: fields.start,
    endTime: fields.end,
    status: fields.status ?? { code: SpanStatusCode.UNSET },
    attributes: fields.attributes ?? {},
    links: [],
    events: fields.events ?? [],
    duration: [0, 0],
    ended: true,
    resource,
    instrumentationScope: { name: 'my.agent', version: '1.0.0' },
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}

function serialise(spans: SdkSpan[]): unknown {
  return JSON.parse(new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans))) as unknown;
}

const eventsOf = (body: unknown): IncomingEvent[] => normaliseOtlpTraces(body, NOW).groups.flatMap((group) => group.events);

describe('normaliseOtlpTraces: the specification and the official SDK', () => {
  it("the specification's example span: its ids lower-cased, parent, times, kind and attributes", () => {
    const result = normaliseOtlpTraces(SPEC_EXAMPLE, NOW);
    expect(result).toEqual({
      rejected: 0,
      groups: [
        {
          session: 'otlp:my.service',
          client: { service: 'my.service' },
          events: [
            {
              id: 'eee19b7ec3c1b174',
              session: 'otlp:my.service',
              ts: 1544712661000,
              received_ms: NOW,
              severity: 'INFO',
              kind: 'span',
              name: "I'm a server span",
              source: 'otlp',
              message: "I'm a server span",
              trace_id: '5b8efff798038103d269b633813fc60c',
              span_id: 'eee19b7ec3c1b174',
              span: { trace_id: '5b8efff798038103d269b633813fc60c', span_id: 'eee19b7ec3c1b174', parent_span_id: 'eee19b7ec3c1b173', start_ms: 1544712660000, end_ms: 1544712661000, status: 'unset' },
              data: { 'my.span.attr': 'some value', 'span.kind': 'server' },
            },
          ],
        },
      ],
    });
  });

  it('spans serialised by the OpenTelemetry JS SDK (otlp-transformer JsonTraceSerializer): a failed server span with an exception event, a GenAI chat and tool call under it', () => {
    const body = serialise([
      sdkSpan({
        name: 'POST /chat',
        spanId: 'b7ad6b7169203331',
        kind: SpanKind.SERVER,
        start: [1_795_428_000, 0],
        end: [1_795_428_002, 500_000],
        attributes: { 'http.route': '/chat' },
        status: { code: SpanStatusCode.ERROR, message: 'upstream failed' },
        events: [
          { name: 'retry', time: [1_795_428_000, 100_000_000], attributes: { attempt: 2 } },
          { name: 'exception', time: [1_795_428_002, 0], attributes: { 'exception.type': 'TimeoutError', 'exception.message': 'no answer in 2 s', 'exception.stacktrace': 'TimeoutError: no answer in 2 s\n    at call (agent.js:9:5)', 'http.attempt': 2 } },
        ],
      }),
      sdkSpan({
        name: 'chat gpt-4o',
        spanId: '00f067aa0ba902b7',
        parent: 'b7ad6b7169203331',
        kind: SpanKind.CLIENT,
        start: [1_795_428_000, 200_000_000],
        end: [1_795_428_001, 450_000_000],
        attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.response.model': 'gpt-4o-2024-08-06', 'gen_ai.usage.input_tokens': 1200, 'gen_ai.usage.output_tokens': 85 },
      }),
      sdkSpan({
        name: 'execute_tool search',
        spanId: '1a2b3c4d5e6f7081',
        parent: 'b7ad6b7169203331',
        start: [1_795_428_001, 500_000_000],
        end: [1_795_428_001, 512_000_000],
        attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'search' },
      }),
    ]);
    const result = normaliseOtlpTraces(body, NOW);
    expect(result.rejected).toBe(0);
    expect(result.groups.map((group) => group.session)).toEqual(['run-42']);
    expect(result.groups[0]?.client).toEqual({ service: 'agent', sdk: expect.stringMatching(/^opentelemetry \d/) });
    const [server, exception, chat, tool] = result.groups[0]?.events ?? [];
    expect(server).toMatchObject({ id: 'b7ad6b7169203331', kind: 'span', severity: 'ERROR', name: 'POST /chat', ts: 1_795_428_002_000.5, span: { status: 'error', start_ms: 1_795_428_000_000, end_ms: 1_795_428_002_000.5 } });
    expect(server?.data).toEqual({
      'http.route': '/chat',
      'span.kind': 'server',
      'otel.status_description': 'upstream failed',
      'span.events': [{ name: 'retry', time_ms: 1_795_428_000_100, attributes: { attempt: 2 } }],
    });
    expect(exception).toEqual({
      id: 'b7ad6b7169203331:exception:1',
      session: 'run-42',
      ts: 1_795_428_002_000,
      received_ms: NOW,
      severity: 'ERROR',
      kind: 'exception',
      name: 'TimeoutError',
      source: 'otlp',
      message: 'no answer in 2 s',
      trace_id: TRACE,
      span_id: 'b7ad6b7169203331',
      exception: { chain: [{ type: 'TimeoutError', message: 'no answer in 2 s', stack: '    at call (agent.js:9:5)' }] },
      data: { 'http.attempt': 2 },
    });
    expect(chat).toMatchObject({ kind: 'llm', severity: 'INFO', name: 'chat gpt-4o', span: { parent_span_id: 'b7ad6b7169203331' } });
    expect(chat?.llm).toEqual({ type: 'generation', model: 'gpt-4o-2024-08-06', input_tokens: 1200, output_tokens: 85, latency_ms: 1250 });
    expect(tool?.llm).toEqual({ type: 'tool', tool: 'search', latency_ms: 12, status: 'true' });
  });
});

describe('normaliseOtlpTraces: mapping rules and refusals', () => {
  const request = (spans: unknown[]) => ({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'api' } }] }, scopeSpans: [{ spans }] }] });
  const span = (fields: Record<string, unknown> = {}) => ({ traceId: TRACE, spanId: 'b7ad6b7169203331', name: 'work', startTimeUnixNano: '1000000', endTimeUnixNano: '3000000', ...fields });

  it('status code 1 is ok, 2 error (severity ERROR), anything else unset', () => {
    const statuses = eventsOf(request([span({ status: { code: 1 } }), span({ spanId: '1111111111111111', status: { code: 2 } }), span({ spanId: '2222222222222222', status: { code: 7 } })]));
    expect(statuses.map((event) => [event.span?.status, event.severity])).toEqual([
      ['ok', 'INFO'],
      ['error', 'ERROR'],
      ['unset', 'INFO'],
    ]);
  });

  it('a span without a valid trace or span id is refused and counted, with the first reason', () => {
    const result = normaliseOtlpTraces(request([span({ traceId: 'nope' }), span({ spanId: '0000000000000000' }), span(), 'x']), NOW);
    expect(result.rejected).toBe(3);
    expect(result.reason).toBe('resourceSpans[0].scopeSpans[0].spans[0]: traceId is not 16 bytes of hex (nor all zeros)');
    expect(result.groups[0]?.events.map((event) => event.id)).toEqual(['b7ad6b7169203331']);
  });

  it("Langfuse's own attributes: a generation with its model and usage details, an event as a log, the span's session.id", () => {
    const events = eventsOf(
      request([
        span({
          attributes: [
            { key: 'langfuse.observation.type', value: { stringValue: 'generation' } },
            { key: 'langfuse.observation.model.name', value: { stringValue: 'claude-sonnet' } },
            { key: 'langfuse.observation.usage_details', value: { stringValue: '{"input":10,"output":3}' } },
            { key: 'langfuse.observation.level', value: { stringValue: 'WARNING' } },
            { key: 'session.id', value: { stringValue: 'chat-7' } },
          ],
        }),
        span({ spanId: '3333333333333333', parentSpanId: 'b7ad6b7169203331', name: 'user.clicked', startTimeUnixNano: '2000000', endTimeUnixNano: '2000000', attributes: [{ key: 'langfuse.observation.type', value: { stringValue: 'event' } }, { key: 'button', value: { stringValue: 'ok' } }] }),
      ]),
    );
    const [generation, event] = events;
    expect(generation).toMatchObject({ session: 'chat-7', kind: 'llm', severity: 'WARNING', llm: { type: 'generation', model: 'claude-sonnet', input_tokens: 10, output_tokens: 3, latency_ms: 2 } });
    expect(event).toMatchObject({ session: 'otlp:api', id: '3333333333333333', kind: 'log', name: 'user.clicked', ts: 2, span_id: 'b7ad6b7169203331', data: { button: 'ok' } });
    expect(event?.span).toBeUndefined();
  });

  it('is invalid for a body that is no request, and never throws on anything (fuzzed)', () => {
    expect(normaliseOtlpTraces([], NOW).invalid).toMatch(/not a JSON object/);
    expect(normaliseOtlpTraces({ resource_spans: 'x' }, NOW).invalid).toMatch(/resourceSpans is not an array/);
    const id = (bytes: number) => fc.oneof(fc.string(), fc.stringMatching(new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`)));
    const value = fc.oneof(fc.record({ stringValue: fc.string() }), fc.record({ intValue: fc.string() }), fc.anything());
    const attributes = fc.array(fc.record({ key: fc.oneof(fc.string(), fc.constantFrom('gen_ai.operation.name', 'langfuse.observation.type', 'session.id', 'rxtel.llm.round', 'langfuse.observation.usage_details')), value }), { maxLength: 4 });
    const spanArb = fc.record(
      {
        traceId: id(16),
        spanId: id(8),
        parentSpanId: id(8),
        name: fc.string(),
        kind: fc.anything(),
        startTimeUnixNano: fc.oneof(fc.string(), fc.bigInt({ min: 0n, max: 2n ** 64n }).map(String)),
        endTimeUnixNano: fc.oneof(fc.string(), fc.bigInt({ min: 0n, max: 2n ** 64n }).map(String)),
        attributes,
        status: fc.oneof(fc.anything(), fc.record({ code: fc.anything(), message: fc.anything() })),
        events: fc.array(fc.oneof(fc.anything(), fc.record({ name: fc.constantFrom('exception', 'x'), timeUnixNano: fc.string(), attributes })), { maxLength: 3 }),
      },
      { requiredKeys: [] },
    );
    const body = fc.oneof(fc.anything(), fc.record({ resourceSpans: fc.array(fc.oneof(fc.anything(), fc.record({ scopeSpans: fc.array(fc.record({ spans: fc.array(fc.oneof(spanArb, fc.anything()), { maxLength: 4 }) })) })), { maxLength: 3 }) }));
    fc.assert(
      fc.property(body, (value) => {
        expect(() => JSON.stringify(normaliseOtlpTraces(value, NOW))).not.toThrow();
      }),
      { seed: 19, numRuns: 400 },
    );
  });
});

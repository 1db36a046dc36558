import { afterEach, describe, expect, it } from '@jest/globals';
import { inspect } from 'node:util';
import { createReporter } from '../../src/create-reporter.js';
import { ConfigError } from '../../src/errors/config-error.js';
import { ExportError } from '../../src/errors/export-error.js';
import type { TelemetryEvent } from '../../src/events/wire.js';
import { LangfuseOtlpSink, type LangfuseOtlpSinkOptions } from '../../src/index.js';
import type { ExportContext, ExportResult } from '../../src/sinks/sink.js';
import { VERSION } from '../../src/version.js';
import { decodeOtlp, idsOf } from '../helpers/otlp-json.js';
import { startScriptedServer, type RecordedRequest, type ScriptedHandler, type ScriptedReply, type ScriptedServer } from '../helpers/scripted-http-server.js';
import { expectNoPieceOf, UNSENDABLE_SECRETS } from '../helpers/secrets.js';

const PUBLIC_KEY = 'pk-lf-otlp-public-0123';
const SECRET_KEY = 'sk-lf-otlp-secret-4567-abcdef';
const CREDENTIALS = Buffer.from(`${PUBLIC_KEY}:${SECRET_KEY}`).toString('base64');
const SESSION_ID = '0b6f3c9e-3f5a-4c1e-9a53-0d2f4f1b7a10';
const SESSION_TRACE = '0b6f3c9e3f5a4c1e9a530d2f4f1b7a10';
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const TS = '2026-01-01T00:00:01.000000Z';
const PATH = '/api/public/otel/v1/traces';

const event = (id: string, index: number, name: string, data: Record<string, unknown>, severity: TelemetryEvent['severity'] = 'INFO'): TelemetryEvent => ({
  event: 'GENERIC_EVENT',
  event_id: id,
  event_session_index: index,
  severity,
  timestamp: TS,
  event_name: name,
  event_data: data,
});
const generation = event('g1', 1, 'llm.generation', {
  model: 'gpt-4o',
  input: 'Weather in Paris?',
  output: 'Rainy.',
  usage: { input_tokens: 12, output_tokens: 3 },
  start_time: '2026-01-01T00:00:00.000000Z',
  end_time: TS,
});
const tool = event('t1', 2, 'llm.tool.execution', { tool: 'get_weather', input: { city: 'Paris' }, output: 'rainy', latency_ms: 20, success: true });
const span = event('s1', 3, 'span', { name: 'agent.turn', trace_id: TRACE, span_id: '00f067aa0ba902b7', start_time: '2026-01-01T00:00:00.000000Z', end_time: TS, status: 'error', attributes: { step: 1 } });
const action = event('a1', 4, 'user.action', { button: 'submit', content: 'typed by the user' }, 'WARNING');
const start: TelemetryEvent = { event: 'SESSION_START', event_id: 'st', event_session_index: 0, severity: 'INFO', timestamp: TS };
const crash: TelemetryEvent = { event: 'UNHANDLED_EXCEPTION', event_id: 'x1', event_session_index: 5, severity: 'ERROR', timestamp: TS, error_type: 'TypeError', error_message: 'boom' };
const batch: TelemetryEvent[] = [start, generation, tool, span, action, crash];
const context: ExportContext = { batchId: 'batch-1', attempt: 0, sessionId: SESSION_ID };
const live = (): AbortSignal => new AbortController().signal;

type Kv = { key: string; value: Record<string, unknown> };
type Span = { name: string; traceId: string; spanId: string; parentSpanId?: string; startTimeUnixNano: string; endTimeUnixNano: string; attributes: Kv[]; status: { code: number; message?: string } };
const flat = (attributes: Kv[]) => Object.fromEntries(attributes.map((kv) => [kv.key, Object.values(kv.value)[0]]));
const spansOf = (requests: readonly RecordedRequest[]): Span[] =>
  requests.flatMap((r) => (JSON.parse(r.body) as { resourceSpans: [{ scopeSpans: [{ spans: Span[] }] }] }).resourceSpans[0].scopeSpans[0].spans);

let server: ScriptedServer | undefined;
afterEach(async () => {
  // Every body the sink sent, through the strict OTLP/JSON decoder, and every id in it checked.
  for (const request of server?.requests ?? []) {
    const { traceIds, spanIds } = idsOf(decodeOtlp('traces', request.body));
    for (const id of traceIds) expect(id).toMatch(/^(?!0{32}$)[0-9a-f]{32}$/);
    for (const id of spanIds) expect(id).toMatch(/^(?!0{16}$)[0-9a-f]{16}$/);
  }
  await server?.close();
  server = undefined;
});

const ok: ScriptedReply = { status: 200, headers: { 'content-type': 'application/json' }, body: '{}' };
async function serve(handler: ScriptedHandler = () => ok): Promise<ScriptedServer> {
  server = await startScriptedServer(handler);
  return server;
}
const sinkFor = (url: string, extra: Partial<LangfuseOtlpSinkOptions> = {}): LangfuseOtlpSink =>
  new LangfuseOtlpSink({ baseUrl: url, publicKey: PUBLIC_KEY, secretKey: SECRET_KEY, ...extra });
function errorOf(result: ExportResult): ExportError {
  expect(result.error).toBeInstanceOf(ExportError);
  return result.error as ExportError;
}

describe('LangfuseOtlpSink', () => {
  it('POSTs OTLP/JSON to {baseUrl}/api/public/otel/v1/traces with Basic auth, ingestion version 4 and the SDK headers', async () => {
    const s = await serve();
    const sink = sinkFor(`${s.url}/langfuse/`);
    expect(sink).toMatchObject({ name: 'langfuse', contentCapture: 'redacted', maxBatchBytes: 2_000_000 });
    expect(await sink.export(batch, live(), context)).toEqual({ status: 'success' });
    expect(s.requests).toHaveLength(1);
    expect(s.requests[0]).toMatchObject({ method: 'POST', path: `/langfuse${PATH}` });
    expect(s.requests[0]?.headers).toMatchObject({
      authorization: `Basic ${CREDENTIALS}`,
      'content-type': 'application/json',
      'x-langfuse-ingestion-version': '4',
      'x-langfuse-sdk-name': 'rxtel',
      'x-langfuse-sdk-version': VERSION,
    });
  });

  it("maps a generation, a tool call, a span and ordinary events to spans with Langfuse's attributes", async () => {
    const s = await serve();
    await sinkFor(s.url, { environment: 'production', release: 'v1.2.0', genAiProviderName: 'openai' }).export(batch, live(), context);
    const spans = spansOf(s.requests);
    expect(spans.map((sp) => [sp.name, flat(sp.attributes)['langfuse.observation.type']])).toEqual([
      ['session.start', 'event'],
      ['chat gpt-4o', 'generation'],
      ['execute_tool get_weather', 'tool'],
      ['agent.turn', 'span'],
      ['user.action', 'event'],
      ['exception', 'event'],
    ]);
    const every = { 'session.id': SESSION_ID, 'langfuse.environment': 'production', 'langfuse.release': 'v1.2.0' };
    for (const sp of spans) expect(flat(sp.attributes)).toMatchObject(every);
    const [first, gen, call, own, act, exc] = spans as [Span, Span, Span, Span, Span, Span];
    expect(flat(gen.attributes)).toMatchObject({
      'langfuse.trace.name': 'rxtel.session',
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.response.model': 'gpt-4o',
      'gen_ai.usage.input_tokens': '12',
      'gen_ai.usage.output_tokens': '3',
    });
    expect(gen).toMatchObject({ traceId: SESSION_TRACE, startTimeUnixNano: '1767225600000000000', endTimeUnixNano: '1767225601000000000' });
    expect(flat(call.attributes)).toMatchObject({ 'gen_ai.tool.name': 'get_weather', 'gen_ai.operation.name': 'execute_tool' });
    // The user's span keeps its own trace and ids, which Langfuse names after its root span; its status error becomes Langfuse's ERROR level.
    expect(own).toMatchObject({ traceId: TRACE, spanId: '00f067aa0ba902b7', status: { code: 2 } });
    expect(flat(own.attributes)).not.toHaveProperty('langfuse.trace.name');
    expect(flat(own.attributes)).not.toHaveProperty('langfuse.observation.level');
    expect(flat(own.attributes)).toMatchObject({ step: '1' });
    // An ordinary event: no duration, in the session's trace, its data as attributes, its severity as a level.
    expect(act).toMatchObject({ traceId: SESSION_TRACE, startTimeUnixNano: '1767225601000000000', endTimeUnixNano: '1767225601000000000' });
    expect(flat(act.attributes)).toMatchObject({ button: 'submit', 'langfuse.observation.level': 'WARNING', 'langfuse.trace.name': 'rxtel.session', 'rxtel.event.id': 'a1' });
    expect(flat(first.attributes)).not.toHaveProperty('langfuse.observation.level');
    expect(exc.status).toEqual({ code: 2, message: 'boom' });
    expect(flat(exc.attributes)).toMatchObject({ 'exception.type': 'TypeError', 'exception.message': 'boom', 'langfuse.observation.level': 'ERROR' });
    expect(new Set(spans.map((sp) => sp.spanId)).size).toBe(spans.length);
  });

  it('an event inside a span is its child; a session.id or langfuse.* key of the user wins', async () => {
    const s = await serve();
    const inner = event('i1', 1, 'cache.miss', { trace_id: TRACE, span_id: '00f067aa0ba902b7', 'session.id': 'chat-7', 'langfuse.trace.name': 'checkout', 'user.id': 'u-42' });
    await sinkFor(s.url, { environment: 'staging' }).export([inner], live(), context);
    const [sp] = spansOf(s.requests) as [Span];
    expect(sp).toMatchObject({ traceId: TRACE, parentSpanId: '00f067aa0ba902b7' });
    expect(flat(sp.attributes)).toMatchObject({ 'session.id': 'chat-7', 'langfuse.trace.name': 'checkout', 'user.id': 'u-42', 'langfuse.environment': 'staging' });
    expect(sp.attributes.filter((kv) => kv.key === 'session.id')).toHaveLength(1);
  });

  it('sends the same trace and span ids when a 503 is retried, and retries nothing after a 400', async () => {
    const statuses = [503, 200, 400];
    const s = await serve(() => ({ status: statuses.shift() ?? 200, headers: { 'retry-after': '2' }, body: '{}' }));
    const sink = sinkFor(s.url);
    const first = await sink.export(batch, live(), context);
    expect(first).toMatchObject({ status: 'retryable', retryAfterMs: 2000 });
    expect(await sink.export(batch, live(), { ...context, attempt: 1 })).toEqual({ status: 'success' });
    const [a, b] = s.requests as [RecordedRequest, RecordedRequest];
    expect(idsOf(JSON.parse(b.body))).toEqual(idsOf(JSON.parse(a.body)));
    expect(b.body).toBe(a.body);
    const refused = await sink.export(batch, live(), context);
    expect(refused.status).toBe('failure');
    expect(errorOf(refused)).toMatchObject({ status: 400 });
  });

  it.each([429, 502, 504])('%i is retryable; 408, 500 and 501 are not (OTLP/HTTP)', async (status) => {
    const s = await serve(() => ({ status, body: '{}' }));
    const sink = sinkFor(s.url);
    expect((await sink.export([action], live(), context)).status).toBe('retryable');
    for (const other of [408, 500, 501]) {
      s.setHandler(() => ({ status: other, body: '{}' }));
      expect((await sink.export([action], live(), context)).status).toBe('failure');
    }
  });

  it('counts an OTLP partial success as rejected, its message redacted', async () => {
    const partialSuccess = { rejectedSpans: '2', errorMessage: `bad spans for ${SECRET_KEY}` };
    const s = await serve(() => ({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ partialSuccess }) }));
    const result = await sinkFor(s.url).export(batch, live(), context);
    expect(result).toMatchObject({ status: 'success', rejected: 2 });
    expect(errorOf(result)).toMatchObject({ code: 'ERR_RXTEL_PARTIAL', message: 'langfuse: Langfuse rejected 2 of 6 spans: bad spans for [redacted]' });
  });

  it.each<[string, Partial<LangfuseOtlpSinkOptions>, boolean]>([
    ['redacted (default)', {}, false],
    ['raw', { contentCapture: 'raw' }, true],
  ])('contentCapture %s: prompts, outputs and content only when raw', async (_label, extra, present) => {
    const s = await serve();
    await sinkFor(s.url, extra).export(batch, live(), context);
    const text = s.requests[0]?.body ?? '';
    for (const content of ['gen_ai.input.messages', 'gen_ai.output.messages', 'gen_ai.tool.call.arguments', 'Weather in Paris?', 'Rainy.', 'typed by the user']) {
      expect({ content, present: text.includes(content) }).toEqual({ content, present });
    }
  });

  it('never shows a key in an error, even when Langfuse echoes it', async () => {
    const s = await serve((req) => ({ status: 401, body: `{"message":"bad ${String(req.headers.authorization)} ${PUBLIC_KEY}:${SECRET_KEY}"}` }));
    const sink = sinkFor(s.url);
    const result = await sink.export(batch, live(), context);
    expect(result.status).toBe('failure');
    expect(errorOf(result).body).toContain('bad Basic [redacted]');
    const text = [JSON.stringify(result), inspect(result, { showHidden: true, depth: Infinity, getters: true }), inspect(sink, { showHidden: true, depth: Infinity })].join('\n');
    for (const secret of [SECRET_KEY, CREDENTIALS]) expect(text).not.toContain(secret);
  });

  it.each<[string, Partial<LangfuseOtlpSinkOptions>, string]>([
    ['blank secretKey', { secretKey: ' ' }, 'secretKey'],
    ['ftp baseUrl', { baseUrl: 'ftp://langfuse.example.com' }, 'baseUrl'],
    ['reserved environment', { environment: 'langfuse-prod' }, 'environment'],
    ['empty genAiProviderName', { genAiProviderName: '' }, 'genAiProviderName'],
    ['an unknown option', { endpoint: 'x' } as Partial<LangfuseOtlpSinkOptions>, 'endpoint'],
  ])('rejects %s with a ConfigError naming LangfuseOtlpSink and the option, never a key', (_label, extra, option) => {
    let thrown: unknown;
    try {
      sinkFor('https://cloud.langfuse.com', extra);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect(thrown).toMatchObject({ option });
    expect((thrown as Error).message).toContain('LangfuseOtlpSink');
    expect((thrown as Error).message).not.toContain(SECRET_KEY);
  });

  it.each(UNSENDABLE_SECRETS)('refuses a secretKey with %s without showing it', (_label, secret, kind) => {
    let thrown: unknown;
    try {
      sinkFor('https://cloud.langfuse.com', { secretKey: secret });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ option: 'secretKey' });
    expect((thrown as Error).message).toMatch(kind);
    expectNoPieceOf(secret, String((thrown as Error).stack));
  });
});

describe('LangfuseOtlpSink behind a reporter', () => {
  async function run(s: ScriptedServer, options: { captureContent: boolean; contentCapture: 'raw' | 'redacted' }) {
    const sink = new LangfuseOtlpSink({ baseUrl: s.url, publicKey: PUBLIC_KEY, secretKey: SECRET_KEY, contentCapture: options.contentCapture, environment: 'dev' });
    const reporter = createReporter({ sinks: [sink], captureContent: options.captureContent, flushIntervalMs: 0 });
    expect(
      reporter.track({
        type: 'generation',
        model: 'gpt-4o',
        input: 'Weather in Paris?',
        output: 'Rainy.',
        usage: { input_tokens: 12, output_tokens: 3 },
        start_time: '2026-01-01T00:00:00.000Z',
        end_time: '2026-01-01T00:00:01.500Z',
      }),
    ).toBe(true);
    reporter.track({ type: 'tool_execution', tool: 'get_weather', input: { city: 'Paris' }, output: 'rainy', latency_ms: 20, success: true });
    reporter.startSpan('agent.turn').end({ status: 'ok' });
    reporter.log('user.action', { button: 'submit' });
    expect(await reporter.stop(5000)).toBe(true);
    expect(reporter.stats()).toMatchObject({ delivered: reporter.stats().accepted });
    return reporter.sessionId;
  }

  it('track, a span and a log reach Langfuse as typed observations in the session', async () => {
    const s = await serve();
    const sessionId = await run(s, { captureContent: true, contentCapture: 'raw' });
    expect(s.requests.every((r) => r.path === PATH)).toBe(true);
    const spans = spansOf(s.requests);
    const typed = spans.map((sp) => [sp.name, flat(sp.attributes)['langfuse.observation.type']]);
    expect(typed).toEqual(
      expect.arrayContaining([
        ['session.start', 'event'],
        ['chat gpt-4o', 'generation'],
        ['execute_tool get_weather', 'tool'],
        ['agent.turn', 'span'],
        ['user.action', 'event'],
        ['session.end', 'event'],
      ]),
    );
    for (const sp of spans) expect(flat(sp.attributes)).toMatchObject({ 'session.id': sessionId, 'langfuse.environment': 'dev' });
    expect(s.requests.map((r) => r.body).join('\n')).toContain('Weather in Paris?');
  });

  it.each([
    ['captureContent off', { captureContent: false, contentCapture: 'raw' as const }],
    ['contentCapture redacted', { captureContent: true, contentCapture: 'redacted' as const }],
  ])('%s: no prompt or output anywhere in the body', async (_label, options) => {
    const s = await serve();
    await run(s, options);
    const text = s.requests.map((r) => r.body).join('\n');
    for (const absent of ['gen_ai.input.messages', 'gen_ai.output.messages', 'gen_ai.tool.call.arguments', 'gen_ai.tool.call.result', 'Paris', 'Rainy', 'rainy']) expect(text).not.toContain(absent);
  });
});

import { afterEach, describe, expect, it } from '@jest/globals';
import type { Generation } from '../../src/events/llm-events.js';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { randomUUID } from 'node:crypto';
import { createReporter } from '../../src/create-reporter.js';
import { ConfigError } from '../../src/errors/config-error.js';
import { ExportError } from '../../src/errors/export-error.js';
import type { TelemetryEvent } from '../../src/events/wire.js';
import { nodeVersion, processId } from '../../src/platform/node.js';
import { OtlpHttpSink, type OtlpHttpSinkOptions } from '../../src/sinks/otlp-http-sink.js';
import type { ExportContext, ExportResult } from '../../src/sinks/sink.js';
import { VERSION } from '../../src/version.js';
import { startScriptedServer, type ScriptedHandler, type ScriptedReply, type ScriptedServer } from '../helpers/scripted-http-server.js';
import { expectNoPieceOf, UNSENDABLE_SECRETS } from '../helpers/secrets.js';
import { decodeOtlp, idsOf } from '../helpers/otlp-json.js';
import { attributeProblems } from '../helpers/semconv-registry.js';

const TOKEN = 'otlp-s3cret&token-0123456789';
const API_KEY = 'vendor-key-9876543210';
const SESSION_ID = '0b6f3c9e-3f5a-4c1e-9a53-0d2f4f1b7a10';
const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const common = { severity: 'INFO', timestamp: '2026-01-01T00:00:00.000001Z' } as const;
const log = (i: number): TelemetryEvent => ({
  ...common,
  event: 'GENERIC_EVENT',
  event_id: `e${i}`,
  event_session_index: i,
  event_name: 'user.action',
  event_data: { i },
});
const span = (i: number): TelemetryEvent => ({
  ...common,
  event: 'GENERIC_EVENT',
  event_id: `e${i}`,
  event_session_index: i,
  event_name: 'span',
  event_data: {
    name: `op${i}`,
    trace_id: TRACE_ID,
    span_id: `${String(i).padStart(2, '0')}e19b7ec3c1b174`,
    start_time: '2026-01-01T00:00:00.000001Z',
    end_time: '2026-01-01T00:00:00.500001Z',
    status: 'ok',
    attributes: {},
  },
});
// Positions 0 and 2 are logs, 1 and 3 spans.
const mixed: TelemetryEvent[] = [log(0), span(1), log(2), span(3)];
const logsOnly: TelemetryEvent[] = [{ ...common, event: 'SESSION_START', event_id: 's', event_session_index: 0 }, log(1)];
const context: ExportContext = { batchId: 'batch-1', attempt: 0, sessionId: SESSION_ID };
const live = (): AbortSignal => new AbortController().signal;
const accepted: ScriptedReply = { status: 200, headers: { 'content-type': 'application/json' }, body: '{}' };

let server: ScriptedServer | undefined;
/** Bodies a test took from elsewhere than `server` (a raw server, gunzipped): checked like the others. */
const bodies: { signal: 'logs' | 'traces'; text: string }[] = [];
afterEach(async () => {
  // Every body the sink sent in the test, through the independent OTLP/JSON decoder, and every id in it checked.
  const sent = (server?.requests ?? []).filter((r) => /\/v1\/(logs|traces)$/.test(r.path));
  const all = [...sent.map((r) => ({ signal: r.path.endsWith('/v1/logs') ? ('logs' as const) : ('traces' as const), text: r.body })), ...bodies.splice(0)];
  for (const { signal, text } of all) {
    const { traceIds, spanIds } = idsOf(decodeOtlp(signal, text));
    for (const id of traceIds) expect(id).toMatch(/^(?!0{32}$)[0-9a-f]{32}$/);
    for (const id of spanIds) expect(id).toMatch(/^(?!0{16}$)[0-9a-f]{16}$/);
  }
  await server?.close();
  server = undefined;
});

async function serve(handler: ScriptedHandler = () => accepted): Promise<ScriptedServer> {
  server = await startScriptedServer(handler);
  return server;
}

/** Answers per path: `traces` for /v1/traces, `logs` for /v1/logs. */
const byPath = (logs: ScriptedReply, traces: ScriptedReply): ScriptedHandler => (req) => (req.path === '/v1/traces' ? traces : logs);

/** No OTEL_* variable: what the process's environment holds never reaches a test. */
const NO_ENV = {};

function sinkFor(url: string, extra: Partial<OtlpHttpSinkOptions> = {}): OtlpHttpSink {
  return new OtlpHttpSink({ endpoint: url, headers: { authorization: `Bearer ${TOKEN}`, 'x-api-key': API_KEY }, ...extra }, NO_ENV);
}

function errorOf(result: ExportResult): ExportError {
  if (result.error === undefined) throw new Error(`expected an error in ${JSON.stringify(result)}`);
  expect(result.error).toBeInstanceOf(ExportError);
  return result.error as ExportError;
}

function bodyOf(s: ScriptedServer, path: string): Record<string, unknown> {
  const request = s.requests.find((r) => r.path === path);
  if (request === undefined) throw new Error(`no request to ${path}`);
  return JSON.parse(request.body) as Record<string, unknown>;
}

describe('OtlpHttpSink requests', () => {
  it('POSTs logs to /v1/logs as OTLP JSON, with the custom headers, and succeeds on 200', async () => {
    const s = await serve();
    const result = await sinkFor(`${s.url}/`, { serviceName: 'trainer', resource: { 'deployment.environment.name': 'ci' } }).export(logsOnly, live(), context);
    expect(result).toEqual({ status: 'success' });
    expect(s.requests.map((r) => [r.method, r.path])).toEqual([['POST', '/v1/logs']]);
    expect(s.requests[0]?.headers).toMatchObject({
      'content-type': 'application/json',
      authorization: `Bearer ${TOKEN}`,
      'x-api-key': API_KEY,
      'user-agent': `rxtel/${VERSION} node/${nodeVersion}`,
    });
    expect(s.requests[0]?.headers).not.toHaveProperty('content-encoding');
    const body = bodyOf(s, '/v1/logs') as { resourceLogs: [{ resource: unknown; scopeLogs: [{ scope: unknown; logRecords: { eventName: string }[] }] }] };
    expect(body.resourceLogs[0].resource).toEqual({
      attributes: [
        { key: 'service.name', value: { stringValue: 'trainer' } },
        { key: 'telemetry.sdk.name', value: { stringValue: 'rxtel' } },
        { key: 'telemetry.sdk.language', value: { stringValue: 'nodejs' } },
        { key: 'telemetry.sdk.version', value: { stringValue: VERSION } },
        { key: 'session.id', value: { stringValue: SESSION_ID } },
        { key: 'process.pid', value: { intValue: String(processId) } },
        { key: 'deployment.environment.name', value: { stringValue: 'ci' } },
      ],
    });
    expect(body.resourceLogs[0].scopeLogs[0].scope).toEqual({ name: 'rxtel', version: VERSION });
    expect(body.resourceLogs[0].scopeLogs[0].logRecords.map((r) => r.eventName)).toEqual(['session.start', 'user.action']);
  });

  it('sends logs and spans as two concurrent requests, to /v1/logs and /v1/traces, under an endpoint path', async () => {
    // Neither request is answered until both have arrived: sequential requests would time out.
    let arrived = 0;
    let release: () => void = () => undefined;
    const both = new Promise<void>((resolve) => (release = resolve));
    const s = await serve(async () => {
      if (++arrived === 2) release();
      await both;
      return accepted;
    });
    const result = await sinkFor(`${s.url}/otlp//`, { timeoutMs: 3000 }).export(mixed, live(), context);
    expect(result).toEqual({ status: 'success' });
    expect(s.requests.map((r) => r.path).sort()).toEqual(['/otlp/v1/logs', '/otlp/v1/traces']);
    const logs = bodyOf(s, '/otlp/v1/logs') as { resourceLogs: [{ scopeLogs: [{ logRecords: { attributes: unknown[] }[] }] }] };
    expect(logs.resourceLogs[0].scopeLogs[0].logRecords.map((r) => r.attributes[0])).toEqual([
      { key: 'rxtel.event.id', value: { stringValue: 'e0' } },
      { key: 'rxtel.event.id', value: { stringValue: 'e2' } },
    ]);
    const traces = bodyOf(s, '/otlp/v1/traces') as { resourceSpans: [{ resource: unknown; scopeSpans: [{ spans: Record<string, unknown>[] }] }] };
    expect(traces.resourceSpans[0].scopeSpans[0].spans.map((sp) => [sp['name'], sp['kind'], sp['status']])).toEqual([
      ['op1', 1, { code: 1 }],
      ['op3', 1, { code: 1 }],
    ]);
    expect(traces.resourceSpans[0].resource).toEqual((bodyOf(s, '/otlp/v1/logs') as { resourceLogs: [{ resource: unknown }] }).resourceLogs[0].resource);
  });

  it('a batch of spans only makes one request, to /v1/traces; an empty batch none', async () => {
    const s = await serve();
    const sink = sinkFor(s.url);
    expect(await sink.export([span(0), span(1)], live(), context)).toEqual({ status: 'success' });
    expect(await sink.export([], live(), context)).toEqual({ status: 'success' });
    expect(s.requests.map((r) => r.path)).toEqual(['/v1/traces']);
  });

  it('gzip: the raw request body gunzips to the same OTLP JSON', async () => {
    // The scripted server decodes bodies as UTF-8, which mangles gzip: keep the raw bytes here.
    const received: { headers: IncomingHttpHeaders; body: Buffer }[] = [];
    const raw = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(raw.address() as AddressInfo).port}`;
      const sink = sinkFor(url, { compression: 'gzip' });
      expect(await sink.export(logsOnly, live(), context)).toEqual({ status: 'success' });
      await sink.shutdown();
      const plain = await (async () => {
        const s = await serve();
        await sinkFor(s.url).export(logsOnly, live(), context);
        return bodyOf(s, '/v1/logs');
      })();
      expect(received).toHaveLength(1);
      expect(received[0]?.headers['content-encoding']).toBe('gzip');
      expect(received[0]?.body.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
      const text = gunzipSync(received[0]?.body ?? Buffer.alloc(0)).toString('utf8');
      bodies.push({ signal: 'logs', text });
      expect(JSON.parse(text)).toEqual(plain);
    } finally {
      raw.closeAllConnections();
      await new Promise<void>((resolve) => raw.close(() => resolve()));
    }
  });
});

describe('OtlpHttpSink results', () => {
  it('503 with Retry-After is retryable after that delay', async () => {
    const s = await serve(() => ({ status: 503, headers: { 'retry-after': '2' } }));
    const result = await sinkFor(s.url).export(logsOnly, live(), context);
    expect(result).toMatchObject({ status: 'retryable', retryAfterMs: 2000 });
    expect(result).not.toHaveProperty('only');
    expect(errorOf(result)).toMatchObject({ status: 503, code: 'ERR_RXTEL_HTTP' });
  });

  it('400 is a failure naming the sink, status and path', async () => {
    const s = await serve(() => ({ status: 400, body: '{"code":3,"message":"bad"}' }));
    const result = await sinkFor(s.url, { name: 'collector' }).export(logsOnly, live(), context);
    expect(result.status).toBe('failure');
    expect(errorOf(result)).toMatchObject({ status: 400, sink: 'collector', message: 'collector: HTTP 400 Bad Request from POST /v1/logs' });
  });

  it.each([
    ['a string count', '{"partialSuccess":{"rejectedLogRecords":"1","errorMessage":"attribute too long"}}', 1, ': attribute too long'],
    ['a number count', '{"partialSuccess":{"rejectedLogRecords":2}}', 2, ''],
    ['more than were sent', '{"partialSuccess":{"rejectedLogRecords":"99"}}', 2, ''],
  ])('partial success with %s counts the rejected records; never retried', async (_label, body, rejected, why) => {
    const s = await serve(() => ({ status: 200, headers: { 'content-type': 'application/json' }, body }));
    const result = await sinkFor(s.url).export(logsOnly, live(), context);
    expect(result).toMatchObject({ status: 'success', rejected });
    expect(errorOf(result)).toMatchObject({ code: 'ERR_RXTEL_PARTIAL', status: 200, message: `otlp: collector rejected ${rejected} of 2 log records${why}` });
  });

  it.each(['{"partialSuccess":{"rejectedLogRecords":"0","errorMessage":"just a warning"}}', '{"partialSuccess":{}}', '{}', 'not json', ''])(
    'a 2xx body %p rejecting nothing is a plain success',
    async (body) => {
      const s = await serve(() => ({ status: 200, body }));
      expect(await sinkFor(s.url).export(logsOnly, live(), context)).toEqual({ status: 'success' });
    },
  );

  it('partial success of spans reads rejectedSpans', async () => {
    const s = await serve(byPath(accepted, { status: 200, body: '{"partialSuccess":{"rejectedSpans":"1","rejectedLogRecords":"2"}}' }));
    const result = await sinkFor(s.url).export(mixed, live(), context);
    expect(result).toMatchObject({ status: 'success', rejected: 1 });
    expect(errorOf(result).message).toBe('otlp: collector rejected 1 of 2 spans');
  });

  it.each<[string, ScriptedReply, ScriptedReply, Record<string, unknown>]>([
    ['logs OK + traces 503: retry only the spans', accepted, { status: 503, headers: { 'retry-after': '3' } }, { status: 'retryable', only: [1, 3], retryAfterMs: 3000 }],
    ['logs 503 + traces OK: retry only the logs', { status: 503 }, accepted, { status: 'retryable', only: [0, 2] }],
    ['both 503: retry everything, after the longer delay', { status: 503, headers: { 'retry-after': '1' } }, { status: 429, headers: { 'retry-after': '4' } }, { status: 'retryable', retryAfterMs: 4000 }],
    ['logs 400 + traces OK: success, the logs rejected', { status: 400 }, accepted, { status: 'success', refusedPositions: [0, 2], rejected: 2 }],
    ['logs OK + traces 400: success, the spans rejected', accepted, { status: 400 }, { status: 'success', refusedPositions: [1, 3], rejected: 2 }],
    ['both 400: failure', { status: 400 }, { status: 400 }, { status: 'failure' }],
    ['logs 400 + traces 503: retry the spans, the logs rejected', { status: 400 }, { status: 503 }, { status: 'retryable', only: [1, 3], refusedPositions: [0, 2], rejected: 2 }],
    ['logs partially rejected + traces 503', { status: 200, body: '{"partialSuccess":{"rejectedLogRecords":"1"}}' }, { status: 503 }, { status: 'retryable', only: [1, 3], refusedPositions: [0], rejected: 1 }],
    ['logs 413 + traces OK: the logs to be split, never resent as they were', { status: 413 }, accepted, { status: 'retryable', only: [0, 2], split: true }],
    ['logs 413 + traces 503: both again (the 503 part as it was)', { status: 413 }, { status: 503 }, { status: 'retryable' }],
    ['both 413: split the batch', { status: 413 }, { status: 413 }, { status: 'failure', payloadTooLarge: true }],
  ])('%s', async (_label, logs, traces, expected) => {
    const s = await serve(byPath(logs, traces));
    const result = await sinkFor(s.url).export(mixed, live(), context);
    expect(result).toEqual({ ...expected, error: expect.any(ExportError) });
    expect(s.requests).toHaveLength(2);
  });

  it('the error of a mixed result names the part that failed', async () => {
    const s = await serve(byPath(accepted, { status: 503 }));
    expect(errorOf(await sinkFor(s.url).export(mixed, live(), context)).message).toBe('otlp: HTTP 503 Service Unavailable from POST /v1/traces');
  });

  it('a batch that cannot be encoded (a cycle) fails without a request', async () => {
    const s = await serve();
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    const result = await sinkFor(s.url).export([log(0), { ...log(1), event_data: { cyclic } } as TelemetryEvent], live(), context);
    expect(result.status).toBe('failure');
    expect(errorOf(result).message).toBe('otlp: batch is not serialisable');
    expect(s.requests).toHaveLength(0);
  });

  it('connection refused is a retryable network error', async () => {
    const s = await serve();
    await s.close();
    const result = await sinkFor(s.url).export(mixed, live(), context);
    expect(result.status).toBe('retryable');
    expect(result).not.toHaveProperty('only');
    expect(errorOf(result)).toMatchObject({ code: 'ERR_RXTEL_NETWORK', message: 'otlp: network error (ECONNREFUSED)' });
  });
});

describe('OtlpHttpSink abort and shutdown', () => {
  /** Sends one export, waits until the server holds both requests (hanging), then aborts. */
  async function abortMidRequest(reason?: unknown): Promise<ExportResult> {
    let arrived = 0;
    let started: () => void = () => undefined;
    const bothHeld = new Promise<void>((resolve) => (started = resolve));
    const s = await serve(() => {
      if (++arrived === 2) started();
      return { hang: true };
    });
    const controller = new AbortController();
    const pending = sinkFor(s.url).export(mixed, controller.signal, context);
    await bothHeld;
    controller.abort(reason);
    return pending;
  }

  it('an abort while both requests hang resolves at once with an aborted failure', async () => {
    const result = await abortMidRequest(new Error('stop deadline'));
    expect(result.status).toBe('failure');
    expect(errorOf(result).code).toBe('ERR_RXTEL_ABORTED');
  });

  it('an abort with a TimeoutError reason is a retryable timeout of the whole batch', async () => {
    const result = await abortMidRequest(new DOMException('t', 'TimeoutError'));
    expect(result).toMatchObject({ status: 'retryable' });
    expect(result).not.toHaveProperty('only');
    expect(errorOf(result).code).toBe('ERR_RXTEL_TIMEOUT');
  });

  it('an already aborted signal resolves without waiting', async () => {
    const s = await serve(() => ({ hang: true }));
    const controller = new AbortController();
    controller.abort();
    expect(errorOf(await sinkFor(s.url).export(mixed, controller.signal, context)).code).toBe('ERR_RXTEL_ABORTED');
  });

  it('after shutdown, exports fail without a request; shutdown is idempotent', async () => {
    const s = await serve();
    const sink = sinkFor(s.url);
    const first = sink.shutdown();
    expect(sink.shutdown()).toBe(first);
    await first;
    const result = await sink.export(mixed, live(), context);
    expect(result.status).toBe('failure');
    expect(errorOf(result)).toMatchObject({ code: 'ERR_RXTEL_SHUTDOWN', sink: 'otlp' });
    expect(s.requests).toHaveLength(0);
  });
});

describe('OtlpHttpSink secrets', () => {
  it('never lets a header value into a result, even when the collector echoes it (also JSON-escaped)', async () => {
    const s = await serve();
    // Answered requests through a sink with the default timeout (no answer races a short one); ky's
    // own timeout from a second sink, against a server that never answers.
    const sink = sinkFor(s.url);
    const hurried = sinkFor(s.url, { timeoutMs: 200 });
    const echo = (status: number): ScriptedHandler => (req) => ({
      status,
      body: `bad ${String(req.headers.authorization)}, token ${String(req.headers.authorization).slice('Bearer '.length)} ${JSON.stringify(req.headers)}`,
    });
    const results: ExportResult[] = [];
    for (const status of [400, 401, 413, 503]) {
      s.setHandler(echo(status));
      results.push(await sink.export(mixed, live(), context));
    }
    // A partial success whose message echoes the token, `&` escaped as a JSON encoder in Go would.
    s.setHandler((req) => ({
      status: 200,
      body: `{"partialSuccess":{"rejectedLogRecords":"1","errorMessage":"token ${String(req.headers.authorization).slice('Bearer '.length).replace('&', '\\u0026')} refused; raw ${String(req.headers['x-api-key'])}"}}`,
    }));
    results.push(await sink.export(logsOnly, live(), context));
    s.setHandler(() => ({ hang: true }));
    results.push(await hurried.export(mixed, live(), context));
    await s.close();
    results.push(await sink.export(mixed, live(), context));
    await sink.shutdown();
    await hurried.shutdown();
    results.push(await sink.export(mixed, live(), context));
    expect(results.map((r) => r.status)).toEqual(['failure', 'failure', 'failure', 'retryable', 'success', 'retryable', 'retryable', 'failure']);
    expect(errorOf(results[0] as ExportResult).body).toContain('bad [redacted], token [redacted] {');
    expect(errorOf(results[4] as ExportResult).message).toBe('otlp: collector rejected 1 of 2 log records: token [redacted] refused; raw [redacted]');
    for (const result of results) {
      const error = errorOf(result);
      for (const secret of [TOKEN, API_KEY]) {
        expect(JSON.stringify(result)).not.toContain(secret);
        expect(inspect(result, { showHidden: true, depth: Infinity, getters: true })).not.toContain(secret);
        expect(Object.values(error).map(String).join('\n')).not.toContain(secret);
      }
      expect(error.cause).toBeUndefined();
    }
    for (const secret of [TOKEN, API_KEY]) {
      for (const used of [sink, hurried]) expect(inspect(used, { showHidden: true, depth: Infinity })).not.toContain(secret);
    }
  });
});

describe('OtlpHttpSink options', () => {
  it('defaults and exposed properties', () => {
    const sink = new OtlpHttpSink({ endpoint: 'http://127.0.0.1:4318' }, NO_ENV);
    expect(sink).toMatchObject({ name: 'otlp', contentCapture: 'redacted', maxBatchBytes: undefined });
    const custom = new OtlpHttpSink({ endpoint: 'https://collector.example', name: 'c', contentCapture: 'raw', maxBatchBytes: 1_000_000 }, NO_ENV);
    expect(custom).toMatchObject({ name: 'c', contentCapture: 'raw', maxBatchBytes: 1_000_000 });
  });

  it.each<[string, Partial<OtlpHttpSinkOptions>]>([
    ['endpoint', { endpoint: 'ftp://collector.example' }],
    ['endpoint', { endpoint: 'not a url' }],
    ['endpoint', { endpoint: 42 as never }],
    ['endpoint', { endpoint: `http://user:${TOKEN}@collector.example` }],
    ['headers', { headers: 'authorization: x' as never }],
    ['headers.bad name', { headers: { 'bad name': 'v' } }],
    ['headers.authorization', { headers: { authorization: `Bearer ${TOKEN}\r\nx-injected: 1` } }],
    ['headers.x-api-key', { headers: { 'x-api-key': 42 as never } }],
    ['timeoutMs', { timeoutMs: 0 }],
    ['compression', { compression: 'br' as never }],
    ['name', { name: '' }],
    ['maxBatchBytes', { maxBatchBytes: 0 }],
    ['contentCapture', { contentCapture: 'all' as never }],
    ['serviceName', { serviceName: '' }],
    ['resource.x', { resource: { x: undefined as never } }],
  ])('a bad option is a ConfigError naming %s, without echoing a secret', (option, bad) => {
    let thrown: unknown;
    try {
      new OtlpHttpSink({ endpoint: 'http://127.0.0.1:4318', ...bad }, NO_ENV);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect(thrown).toMatchObject({ option, code: 'ERR_RXTEL_CONFIG' });
    expect((thrown as Error).message).toContain('Invalid option');
    expect((thrown as Error).message).not.toContain(TOKEN);
  });

  it.each(UNSENDABLE_SECRETS)('a header value with %s is a ConfigError naming headers.<name>, without the value', (_label, secret, kind) => {
    for (const [name, value] of [['authorization', `Bearer ${secret}`], ['x-api-key', secret]] as const) {
      let thrown: unknown;
      try {
        new OtlpHttpSink({ endpoint: 'http://127.0.0.1:4318', headers: { accept: 'application/json', [name]: value } }, NO_ENV);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ConfigError);
      expect(thrown).toMatchObject({ option: `headers.${name}` });
      expect((thrown as Error).message).toMatch(/a valid HTTP header value/);
      if (name === 'x-api-key') expect((thrown as Error).message).toMatch(kind);
      expectNoPieceOf(secret, String((thrown as Error).stack));
    }
  });

  it('sends header values trimmed, an empty one included', async () => {
    const s = await serve();
    await sinkFor(s.url, { headers: { authorization: ` Bearer ${TOKEN}\n`, 'x-empty': '' } }).export(logsOnly, live(), context);
    expect(s.requests[0]?.headers).toMatchObject({ authorization: `Bearer ${TOKEN}`, 'x-empty': '' });
  });
});

describe('OtlpHttpSink behind a reporter: conventions end to end', () => {
  type Kv = { key: string; value: Record<string, unknown> };
  type Record_ = { eventName: string; body?: unknown; traceId?: string; spanId?: string; attributes: Kv[] };
  type Span = { name: string; kind: number; traceId: string; spanId: string; parentSpanId?: string; attributes: Kv[] };
  const flat = (attributes: Kv[]) => Object.fromEntries(attributes.map((kv) => [kv.key, Object.values(kv.value)[0]]));
  const recordsOf = (s: ScriptedServer): Record_[] =>
    s.requests.filter((r) => r.path === '/v1/logs').flatMap((r) => (JSON.parse(r.body) as { resourceLogs: [{ scopeLogs: [{ logRecords: Record_[] }] }] }).resourceLogs[0].scopeLogs[0].logRecords);
  const spansOf = (s: ScriptedServer): Span[] =>
    s.requests.filter((r) => r.path === '/v1/traces').flatMap((r) => (JSON.parse(r.body) as { resourceSpans: [{ scopeSpans: [{ spans: Span[] }] }] }).resourceSpans[0].scopeSpans[0].spans);

  async function run(s: ScriptedServer, options: { captureContent: boolean; contentCapture: 'raw' | 'redacted' }, work: (reporter: ReturnType<typeof createReporter>) => void) {
    const sink = new OtlpHttpSink({ endpoint: s.url, contentCapture: options.contentCapture, genAiProviderName: 'openai' }, NO_ENV);
    const reporter = createReporter({ sinks: [sink], captureContent: options.captureContent, flushIntervalMs: 0 });
    work(reporter);
    expect(await reporter.stop(5000)).toBe(true);
    for (const r of s.requests) expect(attributeProblems(JSON.parse(r.body), ['chat_id', 'input', 'output', 'a', 'trace_id', 'correlation_id'])).toEqual([]);
    return reporter.sessionId;
  }
  const generation: Generation = { type: 'generation', model: 'gpt-4o', input: 'Weather in Paris?', output: 'Rainy.', usage: { input_tokens: 12, output_tokens: 3 }, start_time: '2026-01-01T00:00:00.000Z', end_time: '2026-01-01T00:00:01.500Z' };

  it('a generation is a "chat gpt-4o" span in the session\'s trace, content in gen_ai.*.messages only with captureContent and contentCapture raw', async () => {
    const s = await serve();
    const sessionId = await run(s, { captureContent: true, contentCapture: 'raw' }, (reporter) => {
      reporter.track(generation);
      reporter.track({ type: 'tool_execution', tool: 'get_weather', input: { city: 'Paris' }, output: 'rainy', latency_ms: 20, success: true });
      reporter.track({ type: 'round_completed', chat_id: 'c1', round: 1, status: 'ok', latency_ms: 900, usage: { input_tokens: 12, output_tokens: 3 } });
    });
    const spans = spansOf(s);
    expect(spans.map((span) => [span.name, span.kind])).toEqual([['chat gpt-4o', 3], ['execute_tool get_weather', 1], ['invoke_agent', 1]]);
    for (const span of spans) expect(span.traceId).toBe(sessionId.replaceAll('-', ''));
    expect(flat(spans[0]?.attributes ?? [])).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.response.model': 'gpt-4o',
      'gen_ai.usage.input_tokens': '12',
      'gen_ai.usage.output_tokens': '3',
    });
    expect(JSON.stringify(spans[0]?.attributes)).toContain('"key":"gen_ai.input.messages"');
    expect(JSON.stringify(spans[0]?.attributes)).toContain('Weather in Paris?');
    expect(JSON.stringify(spans[1]?.attributes)).toContain('"key":"gen_ai.tool.call.arguments"');
    expect(flat(spans[2]?.attributes ?? [])).toMatchObject({ 'gen_ai.conversation.id': 'c1', 'gen_ai.operation.name': 'invoke_agent' });
    // No record repeats them as a log, with model/usage as raw keys.
    expect(recordsOf(s).map((r) => r.eventName)).toEqual(['session.start', 'session.end']);
  });

  it.each([
    ['captureContent off', { captureContent: false, contentCapture: 'raw' as const }],
    ['contentCapture redacted', { captureContent: true, contentCapture: 'redacted' as const }],
  ])('%s: no content attribute, no content anywhere in the body', async (_label, options) => {
    const s = await serve();
    await run(s, options, (reporter) => {
      reporter.track(generation);
      reporter.track({ type: 'tool_execution', tool: 'get_weather', input: { city: 'Paris' }, output: 'rainy', latency_ms: 20, success: true });
    });
    const text = s.requests.map((r) => r.body).join('\n');
    for (const absent of ['gen_ai.input.messages', 'gen_ai.output.messages', 'gen_ai.tool.call.arguments', 'gen_ai.tool.call.result', 'Paris', 'Rainy', 'rainy']) expect(text).not.toContain(absent);
  });

  it('a user_error has exception.type, exception.message, http.response.status_code; an exception exception.*; no event.name, no body naming the event', async () => {
    const s = await serve();
    await run(s, { captureContent: false, contentCapture: 'redacted' }, (reporter) => {
      reporter.logException(Object.assign(new RangeError('Not Found'), { status: 404, body: { a: 'missing' } }));
      reporter.logException(new TypeError('x is not a function'));
      reporter.log('user.action', { a: 1 });
    });
    const records = recordsOf(s);
    const user = records.find((r) => r.eventName === 'user_error');
    expect(flat(user?.attributes ?? [])).toMatchObject({ 'exception.type': 'RangeError', 'exception.message': 'Not Found', 'http.response.status_code': '404' });
    expect(user?.attributes.map((kv) => kv.key)).toEqual(['rxtel.event.id', 'rxtel.event.session_index', 'exception.type', 'exception.message', 'http.response.status_code', 'rxtel.http.response.body']);
    expect(user?.body).toEqual({ stringValue: 'Not Found' });
    const exception = records.find((r) => r.eventName === 'exception');
    expect(flat(exception?.attributes ?? [])).toMatchObject({ 'exception.type': 'TypeError', 'exception.message': 'x is not a function' });
    expect(flat(exception?.attributes ?? [])['exception.stacktrace']).toMatch(/^TypeError: x is not a function\n\s+at /);
    for (const record of records) {
      expect(record.attributes.map((kv) => kv.key)).not.toContain('event.name');
      expect(JSON.stringify(record.body ?? null)).not.toContain(record.eventName);
    }
    expect(records.find((r) => r.eventName === 'user.action')).not.toHaveProperty('body');
  });

  it('trace ids: a UUID given to with() is the same trace as 32 hex on records, spans and GenAI spans; every id valid', async () => {
    const s = await serve();
    const traceId = randomUUID();
    await run(s, { captureContent: false, contentCapture: 'redacted' }, (reporter) => {
      const view = reporter.with({ traceId, correlationId: 'k' });
      view.log('step', { a: 1 });
      view.track(generation);
      reporter.startSpan('op').end({ status: 'ok' });
    });
    const hex = traceId.replaceAll('-', '');
    expect(recordsOf(s).find((r) => r.eventName === 'step')?.traceId).toBe(hex);
    expect(spansOf(s).find((span) => span.name === 'chat gpt-4o')?.traceId).toBe(hex);
    expect(spansOf(s).map((span) => span.name).sort()).toEqual(['chat gpt-4o', 'op']);
    // The afterEach checks every id of every body against /^[0-9a-f]{32}$/ and /^[0-9a-f]{16}$/, not all zeros.
    expect(s.requests.length).toBeGreaterThanOrEqual(2);
  });
});

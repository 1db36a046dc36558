import { afterEach, describe, expect, it } from '@jest/globals';
import { inspect } from 'node:util';
import { ConfigError } from '../../src/errors/config-error.js';
import { ExportError } from '../../src/errors/export-error.js';
import type { TelemetryEvent } from '../../src/events/wire.js';
import { nodeVersion, platformName, processUuid } from '../../src/platform/node.js';
import type { ExportContext, ExportResult } from '../../src/sinks/sink.js';
import { TinkerHttpSink, type TinkerHttpSinkOptions } from '../../src/sinks/tinker-http-sink.js';
import { VERSION } from '../../src/version.js';
import { startScriptedServer, type ScriptedReply, type ScriptedServer } from '../helpers/scripted-http-server.js';
import { expectNoPieceOf, UNSENDABLE_SECRETS } from '../helpers/secrets.js';

const API_KEY = 'tml-test-secret-key-0123456789';
const SESSION_ID = '0b6f3c9e-3f5a-4c1e-9a53-0d2f4f1b7a10';
const batch: TelemetryEvent[] = [
  { event: 'SESSION_START', event_id: 'e0', event_session_index: 0, severity: 'INFO', timestamp: '2026-01-01T00:00:00.000001Z' },
  { event: 'GENERIC_EVENT', event_id: 'e1', event_session_index: 1, severity: 'INFO', timestamp: '2026-01-01T00:00:01.000000Z',
    event_name: 'user.action', event_data: { button: 'submit', ok: true, none: null } },
];
const context = (batchId = 'batch-1', attempt = 0): ExportContext => ({ batchId, attempt, sessionId: SESSION_ID });
const live = (): AbortSignal => new AbortController().signal;

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(reply?: ScriptedReply): Promise<ScriptedServer> {
  server = await startScriptedServer(reply === undefined ? undefined : () => reply);
  return server;
}

function sinkFor(url: string, extra: Partial<TinkerHttpSinkOptions> = {}): TinkerHttpSink {
  return new TinkerHttpSink({ endpoint: url, apiKey: API_KEY, ...extra });
}

function errorOf(result: ExportResult): ExportError {
  if (result.status === 'success') throw new Error('expected an error result');
  expect(result.error).toBeInstanceOf(ExportError);
  return result.error as ExportError;
}

/** Sends one export, waits until the server holds it (hanging), then aborts the caller's signal. */
async function abortMidRequest(s: ScriptedServer, sink: TinkerHttpSink, reason?: unknown): Promise<ExportResult> {
  const started = new Promise<void>((resolve) =>
    s.setHandler(() => {
      resolve();
      return { hang: true };
    }),
  );
  const controller = new AbortController();
  const pending = sink.export(batch, controller.signal, context());
  await started;
  controller.abort(reason);
  return pending;
}

describe('TinkerHttpSink', () => {
  it('POSTs the Tinker batch with the exact headers and body, and succeeds on 200', async () => {
    const s = await serve();
    const result = await sinkFor(`${s.url}//`).export(batch, live(), context('batch-42'));
    expect(result).toEqual({ status: 'success' });
    expect(s.requests).toHaveLength(1);
    const [request] = s.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/api/v1/telemetry' });
    expect(request?.headers).toMatchObject({
      'content-type': 'application/json',
      accept: 'application/json',
      'x-api-key': API_KEY,
      'x-idempotency-key': 'batch-42',
      'user-agent': `rxtel/${VERSION} node/${nodeVersion}`,
    });
    expect(JSON.parse(request?.body ?? '')).toEqual({
      session_id: SESSION_ID,
      platform: platformName,
      sdk_version: VERSION,
      process_uuid: processUuid,
      events: batch,
    });
  });

  it('sends no x-api-key header without an API key', async () => {
    const s = await serve();
    await new TinkerHttpSink({ endpoint: s.url }).export(batch, live(), context());
    expect(s.requests[0]?.headers).not.toHaveProperty('x-api-key');
  });

  it('keeps the idempotency key equal to the batch id across retries, and distinct per batch', async () => {
    const s = await serve({ status: 500 });
    const sink = sinkFor(s.url);
    await sink.export(batch, live(), context('batch-a', 0));
    await sink.export(batch, live(), context('batch-a', 1));
    await sink.export(batch, live(), context('batch-b', 0));
    expect(s.requests.map((r) => r.headers['x-idempotency-key'])).toEqual(['batch-a', 'batch-a', 'batch-b']);
  });

  it.each<[string, ScriptedReply, Record<string, unknown>]>([
    ['204 → success', { status: 204 }, { status: 'success' }],
    ['503 + Retry-After: 2 → retryable in 2000 ms', { status: 503, headers: { 'retry-after': '2' } }, { status: 'retryable', retryAfterMs: 2000 }],
    ['429 + retry-after-ms → retryable', { status: 429, headers: { 'retry-after-ms': '1500' } }, { status: 'retryable', retryAfterMs: 1500 }],
    ['Retry-After date, injected clock', { status: 503, headers: { 'retry-after': 'Thu, 01 Jan 2026 00:00:07 GMT' } }, { retryAfterMs: 7000 }],
    ['413 → failure asking for a split', { status: 413 }, { status: 'failure', payloadTooLarge: true }],
    ['400 + x-should-retry: true → retryable', { status: 400, headers: { 'x-should-retry': 'true' } }, { status: 'retryable' }],
    ['503 + x-should-retry: false → failure', { status: 503, headers: { 'x-should-retry': 'false' } }, { status: 'failure' }],
  ])('%s', async (_label, reply, expected) => {
    const s = await serve(reply);
    const result = await sinkFor(s.url, { now: () => Date.UTC(2026, 0, 1) }).export(batch, live(), context());
    expect(result).toMatchObject(expected);
    if (result.status !== 'success') expect(errorOf(result)).toMatchObject({ status: reply.status, code: 'ERR_RXTEL_HTTP' });
  });

  it('400 is a failure naming sink and status, with a body excerpt of at most 512 chars', async () => {
    const body = `{"detail":"session_id: uuid_parsing","pad":"${'p'.repeat(1000)}"}`;
    const s = await serve({ status: 400, headers: { 'content-type': 'application/json' }, body });
    const result = await sinkFor(s.url, { name: 'backend' }).export(batch, live(), context());
    expect(result.status).toBe('failure');
    expect(errorOf(result)).toMatchObject({ status: 400, sink: 'backend', body: body.slice(0, 512) });
    expect(errorOf(result).message).toBe('backend: HTTP 400 Bad Request from POST /api/v1/telemetry');
  });

  it('connection refused is a retryable network error', async () => {
    const s = await serve();
    await s.close();
    const result = await sinkFor(s.url).export(batch, live(), context());
    expect(result.status).toBe('retryable');
    expect(errorOf(result)).toMatchObject({ code: 'ERR_RXTEL_NETWORK', message: 'tinker: network error (ECONNREFUSED)' });
  });

  it.each<[string, unknown, string, string]>([
    ['a TimeoutError reason is a retryable timeout', new DOMException('t', 'TimeoutError'), 'retryable', 'ERR_RXTEL_TIMEOUT'],
    ['another reason is an aborted failure', new Error('stop deadline'), 'failure', 'ERR_RXTEL_ABORTED'],
  ])('a hanging request aborted with %s', async (_label, reason, status, code) => {
    const s = await serve();
    const result = await abortMidRequest(s, sinkFor(s.url), reason);
    expect(result.status).toBe(status);
    expect(errorOf(result).code).toBe(code);
  });

  it('an already aborted signal resolves (never rejects) without waiting', async () => {
    const s = await serve();
    const controller = new AbortController();
    controller.abort();
    const result = await sinkFor(s.url).export(batch, controller.signal, context());
    expect(errorOf(result).code).toBe('ERR_RXTEL_ABORTED');
  });

  it("the sink's own timeout is a retryable timeout and leaves the caller's signal alone", async () => {
    const s = await serve({ hang: true });
    const signal = live();
    const result = await sinkFor(s.url, { timeoutMs: 50 }).export(batch, signal, context());
    expect(result.status).toBe('retryable');
    expect(errorOf(result)).toMatchObject({ code: 'ERR_RXTEL_TIMEOUT', message: 'tinker: request timed out' });
    expect(signal.aborted).toBe(false);
  });

  it('after shutdown, exports fail without a request; shutdown is idempotent', async () => {
    const s = await serve();
    const sink = sinkFor(s.url);
    const first = sink.shutdown();
    expect(sink.shutdown()).toBe(first);
    await first;
    const result = await sink.export(batch, live(), context());
    expect(result.status).toBe('failure');
    expect(errorOf(result)).toMatchObject({ code: 'ERR_RXTEL_SHUTDOWN', sink: 'tinker' });
    expect(s.requests).toHaveLength(0);
  });

  it('rejects an unusable timeoutMs at construction', () => {
    for (const timeoutMs of [0, -1, 1.5, Number.NaN, 2 ** 31]) {
      expect(() => new TinkerHttpSink({ endpoint: 'http://127.0.0.1', timeoutMs })).toThrow(ConfigError);
    }
  });

  it.each(UNSENDABLE_SECRETS)('refuses an API key with %s at construction: a ConfigError naming apiKey, without the key', (_label, secret, kind) => {
    let thrown: unknown;
    try {
      new TinkerHttpSink({ endpoint: 'http://127.0.0.1', apiKey: secret });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect(thrown).toMatchObject({ option: 'apiKey' });
    expect((thrown as Error).message).toMatch(kind);
    expectNoPieceOf(secret, String((thrown as Error).stack));
  });

  it('sends an API key with surrounding whitespace trimmed, and keeps the trimmed key out of an echoed answer', async () => {
    const s = await serve();
    s.setHandler((req) => ({ status: 401, body: `unknown key ${String(req.headers['x-api-key'])}` }));
    const result = await sinkFor(s.url, { apiKey: ` ${API_KEY}\r\n` }).export(batch, live(), context());
    expect(s.requests[0]?.headers['x-api-key']).toBe(API_KEY);
    expect(errorOf(result).body).toBe('unknown key [redacted]');
    expect(() => new TinkerHttpSink({ endpoint: s.url, apiKey: ' \n' })).toThrow(ConfigError);
  });

  it('never lets the API key into a result, even when the backend echoes it', async () => {
    const s = await serve();
    // The answered requests go through a sink with the default timeout, so that no answer races a
    // short one; the sink's own timeout comes from a second sink, against a server that never answers.
    const sink = sinkFor(s.url);
    const hurried = sinkFor(s.url, { timeoutMs: 50 });
    const results: ExportResult[] = [];
    for (const status of [400, 401, 413, 503]) {
      s.setHandler((req) => ({ status, body: `bad key ${String(req.headers['x-api-key'])} in ${JSON.stringify(req.headers)}` }));
      results.push(await sink.export(batch, live(), context()));
    }
    s.setHandler(() => ({ hang: true }));
    results.push(await hurried.export(batch, live(), context()));
    results.push(await abortMidRequest(s, sink, new DOMException('t', 'TimeoutError')));
    await s.close();
    results.push(await sink.export(batch, live(), context()));
    await sink.shutdown();
    await hurried.shutdown();
    results.push(await sink.export(batch, live(), context()));
    expect(results.map((r) => r.status)).toEqual(['failure', 'failure', 'failure', 'retryable', 'retryable', 'retryable', 'retryable', 'failure']);
    expect(results.map((r) => (r.status === 'success' ? undefined : (r.error as ExportError).code))).toEqual([
      'ERR_RXTEL_HTTP', 'ERR_RXTEL_HTTP', 'ERR_RXTEL_HTTP', 'ERR_RXTEL_HTTP', 'ERR_RXTEL_TIMEOUT', 'ERR_RXTEL_TIMEOUT', 'ERR_RXTEL_NETWORK', 'ERR_RXTEL_SHUTDOWN',
    ]);
    expect(errorOf(results[0] as ExportResult).body).toContain('bad key [redacted]');
    for (const result of results) {
      const error = errorOf(result);
      expect(JSON.stringify(result)).not.toContain(API_KEY);
      expect(inspect(result, { showHidden: true, depth: Infinity, getters: true })).not.toContain(API_KEY);
      expect(error.cause).toBeUndefined();
      expect(Object.values(error).map(String).join('\n')).not.toContain(API_KEY);
    }
    for (const used of [sink, hurried]) expect(inspect(used, { showHidden: true, depth: Infinity })).not.toContain(API_KEY);
  });
});

import { afterEach, describe, expect, it } from '@jest/globals';
import { inspect } from 'node:util';
import { ConfigError } from '../../src/errors/config-error.js';
import { ExportError } from '../../src/errors/export-error.js';
import type { TelemetryEvent } from '../../src/events/wire.js';
import { encodeBatch } from '../../src/sinks/langfuse/encode.js';
import { LangfuseSink, readIngestionResponse, type LangfuseSinkOptions } from '../../src/sinks/langfuse-sink.js';
import type { ExportContext, ExportResult } from '../../src/sinks/sink.js';
import { VERSION } from '../../src/version.js';
import { startScriptedServer, type RecordedRequest, type ScriptedReply, type ScriptedServer } from '../helpers/scripted-http-server.js';
import { expectNoPieceOf, UNSENDABLE_SECRETS } from '../helpers/secrets.js';

const PUBLIC_KEY = 'pk-lf-test-public-0123';
const SECRET_KEY = 'sk-lf-test-secret-4567-abcdef';
const CREDENTIALS = Buffer.from(`${PUBLIC_KEY}:${SECRET_KEY}`).toString('base64');
const SESSION_ID = '0b6f3c9e-3f5a-4c1e-9a53-0d2f4f1b7a10';
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const TS = '2026-01-01T00:00:01.000000Z';

const generic = (id: string, index: number, data: Record<string, unknown> = {}): TelemetryEvent => ({
  event: 'GENERIC_EVENT',
  event_id: id,
  event_session_index: index,
  severity: 'INFO',
  timestamp: TS,
  event_name: 'user.action',
  event_data: data,
});
const span = (id: string, index: number, spanId: string): TelemetryEvent => ({
  event: 'GENERIC_EVENT',
  event_id: id,
  event_session_index: index,
  severity: 'INFO',
  timestamp: TS,
  event_name: 'span',
  event_data: { name: 'step', trace_id: TRACE, span_id: spanId, start_time: TS, end_time: TS, duration_ms: 0, status: 'ok', attributes: {} },
});
const generation: TelemetryEvent = {
  event: 'GENERIC_EVENT',
  event_id: 'g1',
  event_session_index: 9,
  severity: 'INFO',
  timestamp: TS,
  event_name: 'llm.generation',
  event_data: { model: 'm', input: 'secret prompt', output: 'raw answer', start_time: '2026-01-01T00:00:00Z', end_time: '2026-01-01T00:00:01Z' },
};
// Positions 0..3: session trace (0, 1), span trace (2, 3).
const batch: TelemetryEvent[] = [generic('e0', 0), generic('e1', 1), span('e2', 2, '00f067aa0ba902b7'), span('e3', 3, '1a2b3c4d5e6f7081')];
const context = (batchId = 'batch-1', attempt = 0): ExportContext => ({ batchId, attempt, sessionId: SESSION_ID });
const live = (): AbortSignal => new AbortController().signal;

interface Item {
  id: string;
  type: string;
  timestamp: string;
  body: Record<string, unknown>;
}
const itemsOf = (req: RecordedRequest | undefined): Item[] => (JSON.parse(req?.body ?? '{}') as { batch: Item[] }).batch;

/** A Langfuse-like 207: `statusOf(item)` decides each item's status (201 when undefined). */
function multiStatus(statusOf: (item: Item) => number | undefined) {
  return (req: RecordedRequest): ScriptedReply => {
    const successes: unknown[] = [];
    const errors: unknown[] = [];
    for (const item of itemsOf(req)) {
      const status = statusOf(item) ?? 201;
      if (status < 300) successes.push({ id: item.id, status });
      else errors.push({ id: item.id, status, message: status >= 500 ? 'Internal Server Error' : 'Invalid request data', error: 'details' });
    }
    return { status: 207, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ successes, errors }) };
  };
}

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(handler?: (req: RecordedRequest) => ScriptedReply): Promise<ScriptedServer> {
  server = await startScriptedServer(handler ?? multiStatus(() => undefined));
  return server;
}

function sinkFor(url: string, extra: Partial<LangfuseSinkOptions> = {}): LangfuseSink {
  return new LangfuseSink({ baseUrl: url, publicKey: PUBLIC_KEY, secretKey: SECRET_KEY, ...extra });
}

function errorOf(result: ExportResult): ExportError {
  expect(result.error).toBeInstanceOf(ExportError);
  return result.error as ExportError;
}

describe('LangfuseSink', () => {
  it('POSTs the ingestion batch with Basic auth and the SDK headers and succeeds when every item is 201', async () => {
    const s = await serve();
    const sink = sinkFor(`${s.url}/`);
    expect(sink).toMatchObject({ name: 'langfuse', contentCapture: 'redacted', maxBatchBytes: 2_000_000 });
    const result = await sink.export(batch, live(), context());
    expect(result).toEqual({ status: 'success' });
    expect(s.requests).toHaveLength(1);
    const [request] = s.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/api/public/ingestion' });
    expect(request?.headers).toMatchObject({
      authorization: `Basic ${CREDENTIALS}`,
      'content-type': 'application/json',
      'x-langfuse-sdk-name': 'rxtel',
      'x-langfuse-sdk-version': VERSION,
    });
    const body = JSON.parse(request?.body ?? '') as { batch: Item[]; metadata: unknown };
    expect(body.metadata).toEqual({ sdk_name: 'rxtel', sdk_version: VERSION });
    expect(body.batch).toEqual(encodeBatch(batch, { sessionId: SESSION_ID }).items);
    expect(body.batch.map((i) => i.type)).toEqual(['trace-create', 'trace-create', 'event-create', 'event-create', 'span-create', 'span-create']);
    expect(body.batch[0]?.body).toMatchObject({ id: SESSION_ID, sessionId: SESSION_ID });
    expect(body.batch[1]?.body).toMatchObject({ id: TRACE, sessionId: SESSION_ID });
  });

  it('keeps a base URL path prefix, and sends environment and release', async () => {
    const s = await serve();
    await sinkFor(`${s.url}/langfuse//`, { environment: 'prod', release: 'v7' }).export(batch, live(), context());
    expect(s.requests[0]?.path).toBe('/langfuse/api/public/ingestion');
    const items = itemsOf(s.requests[0]);
    expect(items.every((i) => i.body.environment === 'prod')).toBe(true);
    expect(items.filter((i) => i.type === 'trace-create').map((i) => i.body.release)).toEqual(['v7', 'v7']);
  });

  it('gzips the body when asked', async () => {
    const s = await serve();
    await sinkFor(s.url, { compression: 'gzip' }).export(batch, live(), context());
    expect(s.requests[0]?.headers['content-encoding']).toBe('gzip');
    // The recorded body is the raw gzip stream read as UTF-8; only the header is checked here.
    expect(s.requests[0]?.body).not.toContain('trace-create');
  });

  it('sends the same item ids for two exports of the same batch', async () => {
    const s = await serve(multiStatus(() => 500));
    const sink = sinkFor(s.url);
    await sink.export(batch, live(), context('b', 0));
    await sink.export(batch.map((e) => ({ ...e })), live(), context('b', 1));
    const [first, second] = s.requests.map((r) => itemsOf(r).map((i) => i.id));
    expect(first).toHaveLength(6);
    expect(second).toEqual(first);
    expect(first?.slice(2)).toEqual(['e0', 'e1', 'e2', 'e3']);
  });

  it('207 with 201, 400 and 500 items: retries only the 500 positions and names the 400s as refused', async () => {
    const s = await serve(multiStatus((item) => ({ e1: 400, e3: 500 } as Record<string, number>)[item.id]));
    const result = await sinkFor(s.url).export(batch, live(), context());
    expect(result).toEqual({ status: 'retryable', only: [3], refusedPositions: [1], rejected: 1, error: expect.any(ExportError) });
    expect(errorOf(result)).toMatchObject({ status: 207, code: 'ERR_RXTEL_PARTIAL', sink: 'langfuse' });
    expect(errorOf(result).message).toBe(
      'langfuse: HTTP 207, 2 of 6 Langfuse items failed (1 event(s) to retry, 1 rejected); first: 400: Invalid request data',
    );
  });

  it('207 with only 400 items: success naming the refused positions (and their count)', async () => {
    const s = await serve(multiStatus((item) => (item.id === 'e2' || item.id === 'e0' ? 400 : undefined)));
    const result = await sinkFor(s.url).export(batch, live(), context());
    expect(result).toEqual({ status: 'success', refusedPositions: [0, 2], rejected: 2, error: expect.any(ExportError) });
    expect(result).not.toHaveProperty('only');
    expect(errorOf(result).code).toBe('ERR_RXTEL_PARTIAL');
  });

  it('a failed trace-create counts against every event of its trace; an item refused for good stays rejected', async () => {
    const s = await serve(multiStatus((item) => (item.type === 'trace-create' && item.body.id === TRACE ? 503 : undefined)));
    const sink = sinkFor(s.url);
    expect(await sink.export(batch, live(), context())).toMatchObject({ status: 'retryable', only: [2, 3] });
    s.setHandler(multiStatus((item) => (item.type === 'trace-create' && item.body.id === TRACE ? 429 : item.id === 'e3' ? 400 : undefined)));
    expect(await sink.export(batch, live(), context())).toMatchObject({ status: 'retryable', only: [2], refusedPositions: [3], rejected: 1 });
    s.setHandler(multiStatus((item) => (item.type === 'trace-create' && item.body.id === SESSION_ID ? 400 : undefined)));
    expect(await sink.export(batch, live(), context())).toMatchObject({ status: 'success', refusedPositions: [0, 1], rejected: 2 });
  });

  it('a 2xx without readable item errors is a success', async () => {
    const s = await serve(() => ({ status: 207, body: '{"successes":[{"id":"e0","status":201}' }));
    const sink = sinkFor(s.url);
    expect(await sink.export(batch, live(), context())).toEqual({ status: 'success' });
    s.setHandler(() => ({ status: 207, body: '{"successes":[],"errors":[{"id":"not-ours","status":500}]}' }));
    expect(await sink.export(batch, live(), context())).toEqual({ status: 'success' });
    s.setHandler(() => ({ status: 200, body: '' }));
    expect(await sink.export(batch, live(), context())).toEqual({ status: 'success' });
  });

  it('503 with Retry-After is retryable with the delay', async () => {
    const s = await serve(() => ({ status: 503, headers: { 'retry-after': '2' } }));
    const result = await sinkFor(s.url).export(batch, live(), context());
    expect(result).toMatchObject({ status: 'retryable', retryAfterMs: 2000 });
    expect(result).not.toHaveProperty('only');
    expect(errorOf(result)).toMatchObject({ status: 503, code: 'ERR_RXTEL_HTTP' });
  });

  it('401 is a failure, and neither key leaks even when the server echoes them', async () => {
    const echo = (status: number) => (req: RecordedRequest): ScriptedReply => ({
      status,
      body: JSON.stringify({
        message: `bad credentials ${String(req.headers.authorization)} (${PUBLIC_KEY}:${SECRET_KEY})`,
        successes: [],
        errors: itemsOf(req).map((i) => ({ id: i.id, status: 400, message: `key ${SECRET_KEY} refused` })),
      }),
    });
    const s = await serve(echo(401));
    const sink = sinkFor(s.url);
    const results = [await sink.export(batch, live(), context())];
    expect(results[0]?.status).toBe('failure');
    expect(errorOf(results[0] as ExportResult)).toMatchObject({ status: 401, code: 'ERR_RXTEL_HTTP' });
    expect(errorOf(results[0] as ExportResult).body).toContain('bad credentials Basic [redacted]');
    s.setHandler(echo(207));
    results.push(await sink.export(batch, live(), context()));
    expect(results[1]).toMatchObject({ status: 'success', refusedPositions: [0, 1, 2, 3], rejected: 4 });
    expect(errorOf(results[1] as ExportResult).message).toContain('key [redacted] refused');
    await sink.shutdown();
    results.push(await sink.export(batch, live(), context()));
    for (const result of results) {
      const text = [JSON.stringify(result), inspect(result, { showHidden: true, depth: Infinity, getters: true }), ...Object.values(errorOf(result)).map(String)].join('\n');
      for (const secret of [SECRET_KEY, CREDENTIALS]) expect(text).not.toContain(secret);
      expect(errorOf(result).cause).toBeUndefined();
    }
    expect(inspect(sink, { showHidden: true, depth: Infinity })).not.toContain(SECRET_KEY);
    expect(inspect(sink, { showHidden: true, depth: Infinity })).not.toContain(CREDENTIALS);
  });

  it('after shutdown, exports fail without a request; shutdown is idempotent', async () => {
    const s = await serve();
    const sink = sinkFor(s.url);
    const first = sink.shutdown();
    expect(sink.shutdown()).toBe(first);
    await first;
    const result = await sink.export(batch, live(), context());
    expect(result.status).toBe('failure');
    expect(errorOf(result)).toMatchObject({ code: 'ERR_RXTEL_SHUTDOWN', sink: 'langfuse' });
    expect(s.requests).toHaveLength(0);
  });

  it('replaces generation input and output unless contentCapture is raw', async () => {
    const s = await serve();
    await sinkFor(s.url).export([generation], live(), context());
    await sinkFor(s.url, { contentCapture: 'raw', name: 'lf-raw' }).export([generation], live(), context());
    const [redacted, raw] = s.requests.map((r) => itemsOf(r).find((i) => i.type === 'generation-create')?.body);
    expect(redacted).toMatchObject({ input: { redacted: true, chars: 13 }, output: { redacted: true, chars: 10 } });
    expect(s.requests[0]?.body).not.toContain('secret prompt');
    expect(raw).toMatchObject({ input: 'secret prompt', output: 'raw answer' });
  });

  it('connection refused is retryable', async () => {
    const s = await serve();
    await s.close();
    const result = await sinkFor(s.url).export(batch, live(), context());
    expect(result.status).toBe('retryable');
    expect(errorOf(result).code).toBe('ERR_RXTEL_NETWORK');
  });

  it.each<[string, Partial<LangfuseSinkOptions>, string]>([
    ['missing publicKey', { publicKey: undefined as unknown as string }, 'publicKey'],
    ['blank publicKey', { publicKey: '  ' }, 'publicKey'],
    ['missing secretKey', { secretKey: undefined as unknown as string }, 'secretKey'],
    ['blank secretKey', { secretKey: '' }, 'secretKey'],
    ['ftp baseUrl', { baseUrl: 'ftp://langfuse.example.com' }, 'baseUrl'],
    ['unparseable baseUrl', { baseUrl: 'cloud.langfuse.com' }, 'baseUrl'],
    ['missing baseUrl', { baseUrl: undefined as unknown as string }, 'baseUrl'],
    ['upper-case environment', { environment: 'Prod' }, 'environment'],
    ['reserved environment', { environment: 'langfuse-prod' }, 'environment'],
    ['contentCapture', { contentCapture: 'all' as unknown as 'raw' }, 'contentCapture'],
    ['maxBatchBytes', { maxBatchBytes: 0 }, 'maxBatchBytes'],
    ['timeoutMs', { timeoutMs: 0 }, 'timeoutMs'],
    ['compression', { compression: 'br' as unknown as 'gzip' }, 'compression'],
  ])('rejects %s with a ConfigError naming the option', (_label, extra, option) => {
    let thrown: unknown;
    try {
      sinkFor('https://cloud.langfuse.com', extra);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect(thrown).toMatchObject({ option });
    expect((thrown as Error).message).toContain(`\`${option}\``);
    expect((thrown as Error).message).not.toContain(SECRET_KEY);
  });

  it.each(UNSENDABLE_SECRETS)('refuses a key with %s: a ConfigError naming publicKey / secretKey, without the key', (_label, secret, kind) => {
    for (const option of ['publicKey', 'secretKey'] as const) {
      let thrown: unknown;
      try {
        sinkFor('https://cloud.langfuse.com', { [option]: secret });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ConfigError);
      expect(thrown).toMatchObject({ option });
      expect((thrown as Error).message).toMatch(new RegExp(`^Invalid option \`${option}\` \\(the Langfuse project's`));
      expect((thrown as Error).message).toMatch(kind);
      expectNoPieceOf(secret, String((thrown as Error).stack));
    }
  });

  it('trims the keys before encoding them, as a header value would be', async () => {
    const s = await serve();
    await sinkFor(s.url, { publicKey: ` ${PUBLIC_KEY}\n`, secretKey: `${SECRET_KEY}\r\n` }).export(batch, live(), context());
    expect(s.requests[0]?.headers.authorization).toBe(`Basic ${CREDENTIALS}`);
  });
});

describe('readIngestionResponse', () => {
  const encoded = encodeBatch(batch, { sessionId: SESSION_ID });
  it('returns retryable positions sorted, without rejected when none', () => {
    const body = JSON.stringify({ successes: [], errors: [{ id: 'e3', status: 500 }, { id: 'e0', status: 502 }] });
    expect(readIngestionResponse('lf', 207, body, encoded)).toMatchObject({ status: 'retryable', only: [0, 3] });
    expect(readIngestionResponse('lf', 207, body, encoded)).not.toHaveProperty('rejected');
    expect(readIngestionResponse('lf', 207, body, encoded)).not.toHaveProperty('refusedPositions');
  });

  it('names each refused position once, an item error for a position refused and retried counting as refused', () => {
    const traceItem = encoded.items.find((i) => i.type === 'trace-create' && i.body.id === TRACE)!;
    const body = JSON.stringify({
      successes: [],
      // e3 twice (a 400 and a 500), the span trace 503 (positions 2 and 3), e0 409.
      errors: [{ id: 'e3', status: 400 }, { id: 'e3', status: 500 }, { id: traceItem.id, status: 503 }, { id: 'e0', status: 409 }],
    });
    expect(readIngestionResponse('lf', 207, body, encoded)).toMatchObject({ status: 'retryable', only: [2], refusedPositions: [0, 3], rejected: 2 });
  });

  it('ignores malformed error entries and bodies whose errors are not a list', () => {
    const malformed = JSON.stringify({ successes: [], errors: [{ id: 'e0' }, { status: 500 }, null, 'e1', { id: 3, status: 500 }] });
    expect(readIngestionResponse('lf', 207, malformed, encoded)).toEqual({ status: 'success' });
    expect(readIngestionResponse('lf', 207, '{"errors":{"id":"e0","status":500}}', encoded)).toEqual({ status: 'success' });
    expect(readIngestionResponse('lf', 207, 'null', encoded)).toEqual({ status: 'success' });
  });
});

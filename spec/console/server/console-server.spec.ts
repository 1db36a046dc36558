import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createReporter } from '../../../src/create-reporter.js';
import { startConsoleServer, type ConsoleServer } from '../../../src/console/server/console-server.js';
import type { SessionSummary } from '../../../src/console/model.js';
import { LangfuseSink } from '../../../src/sinks/langfuse-sink.js';
import { OtlpHttpSink } from '../../../src/sinks/otlp-http-sink.js';
import { makeBatch } from '../../helpers/wire-fixtures.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function folder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'rxtel-console-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function start(options: { dir?: string; apiKey?: string; uiDir?: string; maxBytes?: number } = {}): Promise<ConsoleServer> {
  const console = await startConsoleServer({ port: 0, dir: options.dir ?? (await folder()), ...options });
  cleanups.push(() => console.close());
  return console;
}

const getJson = async <T = Record<string, unknown>>(url: string): Promise<T> => {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return (await response.json()) as T;
};

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

/** A raw GET with a Host header of our choosing (fetch does not let a caller set Host). */
function getWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { headers: { host } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
    request.end();
  });
}

describe('rxtel console server', () => {
  it('shows a reporter session sent over Tinker: status, counts, events by page and filter', async () => {
    const console = await start();
    const reporter = createReporter({ endpoint: console.url, flushIntervalMs: 0 });
    reporter.log('page.view', { page: '/home' });
    reporter.log('cache.miss', { key: 'k' }, 'WARNING');
    reporter.logException(new Error('outer', { cause: new TypeError('inner') }));
    expect(await reporter.stop()).toBe(true);

    const { sessions } = await getJson<{ sessions: SessionSummary[] }>(`${console.url}/api/console/sessions`);
    expect(sessions).toHaveLength(1);
    const session = sessions[0]!;
    expect(session).toMatchObject({ id: reporter.sessionId, status: 'ended', exceptions: 1, sources: ['tinker'] });
    expect(session.events).toBeGreaterThanOrEqual(5);
    const base = `${console.url}/api/console/sessions/${encodeURIComponent(reporter.sessionId)}`;
    const all = await getJson<{ total: number; events: { name: string; seq: number }[] }>(`${base}/events?limit=2`);
    expect(all.total).toBe(session.events);
    expect(all.events.map((event) => event.seq)).toEqual([0, 1]);
    const warnings = await getJson<{ total: number; events: { name: string }[] }>(`${base}/events?severity=WARNING`);
    expect(warnings.events.map((event) => event.name)).toEqual(['cache.miss']);
    const exceptions = await getJson<{ events: { exception?: { chain: { type: string; message: string }[] } }[] }>(`${base}/events?kind=exception`);
    expect(exceptions.events[0]?.exception?.chain.map((part) => `${part.type}: ${part.message}`)).toEqual(['Error: outer', 'TypeError: inner']);
    const found = await getJson<{ total: number }>(`${base}/events?q=%2Fhome`);
    expect(found.total).toBe(1);
    const histogram = await getJson<{ counts: Record<string, number[]> }>(`${base}/histogram?buckets=10`);
    expect(histogram.counts['WARNING']?.reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('takes OTLP/HTTP JSON logs and traces from OtlpHttpSink and Langfuse ingestion from LangfuseSink', async () => {
    const console = await start();
    const otlp = createReporter({ sinks: [new OtlpHttpSink({ endpoint: console.url, serviceName: 'checkout' })], flushIntervalMs: 0 });
    const span = otlp.startSpan('charge');
    otlp.log('charged', { amount: 3 });
    span.end();
    expect(await otlp.stop()).toBe(true);
    const langfuse = createReporter({ sinks: [new LangfuseSink({ baseUrl: console.url, publicKey: 'pk-lf-1', secretKey: 'sk-lf-1' })], flushIntervalMs: 0 });
    langfuse.track({ type: 'generation', model: 'gpt-4o', usage: { input_tokens: 3, output_tokens: 4 }, start_time: new Date(1), end_time: new Date(1001) });
    expect(await langfuse.stop()).toBe(true);

    const { sessions } = await getJson<{ sessions: SessionSummary[] }>(`${console.url}/api/console/sessions`);
    const byId = new Map(sessions.map((session) => [session.id, session]));
    expect(byId.get(otlp.sessionId)).toMatchObject({ service: 'checkout', sources: ['otlp'] });
    const traces = await getJson<{ traces: { trace_id: string; name: string }[] }>(`${console.url}/api/console/sessions/${otlp.sessionId}/traces`);
    expect(traces.traces.map((trace) => trace.name)).toContain('charge');
    const langfuseSession = sessions.find((session) => session.sources.includes('langfuse'));
    expect(langfuseSession).toBeDefined();
    const llm = await getJson<{ events: { llm?: { model?: string } }[] }>(`${console.url}/api/console/sessions/${encodeURIComponent(langfuseSession!.id)}/events?kind=llm`);
    expect(llm.events.map((event) => event.llm?.model)).toContain('gpt-4o');
  });

  it('answers each protocol as its server does when the body is wrong', async () => {
    const console = await start();
    expect((await post(`${console.url}/api/v1/telemetry`, '{"session_id":"nope"}')).status).toBe(422);
    expect((await post(`${console.url}/api/v1/telemetry`, '{not json')).status).toBe(400);
    const protobuf = await fetch(`${console.url}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: new Uint8Array([1, 2, 3]) });
    expect(protobuf.status).toBe(400);
    expect(protobuf.headers.get('content-type')).toBe('application/x-protobuf');
    const otherProtobuf = await fetch(`${console.url}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/vnd.google.protobuf' }, body: new Uint8Array([1, 2, 3]) });
    expect(otherProtobuf.status).toBe(415);
    expect(((await otherProtobuf.json()) as { message: string }).message).toMatch(/application\/x-protobuf or application\/json/);
    expect((await post(`${console.url}/v1/traces`, '{oops')).status).toBe(400);
    const gzipped = await fetch(`${console.url}/api/v1/telemetry`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync(JSON.stringify(makeBatch(2))),
    });
    expect(gzipped.status).toBe(200);
    expect((await fetch(`${console.url}/v1/logs`)).status).toBe(405);
    const preflight = await fetch(`${console.url}/v1/traces`, { method: 'OPTIONS' });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('refuses ingest without the --api-key, wherever a client puts it, and takes it in each place', async () => {
    const console = await start({ apiKey: 's3cret' });
    const batch = () => makeBatch(1);
    expect((await post(`${console.url}/api/v1/telemetry`, batch())).status).toBe(401);
    expect((await post(`${console.url}/api/v1/telemetry`, batch(), { 'x-api-key': 'wrong' })).status).toBe(401);
    expect((await post(`${console.url}/api/v1/telemetry`, batch(), { 'x-api-key': 's3cret' })).status).toBe(200);
    expect((await post(`${console.url}/v1/logs`, { resourceLogs: [] }, { authorization: 'Bearer s3cret' })).status).toBe(200);
    const basic = `Basic ${Buffer.from('pk-lf-1:s3cret').toString('base64')}`;
    expect((await post(`${console.url}/api/public/ingestion`, { batch: [] }, { authorization: basic })).status).toBe(207);
    const info = await getJson<{ api_key_required: boolean }>(`${console.url}/api/console/info`);
    expect(info.api_key_required).toBe(true);
    expect(JSON.stringify(info)).not.toContain('s3cret');
  });

  it('keeps what it stored across a restart', async () => {
    const dir = await folder();
    const first = await startConsoleServer({ port: 0, dir });
    const batch = makeBatch(4);
    expect((await post(`${first.url}/api/v1/telemetry`, batch)).status).toBe(200);
    await first.close();
    const second = await start({ dir });
    const { sessions } = await getJson<{ sessions: SessionSummary[] }>(`${second.url}/api/console/sessions`);
    expect(sessions.map((session) => [session.id, session.events])).toEqual([[batch.session_id, 4]]);
  });

  it('streams session changes over Server-Sent Events', async () => {
    const console = await start();
    const controller = new AbortController();
    cleanups.push(async () => controller.abort());
    const response = await fetch(`${console.url}/api/console/stream`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = response.body!.getReader();
    const batch = makeBatch(2);
    expect((await post(`${console.url}/api/v1/telemetry`, batch)).status).toBe(200);
    let text = '';
    while (!text.includes('event: session')) text += new TextDecoder().decode((await reader.read()).value);
    const data = /event: session\ndata: (.*)\n/.exec(text)?.[1];
    expect(JSON.parse(data ?? '{}')).toMatchObject({ id: batch.session_id, events: 2 });
  });

  it('answers the UI and the API only as a loopback host (no DNS rebinding), and 400 to a bad query', async () => {
    const console = await start();
    expect(await getWithHost(`${console.url}/api/console/sessions`, 'evil.example:4318')).toBe(421);
    expect(await getWithHost(`${console.url}/api/console/sessions`, `localhost:${console.port}`)).toBe(200);
    expect(await getWithHost(`${console.url}/api/console/sessions`, `[::1]:${console.port}`)).toBe(200);
    const batch = makeBatch(1);
    await post(`${console.url}/api/v1/telemetry`, batch);
    const bad = await fetch(`${console.url}/api/console/sessions/${batch.session_id}/events?severity=LOUD`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/severity: `LOUD` is not one of DEBUG, INFO, WARNING, ERROR, CRITICAL/);
    expect((await fetch(`${console.url}/api/console/sessions/${batch.session_id}/events?limit=5000`)).status).toBe(400);
    expect((await fetch(`${console.url}/api/console/sessions/nope`)).status).toBe(404);
  });

  it('serves the bundled UI with a strict Content-Security-Policy, and nothing outside its folder', async () => {
    const uiDir = join(await folder(), 'ui');
    await mkdir(uiDir);
    await writeFile(join(uiDir, 'index.html'), '<!doctype html><title>rxtel console</title>');
    await writeFile(join(uiDir, 'app.js'), 'console.log(1)');
    const console = await start({ uiDir });
    const page = await fetch(`${console.url}/sessions/abc`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('rxtel console');
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'; style-src 'self'/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await fetch(`${console.url}/app.js`)).headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await getWithHost(`${console.url}/..%2f..%2fpackage.json`, `127.0.0.1:${console.port}`)).toBe(404);
    const missing = await start({ uiDir: join(uiDir, 'absent') });
    const unbuilt = await fetch(`${missing.url}/`);
    expect(unbuilt.status).toBe(503);
    expect(await unbuilt.text()).toMatch(/npm run build/);
  });
});

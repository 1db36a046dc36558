import { afterEach, describe, expect, it } from '@jest/globals';
import ky, { type KyRequest } from 'ky';
import { instrumentKy } from '../../../src/capture/instrument-http.js';
import { TelemetryBus } from '../../../src/bus/telemetry.js';
import { ConfigError } from '../../../src/errors/config-error.js';
import type { TelemetryEvent } from '../../../src/events/wire.js';
import { LangfuseSink } from '../../../src/sinks/langfuse-sink.js';
import { OtlpHttpSink } from '../../../src/sinks/otlp-http-sink.js';
import type { ExportContext } from '../../../src/sinks/sink.js';
import { TinkerHttpSink } from '../../../src/sinks/tinker-http-sink.js';
import { startScriptedServer, type ScriptedServer } from '../../helpers/scripted-http-server.js';

const API_KEY = 'tml-user-ky-secret-0123456789';
const batch: TelemetryEvent[] = [
  { event: 'GENERIC_EVENT', event_id: 'e1', event_session_index: 1, severity: 'INFO', timestamp: '2026-01-01T00:00:01.000000Z', event_name: 'user.action', event_data: { ok: true } },
];
const context: ExportContext = { batchId: 'batch-7', attempt: 0, sessionId: '0b6f3c9e-3f5a-4c1e-9a53-0d2f4f1b7a10' };
const live = (): AbortSignal => new AbortController().signal;

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("an HTTP sink given the user's own ky instance", () => {
  it('sends through it: its hooks see the request with its body and may add headers; the sink keeps its own headers', async () => {
    server = await startScriptedServer();
    const seen: { url: string; body: string; apiKey: string | null }[] = [];
    const api = ky.create({
      headers: { 'x-team': 'ml' },
      hooks: {
        beforeRequest: [
          async (request: KyRequest) => {
            seen.push({ url: request.url, body: await request.clone().text(), apiKey: request.headers.get('x-api-key') });
            request.headers.set('authorization', 'Bearer refreshed-token');
          },
        ],
      },
    });
    const sink = new TinkerHttpSink({ endpoint: server.url, apiKey: API_KEY, ky: api });

    expect(await sink.export(batch, live(), context)).toEqual({ status: 'success' });

    expect(seen).toHaveLength(1);
    expect(seen[0]?.url).toBe(`${server.url}/api/v1/telemetry`);
    expect(JSON.parse(seen[0]?.body ?? '')).toMatchObject({ session_id: context.sessionId, events: batch });
    expect(seen[0]?.apiKey).toBe(API_KEY);
    expect(server.requests[0]?.headers).toMatchObject({
      authorization: 'Bearer refreshed-token',
      'x-team': 'ml',
      'x-api-key': API_KEY,
      'x-idempotency-key': 'batch-7',
      'content-type': 'application/json',
    });
    expect(server.requests[0]?.headers['user-agent']).toMatch(/^rxtel\//);
  });

  it("never retries on its own, whatever the instance's retry says: the reporter owns retry", async () => {
    server = await startScriptedServer(() => ({ reset: true }));
    const api = ky.create({ retry: { limit: 5, methods: ['post'], delay: () => 0 } });
    const result = await new TinkerHttpSink({ endpoint: server.url, ky: api }).export(batch, live(), context);
    expect(result).toMatchObject({ status: 'retryable', error: { code: 'ERR_RXTEL_NETWORK' } });
    expect(server.requests).toHaveLength(1);
  });

  it("sends to the sink's absolute URL even when the instance has a prefixUrl", async () => {
    server = await startScriptedServer();
    const api = ky.create({ prefixUrl: 'http://127.0.0.1:9/elsewhere' });
    const result = await new OtlpHttpSink({ endpoint: server.url, ky: api }).export(batch, live(), context);
    expect(result.status).toBe('success');
    expect(server.requests.map((r) => r.path)).toEqual(['/v1/logs']);
  });

  it("classifies as the default transport does: an answer's body is bounded, the key never in the error, ky's timeout retryable", async () => {
    server = await startScriptedServer(() => ({ status: 400, body: `bad key ${API_KEY} ${'x'.repeat(100_000)}` }));
    const sink = new TinkerHttpSink({ endpoint: server.url, apiKey: API_KEY, ky: ky.create({}), timeoutMs: 50 });
    const refused = await sink.export(batch, live(), context);
    expect(refused.status).toBe('failure');
    expect(JSON.stringify(refused.status === 'success' ? {} : { m: refused.error.message, b: (refused.error as { body?: string }).body })).not.toContain(API_KEY);

    server.setHandler(() => ({ hang: true }));
    const slow = await sink.export(batch, live(), context);
    expect(slow).toMatchObject({ status: 'retryable', error: { code: 'ERR_RXTEL_TIMEOUT' } });
  });

  it('an instrumented instance does not observe the reporter\'s own requests (no feedback loop)', async () => {
    server = await startScriptedServer();
    const bus = new TelemetryBus();
    const events: string[] = [];
    bus.events$.subscribe((e) => events.push(e.name));
    const api = instrumentKy(ky.create({}), { sessionId: context.sessionId, bus });
    await new LangfuseSink({ baseUrl: server.url, publicKey: 'pk-lf-1', secretKey: 'sk-lf-1', ky: api }).export(batch, live(), context);
    await api.post(`${server.url}/app`, { body: '{}' });
    expect(server.requests).toHaveLength(2);
    expect(events).toEqual(['rxtel.http.request.start', 'rxtel.http.request.stop']);
  });

  it('refuses something that is not a ky instance, naming the option', () => {
    expect(() => new TinkerHttpSink({ endpoint: 'http://127.0.0.1', ky: fetch as never })).toThrow(ConfigError);
    expect(() => new TinkerHttpSink({ endpoint: 'http://127.0.0.1', ky: {} as never })).toThrow(/ky/);
  });
});

/**
 * OtlpHttpSink retries what the OTLP/HTTP specification makes retryable, and nothing else
 * (opentelemetry-proto v1.11.0, docs/specification.md, "Retryable Response Codes"): a real reporter
 * and sink against a collector on 127.0.0.1. Every wait is on the reporter's own promises.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { createReporter } from '../../../src/create-reporter.js';
import type { Reporter } from '../../../src/reporter/types.js';
import { OtlpHttpSink } from '../../../src/sinks/otlp-http-sink.js';
import type { ExportContext } from '../../../src/sinks/sink.js';
import type { TelemetryEvent } from '../../../src/events/wire.js';
import { startScriptedServer, type ScriptedHandler, type ScriptedServer } from '../../helpers/scripted-http-server.js';

const context: ExportContext = { batchId: 'batch-1', attempt: 0, sessionId: '0b6f3c9e-3f5a-4c1e-9a53-0d2f4f1b7a10' };
const batch: TelemetryEvent[] = [
  { event: 'GENERIC_EVENT', event_id: 'e1', event_session_index: 1, severity: 'INFO', timestamp: '2026-01-01T00:00:01.000000Z', event_name: 'user.action', event_data: { ok: true } },
];
const accepted = { status: 200, headers: { 'content-type': 'application/json' }, body: '{}' };

let server: ScriptedServer | undefined;
let reporter: Reporter | undefined;
afterEach(async () => {
  await reporter?.stop(1000);
  await server?.close();
  reporter = undefined;
  server = undefined;
});

async function reporterAgainst(handler: ScriptedHandler): Promise<{ reporter: Reporter; server: ScriptedServer }> {
  server = await startScriptedServer(handler);
  reporter = createReporter({
    sinks: [new OtlpHttpSink({ endpoint: server.url })],
    flushIntervalMs: 0,
    retryBaseDelayMs: 10,
    maxRetries: 3,
    logger: { warn: () => undefined },
  });
  return { reporter, server };
}

/** Answers `first` once, then 200. */
function onceThenAccepted(first: { status: number; headers?: Record<string, string> }): ScriptedHandler {
  let answered = 0;
  return () => (answered++ === 0 ? first : accepted);
}

describe('OtlpHttpSink against a collector', () => {
  it('a 500 is not retried, even with x-should-retry: true: one request, the batch failed for this sink', async () => {
    const { reporter, server } = await reporterAgainst(() => ({ status: 500, headers: { 'x-should-retry': 'true' }, body: '{"message":"boom"}' }));
    reporter.log('user.action', { ok: true });
    await reporter.flush();

    expect(server.requests.map((r) => r.path)).toEqual(['/v1/logs']);
    expect(reporter.stats()).toMatchObject({ delivered: 0, retries: 0, dropped: { sendFailed: 2 } });
    expect(reporter.stats().sinks['otlp']?.lastError).toBe('otlp: HTTP 500 Internal Server Error from POST /v1/logs');
  });

  it('a 503 with Retry-After is retried after that delay, then delivered', async () => {
    const sentAt: number[] = [];
    const answer = onceThenAccepted({ status: 503, headers: { 'retry-after': '1' } });
    const { reporter, server } = await reporterAgainst((req) => {
      sentAt.push(performance.now());
      return answer(req);
    });
    reporter.log('user.action', { ok: true });
    await reporter.flush();

    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]?.body).toBe(server.requests[0]?.body);
    expect((sentAt[1] ?? 0) - (sentAt[0] ?? 0)).toBeGreaterThanOrEqual(990);
    expect(reporter.stats()).toMatchObject({ delivered: 2, retries: 1, dropped: { sendFailed: 0 } });
  });

  it.each([429, 502, 504])('a %p is retried', async (status) => {
    const { reporter, server } = await reporterAgainst(onceThenAccepted({ status }));
    reporter.log('user.action', { ok: true });
    await reporter.flush();
    expect(server.requests).toHaveLength(2);
    expect(reporter.stats()).toMatchObject({ delivered: 2, retries: 1 });
  });

  it.each([400, 401, 404, 408, 409, 500, 501, 505])('a %p is not retried', async (status) => {
    const { reporter, server } = await reporterAgainst(onceThenAccepted({ status }));
    reporter.log('user.action', { ok: true });
    await reporter.flush();
    expect(server.requests).toHaveLength(1);
    expect(reporter.stats()).toMatchObject({ delivered: 0, retries: 0, dropped: { sendFailed: 2 } });
  });

  it('a 413 of the logs beside spans that got through: the logs go again as halves, never as the same request', async () => {
    const logRecords = (body: string): number =>
      (JSON.parse(body) as { resourceLogs: { scopeLogs: { logRecords: unknown[] }[] }[] }).resourceLogs.flatMap((r) => r.scopeLogs).flatMap((s) => s.logRecords).length;
    // The collector takes at most 2 log records per request, and spans always.
    const { reporter, server } = await reporterAgainst((req) => (req.path === '/v1/logs' && logRecords(req.body) > 2 ? { status: 413 } : accepted));
    for (let i = 0; i < 4; i++) reporter.log('user.action', { i });
    reporter.startSpan('work').end();
    await reporter.flush();

    const logBodies = server.requests.filter((r) => r.path === '/v1/logs').map((r) => r.body);
    expect(new Set(logBodies).size).toBe(logBodies.length);
    expect(server.requests.filter((r) => r.path === '/v1/traces')).toHaveLength(1);
    expect(reporter.stats()).toMatchObject({ delivered: 6, retries: 0, dropped: { sendFailed: 0 } });
  });

  it('the sink itself: a 500 is a failure after one request; a 503 with Retry-After is retryable after it', async () => {
    server = await startScriptedServer(() => ({ status: 500 }));
    const sink = new OtlpHttpSink({ endpoint: server.url });
    expect(await sink.export(batch, new AbortController().signal, context)).toMatchObject({ status: 'failure', error: { status: 500, code: 'ERR_RXTEL_HTTP' } });
    expect(server.requests).toHaveLength(1);

    server.setHandler(() => ({ status: 503, headers: { 'retry-after': '2', 'retry-after-ms': '5' } }));
    expect(await sink.export(batch, new AbortController().signal, context)).toMatchObject({ status: 'retryable', retryAfterMs: 2000, error: { status: 503 } });
    await sink.shutdown();
  });
});

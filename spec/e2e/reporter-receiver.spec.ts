/**
 * End to end: a real reporter (TinkerHttpSink on ky) against the real receiver on 127.0.0.1.
 * Nothing is mocked; timings are kept small through options, and nothing sleeps on a guess:
 * every wait is on the reporter's own promises or the receiver's events.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { inspect } from 'node:util';
import { createReporter } from '../../src/create-reporter.js';
import type { ReporterOptions } from '../../src/config/options.js';
import type { Reporter } from '../../src/reporter/types.js';
import { startReceiver, type Receiver } from '../../src/receiver/receiver.js';
import { instrumentFetch } from '../../src/capture/instrument-http.js';

const API_KEY = 'sk-test-0123456789-secret';
let receiver: Receiver;
let reporters: Reporter[] = [];
let warnings: string[] = [];

beforeEach(async () => {
  receiver = await startReceiver({ apiKey: API_KEY });
  reporters = [];
  warnings = [];
});

afterEach(async () => {
  await Promise.all(reporters.map((r) => r.stop(1000)));
  await receiver.close();
});

function reporterFor(options: Partial<ReporterOptions> = {}): Reporter {
  const reporter = createReporter({
    endpoint: receiver.url,
    apiKey: API_KEY,
    retryBaseDelayMs: 20,
    flushIntervalMs: 0,
    logger: { warn: (m) => warnings.push(m) },
    ...options,
  });
  reporters.push(reporter);
  return reporter;
}

const posts = () => receiver.requests.filter((r) => r.method === 'POST');

describe('reporter → receiver', () => {
  it('one flush sends SESSION_START and the logged events in one POST with the session id', async () => {
    const reporter = reporterFor();
    reporter.log('user.action', { button: 'submit' });
    reporter.log('cache.miss', { key: 'user:123' }, 'WARNING');
    await reporter.flush();
    expect(posts()).toHaveLength(1);
    const request = posts()[0]!;
    expect(request.headers['x-api-key']).toBe(API_KEY);
    expect(request.headers['user-agent']).toMatch(/^rxtel\/\d+\.\d+\.\d+ node\/\d+/);
    expect(request.headers['x-idempotency-key']).toEqual(expect.any(String));
    expect(receiver.events.map((e) => [e.event, e.session_id, e.event_session_index])).toEqual([
      ['SESSION_START', reporter.sessionId, 0],
      ['GENERIC_EVENT', reporter.sessionId, 1],
      ['GENERIC_EVENT', reporter.sessionId, 2],
    ]);
    expect(receiver.events[2]).toMatchObject({ event_name: 'cache.miss', severity: 'WARNING', event_data: { key: 'user:123' } });
  });

  it('the fatal path delivers the exception and SESSION_END without an explicit flush', async () => {
    const reporter = reporterFor({ flushIntervalMs: 60_000 });
    reporter.log('before');
    expect(await reporter.logFatalException(new TypeError('boom'))).toBe(true);
    expect(receiver.events.map((e) => e.event)).toEqual(['SESSION_START', 'GENERIC_EVENT', 'UNHANDLED_EXCEPTION', 'SESSION_END']);
    expect(receiver.events[2]).toMatchObject({ severity: 'CRITICAL', error_type: 'TypeError', error_message: 'boom', traceback: expect.stringContaining('TypeError: boom') });
  });

  it('stop sends exactly one SESSION_END and is idempotent', async () => {
    const reporter = reporterFor();
    reporter.log('a');
    const [first, second] = await Promise.all([reporter.stop(), reporter.stop()]);
    expect([first, second, await reporter.stop()]).toEqual([true, true, true]);
    expect(receiver.events.filter((e) => e.event === 'SESSION_END')).toHaveLength(1);
    expect(receiver.events.at(-1)).toMatchObject({ event: 'SESSION_END', duration: expect.stringMatching(/^0:00:\d{2}\.\d{6}$/) });
    expect(reporter.log('late')).toBe(false);
    expect(reporter.stats().dropped.stopped).toBe(1);
  });

  it('retries a 503 then succeeds, with growing gaps and a stable idempotency key', async () => {
    receiver.inject({ status: 503, times: 3 });
    const reporter = reporterFor({ retryBaseDelayMs: 40, random: () => 0 });
    reporter.log('a');
    await reporter.flush();
    const attempts = posts();
    expect(attempts.map((r) => r.status)).toEqual([503, 503, 503, 200]);
    expect(new Set(attempts.map((r) => r.headers['x-idempotency-key'])).size).toBe(1);
    const gaps = attempts.slice(1).map((r, i) => r.receivedAtMs - attempts[i]!.receivedAtMs);
    // Backoff 40, 80, 160 ms: each gap at least its backoff, and growing.
    expect(gaps[0]).toBeGreaterThanOrEqual(40);
    expect(gaps[1]).toBeGreaterThanOrEqual(80);
    expect(gaps[2]).toBeGreaterThanOrEqual(160);
    expect(reporter.stats()).toMatchObject({ delivered: 2, retries: 3, dropped: { sendFailed: 0 } });
  });

  it('a second batch gets a different idempotency key', async () => {
    const reporter = reporterFor();
    reporter.log('a');
    await reporter.flush();
    reporter.log('b');
    await reporter.flush();
    const keys = posts().map((r) => r.headers['x-idempotency-key']);
    expect(keys).toHaveLength(2);
    expect(keys[0]).not.toBe(keys[1]);
  });

  it('gives up after maxRetries and counts the batch as sendFailed', async () => {
    receiver.inject({ status: 500, times: 100 });
    const reporter = reporterFor({ maxRetries: 2 });
    reporter.log('a');
    expect(await reporter.waitUntilDrained(5000)).toBe(false);
    expect(posts()).toHaveLength(3);
    expect(reporter.stats()).toMatchObject({ accepted: 2, delivered: 0, dropped: { sendFailed: 2 }, retries: 2, queued: 0 });
    expect(reporter.stats().sinks['tinker']).toMatchObject({ state: 'failed' });
    expect(warnings.join('\n')).toMatch(/gave up on 2 event/);
  });

  it('does not retry a 400', async () => {
    receiver.inject({ status: 400, body: { error: 'bad batch' } });
    const reporter = reporterFor();
    reporter.log('a');
    await reporter.flush();
    expect(posts()).toHaveLength(1);
    expect(reporter.stats().dropped.sendFailed).toBe(2);
  });

  it('waits as long as a 429 Retry-After asks', async () => {
    receiver.inject({ status: 429, headers: { 'retry-after': '1' } });
    const reporter = reporterFor({ retryBaseDelayMs: 10 });
    reporter.log('a');
    await reporter.flush();
    const [first, second] = posts();
    expect([first?.status, second?.status]).toEqual([429, 200]);
    expect(second!.receivedAtMs - first!.receivedAtMs).toBeGreaterThanOrEqual(1000);
  });

  it('splits a batch the receiver finds too large', async () => {
    await receiver.close();
    receiver = await startReceiver({ apiKey: API_KEY, maxEventsPerBatch: 30 });
    const reporter = reporterFor({ flushThreshold: 100, maxBatchSize: 100, maxInFlightBatches: 1 });
    for (let i = 0; i < 99; i++) reporter.log('e', { i });
    await reporter.flush();
    expect(posts().map((r) => [r.status, r.eventCount])).toEqual([
      [413, 100], [413, 50], [200, 25], [200, 25], [413, 50], [200, 25], [200, 25],
    ]);
    expect(receiver.events.map((e) => e.event_session_index)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('cuts 110 logged events (plus SESSION_START) into POSTs of 100 and 11 with contiguous indexes', async () => {
    const reporter = reporterFor({ maxInFlightBatches: 1 });
    for (let i = 0; i < 110; i++) reporter.log('e', { i });
    await reporter.flush();
    expect(posts().map((r) => r.eventCount)).toEqual([100, 11]);
    expect(receiver.events.map((e) => e.event_session_index)).toEqual(Array.from({ length: 111 }, (_, i) => i));
  });

  it('a full queue refuses events and still delivers SESSION_END', async () => {
    receiver.inject({ delayMs: 200 });
    const reporter = reporterFor({ maxQueueSize: 10, flushThreshold: 1 });
    const accepted = Array.from({ length: 30 }, () => reporter.log('flood')).filter(Boolean).length;
    expect(accepted).toBe(5); // 10 − 4 reserved − SESSION_START
    expect(await reporter.stop()).toBe(true);
    // Two batches may be in flight, so arrival order is not index order; SESSION_END is the last index.
    const last = receiver.events.reduce((a, b) => (b.event_session_index > a.event_session_index ? b : a));
    expect(last.event).toBe('SESSION_END');
    // 5 floods, SESSION_START, SESSION_END and the last telemetry.health, which may use the reserve.
    expect(reporter.stats()).toMatchObject({ dropped: { queueFull: 25, stopped: 0 }, delivered: 8 });
    const health = receiver.events.find((e) => e.event === 'GENERIC_EVENT' && e.event_name === 'telemetry.health');
    expect(health?.event === 'GENERIC_EVENT' && health.event_data).toMatchObject({ dropped: { queueFull: 25 }, total: 25 });
    expect(health?.severity).toBe('WARNING');
  });

  it('a hanging backend is bounded by stop(timeout)', async () => {
    receiver.inject({ hang: true, times: 10 });
    const reporter = reporterFor({ httpTimeoutMs: 60_000 });
    reporter.log('a');
    const started = performance.now();
    expect(await reporter.stop(300)).toBe(false);
    expect(performance.now() - started).toBeLessThan(2000);
    // SESSION_START, 'a', SESSION_END given up at the deadline, and the last telemetry.health that says
    // so, given up too (counted, never reported again: that would report forever).
    expect(reporter.stats()).toMatchObject({ queued: 0, dropped: { sendFailed: 4 } });
  });

  it('survives connection refused without an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const url = receiver.url;
      await receiver.close();
      const reporter = reporterFor({ endpoint: url, maxRetries: 1 });
      reporter.log('a');
      expect(await reporter.stop(2000)).toBe(false);
      expect(reporter.stats().dropped.sendFailed).toBe(3);
      expect(reporter.stats().sinks['tinker']?.lastError).toMatch(/ECONNREFUSED|network/);
      receiver = await startReceiver();
    } finally {
      await new Promise((resolve) => setImmediate(resolve));
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
  });

  it('with maxInFlightBatches 1, batches arrive strictly in order', async () => {
    receiver.inject({ delayMs: 100 });
    const reporter = reporterFor({ maxInFlightBatches: 1, flushThreshold: 2 });
    for (let i = 0; i < 7; i++) reporter.log('e', { i });
    await reporter.flush();
    expect(receiver.events.map((e) => e.event_session_index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('with two batches in flight, a slow first batch does not let flush() resolve early', async () => {
    receiver.inject({ delayMs: 300 });
    const reporter = reporterFor({ maxInFlightBatches: 2, flushThreshold: 2 });
    reporter.log('a'); // batch 1 (with SESSION_START): slow
    reporter.log('b');
    reporter.log('c'); // batch 2: fast
    await reporter.flush();
    expect(receiver.events.map((e) => e.event_session_index).sort()).toEqual([0, 1, 2, 3]);
    expect(posts().map((r) => r.status)).toEqual([200, 200]);
    expect(reporter.stats()).toMatchObject({ settled: 4, delivered: 4, queued: 0 });
  });

  it('three concurrent flushes deliver every event exactly once', async () => {
    receiver.inject({ delayMs: 50 });
    const reporter = reporterFor();
    reporter.log('a');
    const first = reporter.flush();
    reporter.log('b');
    const second = reporter.flush();
    reporter.log('c');
    await Promise.all([first, second, reporter.flush()]);
    expect(receiver.duplicates).toBe(0);
    expect(receiver.events.map((e) => e.event_session_index).sort()).toEqual([0, 1, 2, 3]);
  });

  it('ships hostile event_data as JSON', async () => {
    const reporter = reporterFor();
    const hostile: Record<string, unknown> = { big: 2n ** 70n, map: new Map([['k', 1]]), set: new Set([1, 2]), nan: Number.NaN, fn() {}, sym: Symbol('s') };
    hostile['self'] = hostile;
    hostile['deep'] = JSON.parse('['.repeat(40) + ']'.repeat(40));
    hostile['long'] = 'x'.repeat(100_000);
    Object.defineProperty(hostile, 'trap', { enumerable: true, get: () => { throw new Error('no'); } });
    expect(reporter.log('hostile', hostile)).toBe(true);
    await reporter.flush();
    const data = (receiver.events[1] as { event_data: Record<string, unknown> }).event_data;
    expect(data).toMatchObject({ big: '1180591620717411303424', map: { k: 1 }, set: [1, 2], nan: 'NaN', self: '[Circular]', trap: '[Unserializable]' });
    expect(data).not.toHaveProperty('fn');
    expect((data['long'] as string).length).toBeLessThan(8300);
    expect(JSON.stringify(data['deep'])).toContain('[MaxDepth]');
  });

  it('keys named __proto__, constructor and prototype arrive as own keys, redacted inside, in the body and at the receiver', async () => {
    const reporter = reporterFor();
    const hostile = '{"__proto__":{"password":"p","ok":1},"constructor":{"prototype":{"token":"t"}},"prototype":"x"}';
    expect(reporter.log('proto', { nested: JSON.parse(hostile) })).toBe(true);
    await reporter.flush();
    const expected = '{"nested":{"__proto__":{"password":"[REDACTED]","ok":1},"constructor":{"prototype":{"token":"[REDACTED]"}},"prototype":"x"}}';
    const sent = (posts()[0]!.body as { events: { event_name?: string; event_data?: unknown }[] }).events.find((e) => e.event_name === 'proto');
    expect(JSON.stringify(sent?.event_data)).toBe(expected);
    const received = receiver.events.find((e) => e.event === 'GENERIC_EVENT' && e.event_name === 'proto') as { event_data: Record<string, unknown> };
    expect(JSON.stringify(received.event_data)).toBe(expected);
    expect(Object.keys(received.event_data['nested'] as object)).toEqual(['__proto__', 'constructor', 'prototype']);
  });

  it('classifies a 4xx anywhere in the cause chain (with a cycle) as a user_error', async () => {
    const reporter = reporterFor();
    const http = Object.assign(new Error('Forbidden'), { name: 'HTTPError', response: { status: 403 }, request: { headers: { 'x-api-key': API_KEY } } });
    const middle = new Error('fetch failed', { cause: http });
    const top = new Error('could not save', { cause: middle });
    (http as Error & { cause?: unknown }).cause = top; // a cycle
    reporter.logException(top);
    reporter.logException(new Error('plain'));
    await reporter.flush();
    expect(receiver.events[1]).toMatchObject({ event_name: 'user_error', severity: 'WARNING', event_data: { error_type: 'HTTPError', message: 'Forbidden', status_code: 403 } });
    expect(receiver.events[2]).toMatchObject({ event: 'UNHANDLED_EXCEPTION', severity: 'ERROR' });
  });

  it('does not capture its own requests when the application instruments fetch globally', async () => {
    const original = globalThis.fetch;
    const reporter = reporterFor();
    globalThis.fetch = instrumentFetch(original, { sessionId: reporter.sessionId });
    try {
      reporter.log('a');
      await reporter.flush();
      const response = await fetch(`${receiver.url}/health`); // the application's own request is captured
      expect(response.status).toBe(200);
      await reporter.stop();
    } finally {
      globalThis.fetch = original;
    }
    const names = receiver.events.map((e) => ('event_name' in e ? e.event_name : e.event));
    expect(names.filter((n) => n.startsWith('rxtel.http.'))).toEqual(['rxtel.http.request.start', 'rxtel.http.request.stop']);
    expect(receiver.events.find((e) => 'event_name' in e && e.event_name === 'rxtel.http.request.stop')).toMatchObject({ event_data: { metadata: { path: '/health' } } });
  });

  it('never lets the API key appear in events, errors or stats', async () => {
    receiver.inject({ status: 401, body: { error: `bad key ${API_KEY}` } });
    const reporter = reporterFor();
    reporter.logException(Object.assign(new Error('boom'), { request: { headers: { 'x-api-key': API_KEY } } }));
    await reporter.flush();
    const everything = [JSON.stringify(receiver.events), JSON.stringify(reporter.stats()), inspect(reporter, { depth: 5 }), warnings.join('\n')].join('\n');
    expect(everything).not.toContain(API_KEY);
  });
});

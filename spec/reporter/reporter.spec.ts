import { describe, expect, it } from '@jest/globals';
import { Subject } from 'rxjs';
import { createReporter } from '../../src/create-reporter.js';
import type { BusEvent } from '../../src/reporter/types.js';
import { failure, retryable, ScriptedSink, success } from '../helpers/scripted-sink.js';
import { virtualReporter } from '../helpers/virtual-reporter.js';
import { virtualScheduler } from '../helpers/virtual-time.js';

describe('reporter in virtual time', () => {
  it('sends SESSION_START and the logged events in one batch on flush', async () => {
    const { sink, reporter, settleAll } = virtualReporter();
    expect(reporter.log('user.action', { button: 'submit' })).toBe(true);
    expect(reporter.log('cache.miss', { key: 'k' }, 'warning')).toBe(true);
    await settleAll(reporter.flush());
    expect(sink.calls).toHaveLength(1);
    const [start, first, second] = sink.calls[0]!.batch;
    expect(start).toMatchObject({ event: 'SESSION_START', event_session_index: 0, severity: 'INFO' });
    expect(first).toMatchObject({ event: 'GENERIC_EVENT', event_session_index: 1, event_name: 'user.action', event_data: { button: 'submit' } });
    expect(second).toMatchObject({ event_session_index: 2, severity: 'WARNING' });
    expect(sink.calls[0]!.context.sessionId).toBe(reporter.sessionId);
    expect(reporter.stats()).toMatchObject({ accepted: 3, delivered: 3, queued: 0, batches: 1 });
  });

  it('flushes flushIntervalMs after the first queued event', () => {
    const { scheduler, sink, reporter } = virtualReporter({ options: { flushIntervalMs: 2000 } });
    scheduler.schedule(() => reporter.log('a'), 500);
    scheduler.flush();
    // SESSION_START (t=0) armed the timer; it fires at 2000 with both events.
    expect(sink.calls.map((c) => [c.atMs, c.batch.length])).toEqual([[2000, 2]]);
  });

  it('cuts 111 events (SESSION_START + 110) into batches of 100 and 11 with contiguous indexes', async () => {
    const { sink, reporter, settleAll } = virtualReporter({ options: { flushIntervalMs: 0 } });
    for (let i = 0; i < 110; i++) reporter.log('e', { i });
    await settleAll(reporter.flush());
    expect(sink.calls.map((c) => c.batch.length)).toEqual([100, 11]);
    expect(sink.events.map((e) => e.event_session_index)).toEqual(Array.from({ length: 111 }, (_, i) => i));
  });

  it('three concurrent flushes deliver every event once', async () => {
    const { sink, reporter, settleAll } = virtualReporter({ steps: [{ delayMs: 100, result: success }] });
    reporter.log('a');
    const first = reporter.flush();
    reporter.log('b');
    const second = reporter.flush();
    reporter.log('c');
    await settleAll(Promise.all([first, second, reporter.flush()]));
    const ids = sink.events.map((e) => e.event_id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(sink.events.map((e) => e.event_session_index)).toEqual([0, 1, 2, 3]);
  });

  it('flush resolves only once the events accepted before it have settled', async () => {
    const { scheduler, reporter, settleAll } = virtualReporter({ steps: [retryable(), success], options: { retryBaseDelayMs: 1000, random: () => 0 } });
    reporter.log('a');
    let resolvedAt = -1;
    await settleAll(reporter.flush().then(() => (resolvedAt = scheduler.now())));
    expect(resolvedAt).toBe(1000);
    expect(reporter.stats()).toMatchObject({ delivered: 2, retries: 1 });
  });

  it('counts settlements in acceptance order when the second of two in-flight batches returns first', async () => {
    const { scheduler, reporter, settleAll } = virtualReporter({
      steps: [{ delayMs: 500, result: success }, { delayMs: 10, result: success }],
      options: { flushThreshold: 2, maxInFlightBatches: 2 },
    });
    reporter.log('a'); // batch 1: SESSION_START + a, answered at 500
    const first = reporter.flush();
    reporter.log('b');
    reporter.log('c'); // batch 2: b + c, answered at 10
    const seen: number[] = [];
    reporter.stats$.subscribe((s) => seen.push(s.settled));
    let firstAt = -1;
    await settleAll(first.then(() => (firstAt = scheduler.now())));
    expect(firstAt).toBe(500);
    expect(seen.filter((n, i) => n !== seen[i - 1])).toEqual([0, 2, 4]);
  });

  it('stop sends exactly one SESSION_END, is idempotent, and refuses later logs', async () => {
    const { sink, reporter, settleAll } = virtualReporter();
    reporter.log('a');
    const stopping = reporter.stop();
    expect(reporter.stop()).toBe(stopping);
    expect(await settleAll(stopping)).toBe(true);
    expect(await settleAll(reporter.stop())).toBe(true);
    expect(sink.events.filter((e) => e.event === 'SESSION_END')).toHaveLength(1);
    expect(sink.events.at(-1)).toMatchObject({ event: 'SESSION_END', duration: expect.stringMatching(/^0:00:00\.\d{6}$/) });
    expect(sink.shutdowns).toBe(1);
    expect(reporter.log('late')).toBe(false);
    expect(reporter.logException(new Error('late'))).toBe(false);
    expect(reporter.stats().dropped.stopped).toBe(2);
  });

  it('a hanging backend is bounded by stop(timeout): it resolves false at the deadline and counts the loss', async () => {
    const { scheduler, reporter, settleAll } = virtualReporter({ options: { httpTimeoutMs: 60_000 }, fallback: { hang: true } });
    reporter.log('a');
    reporter.log('b');
    let stoppedAt = -1;
    const result = await settleAll(reporter.stop(3000).then((ok) => ((stoppedAt = scheduler.now()), ok)));
    expect(result).toBe(false);
    expect(stoppedAt).toBe(3000);
    const stats = reporter.stats();
    // SESSION_START, a, b, SESSION_END, and the last telemetry.health (the four losses), given up too.
    expect(stats).toMatchObject({ accepted: 5, settled: 5, queued: 0, delivered: 0, dropped: { sendFailed: 5 } });
  });

  it('the fatal path delivers the exception and SESSION_END without an explicit flush', async () => {
    const { sink, reporter, settleAll } = virtualReporter({ options: { flushIntervalMs: 0 } });
    reporter.log('before');
    expect(await settleAll(reporter.logFatalException(new TypeError('boom')))).toBe(true);
    const kinds = sink.events.map((e) => e.event);
    expect(kinds).toEqual(['SESSION_START', 'GENERIC_EVENT', 'UNHANDLED_EXCEPTION', 'SESSION_END']);
    expect(sink.events[2]).toMatchObject({ severity: 'CRITICAL', error_type: 'TypeError', error_message: 'boom' });
    await settleAll(reporter.stop());
    expect(sink.events.filter((e) => e.event === 'SESSION_END')).toHaveLength(1);
  });

  it('the fatal path answers false when the backend refuses the batch', async () => {
    const { reporter, settleAll } = virtualReporter({ steps: [failure()] });
    expect(await settleAll(reporter.logFatalException(new Error('boom')))).toBe(false);
    expect(reporter.stats().dropped.sendFailed).toBeGreaterThan(0);
  });

  it('logException flushes soon, off the caller stack', () => {
    const { scheduler, sink, reporter } = virtualReporter({ options: { flushIntervalMs: 10_000 } });
    expect(reporter.logException(new RangeError('bad'))).toBe(true);
    expect(sink.calls).toHaveLength(0);
    scheduler.flush();
    expect(sink.calls[0]?.atMs).toBe(0);
    expect(sink.events.map((e) => e.event)).toEqual(['SESSION_START', 'UNHANDLED_EXCEPTION']);
  });

  it('a 4xx in the cause chain becomes a user_error GENERIC_EVENT at WARNING', async () => {
    const { sink, reporter, settleAll } = virtualReporter();
    const http = Object.assign(new Error('Not Found'), { name: 'HTTPError', status: 404 });
    reporter.logException(new Error('could not load', { cause: http }));
    await settleAll(reporter.flush());
    expect(sink.events[1]).toMatchObject({
      event: 'GENERIC_EVENT',
      event_name: 'user_error',
      severity: 'WARNING',
      event_data: { error_type: 'HTTPError', message: 'Not Found', status_code: 404 },
    });
  });

  it('a full queue refuses ordinary events but still delivers SESSION_END', async () => {
    const { sink, reporter, settleAll } = virtualReporter({ steps: [{ delayMs: 1000, result: success }], options: { maxQueueSize: 8, flushIntervalMs: 0, flushThreshold: 1 } });
    const results = Array.from({ length: 10 }, (_, i) => reporter.log('flood', { i }));
    expect(results.filter(Boolean)).toHaveLength(3); // 8 slots − 4 reserved − SESSION_START
    expect(await settleAll(reporter.stop())).toBe(true);
    expect(sink.events.at(-1)?.event).toBe('SESSION_END');
    // 3 floods, SESSION_START, the last telemetry.health (in the reserve, before SESSION_END) and SESSION_END.
    expect(sink.events.at(-2)).toMatchObject({ event_name: 'telemetry.health', event_data: { dropped: { queueFull: 7 } } });
    expect(reporter.stats()).toMatchObject({ dropped: { queueFull: 7 }, delivered: 6 });
  });

  it('keeps accepted = delivered + sendFailed + queued at every change', async () => {
    const { reporter, settleAll } = virtualReporter({ steps: [retryable(), failure(), success, retryable()], options: { flushThreshold: 2, maxRetries: 1 } });
    const violations: string[] = [];
    reporter.stats$.subscribe((s) => {
      if (s.accepted !== s.delivered + s.dropped.sendFailed + s.queued) violations.push(JSON.stringify(s));
    });
    for (let i = 0; i < 9; i++) reporter.log('e');
    await settleAll(reporter.stop());
    expect(violations).toEqual([]);
  });

  it('drained$ goes false while events are queued and true once they settle, then completes on stop', async () => {
    const { reporter, settleAll } = virtualReporter({ steps: [{ delayMs: 50, result: success }] });
    const seen: boolean[] = [];
    let completed = false;
    reporter.drained$.subscribe({ next: (d) => seen.push(d), complete: () => (completed = true) });
    reporter.log('a');
    await settleAll(reporter.flush());
    await settleAll(reporter.stop());
    expect(seen.slice(0, 2)).toEqual([false, true]);
    expect(completed).toBe(true);
  });

  it('attach forwards only this session’s events and ends on stop', async () => {
    const { sink, reporter, settleAll } = virtualReporter();
    const events$ = new Subject<BusEvent>();
    const subscription = reporter.attach(events$);
    events$.next({ name: 'rxtel.http.request.stop', measurements: { duration_ms: 12 }, metadata: { session_id: reporter.sessionId, path: '/x' } });
    events$.next({ name: 'other.session', measurements: {}, metadata: { session_id: 'someone-else' } });
    events$.next({ name: 'db.exception', measurements: {}, metadata: { session_id: reporter.sessionId } });
    await settleAll(reporter.stop());
    expect(subscription.closed).toBe(true);
    const forwarded = sink.events.filter((e) => e.event === 'GENERIC_EVENT');
    expect(forwarded).toEqual([
      expect.objectContaining({ event_name: 'rxtel.http.request.stop', severity: 'INFO', event_data: { measurements: { duration_ms: 12 }, metadata: { path: '/x' } } }),
      expect.objectContaining({ event_name: 'db.exception', severity: 'ERROR' }),
    ]);
  });

  it('never throws from log, whatever it is given, and counts what it repaired or refused', async () => {
    const { reporter, settleAll, sink } = virtualReporter();
    const hostile: Record<string, unknown> = { big: 10n, when: new Date(0), nan: Number.NaN, fn: () => 1 };
    hostile['self'] = hostile;
    Object.defineProperty(hostile, 'trap', { enumerable: true, get: () => { throw new Error('gotcha'); } });
    expect(reporter.log('hostile', hostile)).toBe(true);
    expect(reporter.log('bad severity', {}, 'LOUD')).toBe(true);
    expect(reporter.log('' as string)).toBe(false);
    expect(reporter.log(42 as unknown as string)).toBe(false);
    expect(reporter.log('x'.repeat(300))).toBe(false);
    await settleAll(reporter.flush());
    expect(() => JSON.stringify(sink.events)).not.toThrow();
    expect(sink.events[1]).toMatchObject({ event_data: { big: '10', when: '1970-01-01T00:00:00.000Z', nan: 'NaN', self: '[Circular]' } });
    expect(sink.events[2]?.severity).toBe('INFO');
    expect(reporter.stats()).toMatchObject({ dropped: { invalid: 3 }, coerced: { severity: 1, eventData: 1 } });
  });
});

describe('severities users write', () => {
  it('maps the common loggers\' level names, counts only what is truly unknown', async () => {
    const { reporter, settleAll, sink } = virtualReporter();
    const written = ['FATAL', 'warn', 'err', 'error', 'Information', ' trace ', 'LOUD'];
    for (const severity of written) expect(reporter.log('lvl', { severity }, severity)).toBe(true);
    expect(reporter.logException(new Error('boom'), 'crit')).toBe(true);
    await settleAll(reporter.flush());
    expect(sink.events.slice(1).map((event) => event.severity)).toEqual(['CRITICAL', 'WARNING', 'ERROR', 'ERROR', 'INFO', 'DEBUG', 'INFO', 'CRITICAL']);
    expect(reporter.stats().coerced.severity).toBe(1);
  });
});

describe('flush deadlines', () => {
  it('flush(timeoutMs) resolves at its deadline with what is still pending, and gives up on nothing', async () => {
    const { reporter, settledAt } = virtualReporter({ steps: [{ hang: true }], options: { httpTimeoutMs: 5000, retryBaseDelayMs: 1000, random: () => 0 } });
    reporter.log('a');
    reporter.log('b');
    expect(await settledAt(reporter.flush(2000))).toEqual({ value: { pending: 3 }, atMs: 2000 });
    expect(reporter.stats()).toMatchObject({ queued: 3, dropped: { sendFailed: 0 } });
    // The events were not given up: the attempt times out at 5000, the retry at 6000 delivers them.
    expect(await settledAt(reporter.flush(10_000))).toEqual({ value: { pending: 0 }, atMs: 6000 });
    expect(reporter.stats()).toMatchObject({ delivered: 3, retries: 1, dropped: { sendFailed: 0 } });
  });

  it('flush() defaults its deadline to flushTimeoutMs', async () => {
    const { reporter, settleAll, settledAt } = virtualReporter({ options: { flushTimeoutMs: 4000, httpTimeoutMs: 60_000 }, fallback: { hang: true } });
    reporter.log('a');
    expect(await settledAt(reporter.flush())).toEqual({ value: { pending: 2 }, atMs: 4000 });
    await settleAll(reporter.stop(0));
  });

  it('flush() then stop() against a backend that never answers, with the defaults: one full retry budget each (27 s + 27 s)', async () => {
    const { reporter, settledAt } = virtualReporter({ options: { random: () => 0 }, fallback: { hang: true } });
    for (let i = 0; i < 5; i++) reporter.log('e', { i });
    // 4 attempts of httpTimeoutMs (5 s) and backoffs of 1 + 2 + 4 s: given up at 27 s, inside flush's 30 s.
    expect(await settledAt(reporter.flush())).toEqual({ value: { pending: 0 }, atMs: 27_000 });
    expect(reporter.stats().dropped.sendFailed).toBe(6);
    // SESSION_END is a new batch with its own budget, again inside stop's 30 s.
    expect(await settledAt(reporter.stop())).toEqual({ value: false, atMs: 54_000 });
    expect(reporter.stats()).toMatchObject({ queued: 0, delivered: 0 });
  });

  it('flush(2000) then stop(5000) against the same backend: 7 s in all, the flushed events are retried within stop', async () => {
    const { reporter, settledAt } = virtualReporter({ options: { random: () => 0 }, fallback: { hang: true } });
    for (let i = 0; i < 5; i++) reporter.log('e', { i });
    expect(await settledAt(reporter.flush(2000))).toEqual({ value: { pending: 6 }, atMs: 2000 });
    expect(await settledAt(reporter.stop(5000))).toEqual({ value: false, atMs: 7000 });
    // Seven events and the last telemetry.health reporting them.
    expect(reporter.stats()).toMatchObject({ queued: 0, retries: 1, dropped: { sendFailed: 8 } });
  });
});

describe('flow control through createReporter', () => {
  it('redacts secrets by default, rate-limits per name and samples, counting every refusal', async () => {
    const { reporter, settleAll, sink } = virtualReporter({ options: { rateLimitPerTypePerSecond: 3, sampleRates: { sampled: 0 } } });
    reporter.log('login', { user: 'ada', password: 'hunter2', headers: { Authorization: 'Bearer t' } });
    const limited = Array.from({ length: 5 }, () => reporter.log('burst'));
    expect(limited).toEqual([true, true, true, false, false]);
    expect(reporter.log('sampled')).toBe(false);
    expect(reporter.logException(new Error('never limited'))).toBe(true);
    await settleAll(reporter.flush());
    expect(JSON.stringify(sink.events)).not.toContain('hunter2');
    expect(sink.events[1]).toMatchObject({ event_data: { user: 'ada', password: '[REDACTED]', headers: { Authorization: '[REDACTED]' } } });
    expect(reporter.stats().dropped).toMatchObject({ rateLimited: 2, sampled: 1 });
  });

  it('refuses bad flow-control options', () => {
    expect(() => createReporter({ sinks: [new ScriptedSink(virtualScheduler())], sampleRate: 2 })).toThrow(/`sampleRate`.*0 to 1.*`2`/);
    expect(() => createReporter({ sinks: [new ScriptedSink(virtualScheduler())], rateLimitPerTypePerSecond: -1 })).toThrow(/`rateLimitPerTypePerSecond`/);
  });
});

describe('disabled reporter', () => {
  it('is a no-op with no timers and no network', async () => {
    const { scheduler, sink, reporter } = virtualReporter({ options: { enabled: false } });
    expect(reporter.enabled).toBe(false);
    expect(reporter.log('a')).toBe(false);
    expect(reporter.logException(new Error('x'))).toBe(false);
    expect(await reporter.logFatalException(new Error('x'))).toBe(false);
    expect(await reporter.waitUntilDrained()).toBe(true);
    expect(await reporter.flush(1000)).toEqual({ pending: 0 });
    expect(await reporter.stop()).toBe(true);
    expect(scheduler.actions).toHaveLength(0);
    expect(sink.calls).toHaveLength(0);
  });
});

import { describe, expect, it } from '@jest/globals';
import { TestScheduler } from 'rxjs/testing';
import type { ExportResult } from '../../src/sinks/sink.js';
import { Counters } from '../../src/stats/counters.js';
import { ShutdownState } from '../../src/sender/shutdown-state.js';
import { createSender } from '../../src/sender/send-batch.js';
import type { EventRecord } from '../../src/events/event-record.js';
import { resolvedConfig } from '../helpers/config.js';
import { record } from '../helpers/records.js';
import { failure, retryable, ScriptedSink, success, type Step } from '../helpers/scripted-sink.js';
import { virtualScheduler } from '../helpers/virtual-time.js';

interface Setup {
  scheduler: TestScheduler;
  sink: ScriptedSink;
  counters: Counters;
  shutdown: ShutdownState;
  send: (records: EventRecord[]) => void;
  warnings: string[];
}

function setup(steps: Step[], overrides: { maxRetries?: number; httpTimeoutMs?: number; random?: () => number; fallback?: Step } = {}): Setup {
  const scheduler = virtualScheduler();
  const sink = new ScriptedSink(scheduler, steps, overrides.fallback);
  const counters = new Counters();
  const shutdown = new ShutdownState();
  const warnings: string[] = [];
  const sender = createSender({
    ...resolvedConfig(),
    sinks: [sink],
    sessionId: '00000000-0000-4000-8000-000000000000',
    maxRetries: overrides.maxRetries ?? 3,
    retryBaseDelayMs: 1000,
    httpTimeoutMs: overrides.httpTimeoutMs ?? 5000,
    random: overrides.random ?? (() => 0),
    scheduler,
    counters,
    shutdown,
    logger: { warn: (m) => warnings.push(m) },
  });
  const send = (records: EventRecord[]) => {
    counters.accepted += records.length;
    records.forEach((r, i) => (r.index = i));
    sender(records).subscribe();
  };
  return { scheduler, sink, counters, shutdown, send, warnings };
}

const batchOf = (n: number) => Array.from({ length: n }, (_, i) => record(`e${i}`));

describe('createSender in marbles', () => {
  function marbleSender(steps: Step[], scheduler: TestScheduler) {
    const sink = new ScriptedSink(scheduler, steps);
    const counters = new Counters();
    const send = createSender({
      ...resolvedConfig(),
      sinks: [sink], sessionId: 's', maxRetries: 3, retryBaseDelayMs: 1000, httpTimeoutMs: 500, random: () => 0,
      scheduler, counters, shutdown: new ShutdownState(), logger: { warn: () => undefined },
    });
    counters.accepted = 1;
    return { send, sink };
  }

  it('completes a batch after backoffs of 1 s, 2 s and 4 s, subscribing to each attempt once, in turn', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const attempts = [retryable(), retryable(), retryable(), success].map((r) => cold('(r|)', { r }));
      const { send } = marbleSender(attempts.map((answer$) => ({ answer$ })), scheduler);
      expectObservable(send([record('a')])).toBe('7000ms |');
      // Like RxJS's own retry spec: each attempt is a fresh subscription, made after the backoff and released at its answer.
      ['(^!)', '1000ms (^!)', '3000ms (^!)', '7000ms (^!)'].forEach((marbles, i) => expectSubscriptions(attempts[i]!.subscriptions).toBe(marbles));
    });
  });

  it('a hanging attempt costs httpTimeoutMs before the backoff, and is unsubscribed at the timeout', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const hanging = cold<ExportResult>('-');
      const answering = cold('100ms (r|)', { r: success });
      const { send } = marbleSender([{ answer$: hanging }, { answer$: answering }], scheduler);
      // 500 ms timeout, 1000 ms backoff, 100 ms answer.
      expectObservable(send([record('a')])).toBe('1600ms |');
      expectSubscriptions(hanging.subscriptions).toBe('^ 499ms !');
      expectSubscriptions(answering.subscriptions).toBe('1500ms ^ 99ms !');
    });
  });

  it('an answer that never completes is released after its first result; the batch is not sent again', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const open = cold('10ms r 20ms r', { r: success });
      const { send, sink } = marbleSender([{ answer$: open }], scheduler);
      expectObservable(send([record('a')])).toBe('10ms |');
      expectSubscriptions(open.subscriptions).toBe('^ 9ms !');
      scheduler.flush();
      expect(sink.calls).toHaveLength(1);
    });
  });
});

describe('createSender', () => {
  it('delivers a batch in one attempt and counts it', () => {
    const { scheduler, sink, counters, send } = setup([success]);
    send(batchOf(3));
    scheduler.flush();
    expect(sink.calls).toHaveLength(1);
    expect(counters.snapshot()).toMatchObject({ delivered: 3, settled: 3, queued: 0, retries: 0, batches: 1 });
  });

  it('retries retryable results with growing gaps and the same idempotency key', () => {
    const { scheduler, sink, counters, send } = setup([retryable(), retryable(), retryable(), success]);
    send(batchOf(2));
    scheduler.flush();
    expect(sink.calls.map((c) => c.atMs)).toEqual([0, 1000, 3000, 7000]);
    expect(sink.calls.map((c) => c.context.attempt)).toEqual([0, 1, 2, 3]);
    expect(new Set(sink.calls.map((c) => c.context.batchId)).size).toBe(1);
    expect(counters.snapshot()).toMatchObject({ delivered: 2, retries: 3, dropped: { sendFailed: 0 } });
    expect(counters.snapshot().sinks['scripted']).toMatchObject({ state: 'healthy', retries: 3, delivered: 2 });
  });

  it('adds jitter from the injected random source', () => {
    const { scheduler, sink, send } = setup([retryable(), retryable(), success], { random: () => 0.5 });
    send(batchOf(1));
    scheduler.flush();
    expect(sink.calls.map((c) => c.atMs)).toEqual([0, 1050, 1050 + 2100]);
  });

  it('gives up after maxRetries and counts sendFailed', () => {
    const { scheduler, sink, counters, send, warnings } = setup([], { maxRetries: 2, fallback: retryable() });
    send(batchOf(4));
    scheduler.flush();
    expect(sink.calls).toHaveLength(3);
    expect(counters.snapshot()).toMatchObject({ delivered: 0, settled: 4, dropped: { sendFailed: 4 }, retries: 2 });
    expect(counters.snapshot().sinks['scripted']?.state).toBe('failed');
    expect(warnings.join('\n')).toMatch(/gave up on 4 event/);
  });

  it('does not retry a failure', () => {
    const { scheduler, sink, counters, send } = setup([failure()]);
    send(batchOf(2));
    scheduler.flush();
    expect(sink.calls).toHaveLength(1);
    expect(counters.snapshot().dropped.sendFailed).toBe(2);
  });

  it('honours Retry-After when it asks for longer than the backoff', () => {
    const { scheduler, sink, send } = setup([retryable(7000), success]);
    send(batchOf(1));
    scheduler.flush();
    expect(sink.calls.map((c) => c.atMs)).toEqual([0, 7000]);
  });

  it('splits a payload-too-large batch in halves with new batch ids, down to one event', () => {
    const { scheduler, sink, counters, send } = setup([failure(true), failure(true), success, success, failure(true)]);
    send(batchOf(5));
    scheduler.flush();
    // 5 → [3, 2]; 3 → [2, 1]; 2 ok; 1 ok; then the 2 of the first split fail as too large → [1, 1] ok.
    expect(sink.calls.map((c) => c.batch.length)).toEqual([5, 3, 2, 1, 2, 1, 1]);
    expect(new Set(sink.calls.map((c) => c.context.batchId)).size).toBe(7);
    const delivered = [2, 3, 5, 6].map((i) => sink.calls[i]!.batch.map((e) => e.event_session_index));
    expect(delivered).toEqual([[0, 1], [2], [3], [4]]);
    // The halves resend the same events: same event_id as in the first attempt, so a backend dedupes.
    const firstIds = sink.calls[0]!.batch.map((e) => e.event_id);
    expect([2, 3, 5, 6].flatMap((i) => sink.calls[i]!.batch.map((e) => e.event_id))).toEqual(firstIds);
    expect(counters.snapshot()).toMatchObject({ delivered: 5, dropped: { sendFailed: 0 } });
  });

  it('treats a throwing sink as retryable and a hanging one as timed out', () => {
    const { scheduler, sink, counters, send } = setup([{ throws: new Error('socket gone') }, { hang: true }, success], { httpTimeoutMs: 500 });
    send(batchOf(1));
    scheduler.flush();
    expect(sink.calls.map((c) => c.atMs)).toEqual([0, 1000, 1000 + 500 + 2000]);
    expect(sink.calls[1]?.signal.aborted).toBe(true);
    expect((sink.calls[1]?.signal.reason as Error).name).toBe('TimeoutError');
    expect(counters.snapshot()).toMatchObject({ delivered: 1, retries: 2 });
  });

  it('caps retry waits by the caller deadline and abandons at it', () => {
    const { scheduler, sink, counters, shutdown, send } = setup([], { maxRetries: 10, fallback: retryable() });
    shutdown.addDeadline(2500);
    send(batchOf(2));
    let settledAt = -1;
    counters.changes$.subscribe(() => (settledAt = scheduler.now()));
    scheduler.schedule(() => shutdown.abandon(), 4000);
    scheduler.flush();
    // Attempts at 0 and 1000; the next backoff (2000) is capped to the 1500 ms left, and at the
    // deadline no attempt is made: the batch is given up then, not when the backoff would end.
    expect(sink.calls.map((c) => c.atMs)).toEqual([0, 1000]);
    expect(counters.snapshot()).toMatchObject({ settled: 2, dropped: { sendFailed: 2 } });
    expect(settledAt).toBe(2500);
  });

  it('aborts an in-flight attempt when the reporter abandons it', () => {
    const { scheduler, sink, counters, shutdown, send } = setup([{ hang: true }], { httpTimeoutMs: 60_000 });
    send(batchOf(3));
    scheduler.schedule(() => shutdown.abandon(), 100);
    scheduler.flush();
    expect(sink.calls).toHaveLength(1);
    expect(sink.calls[0]?.signal.aborted).toBe(true);
    expect(counters.snapshot()).toMatchObject({ settled: 3, dropped: { sendFailed: 3 } });
    expect(scheduler.now()).toBe(100);
  });

  it('settles batches sent after abandonment at once, without calling the sink', () => {
    const { scheduler, sink, counters, shutdown, send } = setup([]);
    shutdown.abandon();
    send(batchOf(2));
    scheduler.flush();
    expect(sink.calls).toHaveLength(0);
    expect(counters.snapshot().dropped.sendFailed).toBe(2);
  });

  it('treats a sink that returns garbage as a failure', () => {
    const { scheduler, counters, send, sink } = setup([]);
    (sink as unknown as { export: () => unknown }).export = () => Promise.resolve({ status: 'maybe' });
    send(batchOf(1));
    scheduler.flush();
    return Promise.resolve().then(() => {
      scheduler.flush();
      expect(counters.snapshot().dropped.sendFailed).toBe(1);
    });
  });
});

describe('createSender: refused events', () => {
  const refusing = (positions: unknown, extra: Record<string, unknown> = {}): ExportResult =>
    ({ status: 'success', refusedPositions: positions, error: new Error('scripted: some refused'), ...extra }) as ExportResult;

  /** A sender over scripted sinks named by `scripts`' keys (one virtual clock), and a way to send a batch of `n`. */
  function fanOut(scripts: Record<string, Step[]>, overrides: { maxRetries?: number } = {}) {
    const scheduler = virtualScheduler();
    const sinks = Object.entries(scripts).map(([name, steps]) => new ScriptedSink(scheduler, steps, success, { name }));
    const counters = new Counters();
    const warnings: string[] = [];
    const sender = createSender({
      ...resolvedConfig(),
      sinks,
      sessionId: '00000000-0000-4000-8000-000000000000',
      maxRetries: overrides.maxRetries ?? 3,
      retryBaseDelayMs: 1000,
      random: () => 0,
      scheduler,
      counters,
      shutdown: new ShutdownState(),
      logger: { warn: (m) => warnings.push(m) },
    });
    const send = (n: number) => {
      const records = batchOf(n);
      counters.accepted += n;
      records.forEach((r, i) => (r.index = i));
      sender(records).subscribe();
      scheduler.flush();
    };
    return { sinks, counters, warnings, send };
  }

  it('two sinks refusing different events: 7 delivered by both, 2 by one of them (not 8 and 1 by none)', () => {
    const { counters, send } = fanOut({ a: [refusing([3])], b: [refusing([5])] });
    send(9);
    expect(counters.snapshot()).toMatchObject({ settled: 9, delivered: 7, partiallyDelivered: 2, dropped: { sendFailed: 0 } });
    expect(counters.snapshot().sinks['a']).toMatchObject({ state: 'healthy', delivered: 8, failed: 1 });
    expect(counters.snapshot().sinks['b']).toMatchObject({ state: 'healthy', delivered: 8, failed: 1 });
  });

  it('two sinks refusing the same event: lost by both, the rest delivered', () => {
    const { counters, send } = fanOut({ a: [refusing([4])], b: [refusing([4], { rejected: 1 })] });
    send(9);
    expect(counters.snapshot()).toMatchObject({ delivered: 8, partiallyDelivered: 0, dropped: { sendFailed: 1 } });
  });

  it('a sink that only gives a count: the first positions not retried are taken as refused', () => {
    const { counters, send } = fanOut({ counted: [{ status: 'success', rejected: 2, error: new Error('counted: 2 refused') }], named: [refusing([1])] });
    send(5);
    // counted: positions 0 and 1 (the guess); named: position 1. So 0 is partial, 1 lost by both.
    expect(counters.snapshot()).toMatchObject({ delivered: 3, partiallyDelivered: 1, dropped: { sendFailed: 1 } });
    expect(counters.snapshot().sinks['counted']).toMatchObject({ delivered: 3, failed: 2, lastError: 'counted: 2 refused' });
  });

  it('retries only what is not refused, and positions of a retry are those of the smaller batch', () => {
    const { sinks, counters, send } = fanOut({
      lf: [
        { status: 'retryable', only: [1, 2, 4], refusedPositions: [0, 4], error: new Error('lf: 2 refused, 2 to retry') },
        // The retry is the batch [e1, e2]: its position 1 is e2.
        refusing([1]),
      ],
    });
    send(5);
    const [lf] = sinks as [ScriptedSink];
    expect(lf.calls.map((c) => c.batch.map((e) => (e as { event_name?: string }).event_name))).toEqual([['e0', 'e1', 'e2', 'e3', 'e4'], ['e1', 'e2']]);
    expect(counters.snapshot()).toMatchObject({ delivered: 2, dropped: { sendFailed: 3 }, retries: 1 });
    expect(counters.snapshot().sinks['lf']).toMatchObject({ state: 'healthy', delivered: 2, failed: 3 });
  });

  it('a batch refused whole makes the sink failed, told once per streak; the next delivery recovers it', () => {
    const { counters, warnings, send } = fanOut({ lf: [refusing([0, 1, 2]), { status: 'success', rejected: 2, error: new Error('lf: again') }] });
    send(3);
    expect(counters.snapshot().sinks['lf']).toMatchObject({ state: 'failed', delivered: 0, failed: 3, lastError: 'scripted: some refused' });
    expect(counters.snapshot().dropped.sendFailed).toBe(3);
    expect(warnings).toEqual(['sink lf: the backend refused all 3 event(s) of a batch: scripted: some refused']);
    send(2);
    expect(warnings).toHaveLength(1);
    send(1);
    expect(counters.snapshot().sinks['lf']).toMatchObject({ state: 'healthy', delivered: 1, failed: 5 });
    expect(warnings).toEqual([
      'sink lf: the backend refused all 3 event(s) of a batch: scripted: some refused',
      'sink lf lost 2 more event(s) (5 in all): lf: again',
      'sink lf recovered',
    ]);
  });

  it('refusals across the attempts of one batch count as one: all refused in the end is a failure', () => {
    const { counters, warnings, send } = fanOut({
      lf: [{ status: 'retryable', only: [1], refusedPositions: [0], error: new Error('lf: 503 for one') }, refusing([0])],
    });
    send(2);
    expect(counters.snapshot().sinks['lf']).toMatchObject({ state: 'failed', delivered: 0, failed: 2, retries: 1 });
    expect(warnings).toEqual(['sink lf: the backend refused all 2 event(s) of a batch: scripted: some refused']);
  });

  it('a partial refusal keeps the sink healthy, its loss counted and told when the sink closes', () => {
    const scheduler = virtualScheduler();
    const sink = new ScriptedSink(scheduler, [refusing([1])], success, { name: 'lf' });
    const counters = new Counters();
    const warnings: string[] = [];
    const sender = createSender({
      ...resolvedConfig(), sinks: [sink], sessionId: 's', scheduler, counters, shutdown: new ShutdownState(), logger: { warn: (m) => warnings.push(m) },
    });
    counters.accepted = 3;
    sender(batchOf(3)).subscribe();
    scheduler.flush();
    expect(counters.snapshot().sinks['lf']).toMatchObject({ state: 'healthy', delivered: 2, failed: 1 });
    expect(warnings).toEqual([]);
    sender.close();
    expect(warnings).toEqual(['sink lf lost 1 more event(s) (1 in all): scripted: some refused']);
  });

  it('a sink returning bad positions, counts or no error cannot break the accounting', () => {
    const { counters, send } = fanOut({
      bad: [
        refusing([-1, 9, 1.5, '2', 2, 2]),
        { status: 'success', rejected: Number.NaN } as unknown as ExportResult,
        { status: 'retryable', only: 'some', refusedPositions: [0] } as unknown as ExportResult,
        { status: 'success', refusedPositions: null, rejected: -4 } as unknown as ExportResult,
        { status: 'retryable', only: [7], rejected: Infinity, error: new Error('bad: odd'), retryAfterMs: Number.NaN } as unknown as ExportResult,
      ],
    });
    send(3); // position 2 refused
    send(3); // NaN: none refused
    send(3); // 0 refused, 1 and 2 retried: then delivered (fallback success)
    send(3); // none refused
    send(3); // nothing valid to retry; all three refused (Infinity, clamped)
    const stats = counters.snapshot();
    expect(stats.sinks['bad']).toMatchObject({ delivered: 2 + 3 + 2 + 3, failed: 1 + 1 + 3 });
    expect(stats).toMatchObject({ settled: 15, delivered: 10, dropped: { sendFailed: 5 } });
    expect(stats.accepted).toBe(stats.delivered + stats.partiallyDelivered + stats.dropped.sendFailed + stats.queued);
  });
});

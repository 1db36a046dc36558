import { describe, expect, it } from '@jest/globals';
import type { Observable } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import type { ReporterStats, SinkState } from '../../src/stats/counters.js';
import type { ReporterOptions } from '../../src/config/options.js';
import { ExportError } from '../../src/errors/export-error.js';
import type { GenericEvent, TelemetryEvent } from '../../src/events/wire.js';
import type { ExportContext, ExportResult } from '../../src/sinks/sink.js';
import { failure, retryable, ScriptedSink, success, type Step } from '../helpers/scripted-sink.js';
import { virtualReporter } from '../helpers/virtual-reporter.js';
import { runUntil } from '../helpers/virtual-time.js';

/** A scripted sink that declares `maxBatchBytes`. */
class BoundedSink extends ScriptedSink {
  constructor(
    scheduler: TestScheduler,
    readonly maxBatchBytes: number,
    steps: Step[] = [],
    name = 'bounded',
  ) {
    super(scheduler, steps, success, { name });
  }
}

/** A sink whose `export` throws on the caller's stack (not an erroring Observable). */
class ThrowingSink extends ScriptedSink {
  override export(batch: readonly TelemetryEvent[], signal: AbortSignal, context: ExportContext): Observable<ExportResult> {
    super.export(batch, signal, context);
    throw new ExportError(`${this.name}: exploded`, { sink: this.name });
  }
}

/** A virtual-time reporter on the sinks `build` makes (the tests settle instant by instant: when things happen matters here). */
function setup(options: Partial<ReporterOptions>, build: (scheduler: TestScheduler) => ScriptedSink[]) {
  return virtualReporter({ options: { random: () => 0, attachEvents: false, ...options }, sinks: build });
}

const healthEvents = (sink: ScriptedSink) => sink.generic('telemetry.sink_health').map((e) => e.event_data);
const ordinary = (sink: ScriptedSink) => sink.events.filter((e) => e.event !== 'GENERIC_EVENT' || !e.event_name.startsWith('telemetry.'));

/** Every accepted event is settled: delivered, given up or evicted, nothing left queued. */
function expectAllSettled(stats: ReporterStats): void {
  expect(stats.queued).toBe(0);
  expect(stats.settled).toBe(stats.accepted);
  expect(stats.accepted).toBe(stats.delivered + stats.partiallyDelivered + stats.dropped.sendFailed + stats.dropped.evicted + stats.queued);
}

/** Records each state `stats().sinks[name].state` goes through. */
function statesOf(reporter: { stats$: Observable<ReporterStats> }, name: string): SinkState[] {
  const seen: SinkState[] = [];
  reporter.stats$.subscribe((s) => {
    const state = s.sinks[name]?.state;
    if (state !== undefined && state !== seen.at(-1)) seen.push(state);
  });
  return seen;
}

describe('fan-out: a hanging sink never stalls a healthy one', () => {
  it('the healthy sink gets every event within flushIntervalMs; stop(timeout) ends at the deadline with everything settled', async () => {
    const { scheduler, sinks, reporter, settleInstantByInstant } = setup({ flushIntervalMs: 1000, httpTimeoutMs: 60_000 }, (s) => [
      new ScriptedSink(s, [], { hang: true }, { name: 'hung' }),
      new ScriptedSink(s, [], success, { name: 'healthy' }),
    ]);
    const [hung, healthy] = sinks as [ScriptedSink, ScriptedSink];
    const loggedAt = new Map<number, number>();
    for (const [at, i] of [[0, 1], [0, 2], [2500, 3], [4000, 4], [6200, 5]] as const) {
      scheduler.schedule(() => {
        expect(reporter.log('work', { i })).toBe(true);
        loggedAt.set(i, scheduler.now());
      }, at);
    }
    runUntil(scheduler, 7500);

    expect(healthy.calls.map((c) => c.atMs)).toEqual([1000, 3500, 5000, 7200]);
    const receivedAt = new Map(healthy.calls.flatMap((c) => c.batch.map((e) => [(e as GenericEvent).event_data?.['i'], c.atMs] as const)));
    expect(loggedAt.size).toBe(5);
    for (const [i, at] of loggedAt) expect(receivedAt.get(i)).toBeLessThanOrEqual(at + 1000);
    expect(healthy.events.map((e) => e.event_session_index)).toEqual([0, 1, 2, 3, 4, 5]);
    // The hung sink holds two batches in flight (maxInFlightBatches) and the rest in its own queue.
    expect(hung.calls.map((c) => c.atMs)).toEqual([1000, 3500]);
    expect(reporter.stats().sinks['healthy']).toMatchObject({ state: 'healthy', delivered: 6, queued: 0, failed: 0, lastSuccessAt: 7200 });
    expect(reporter.stats().sinks['hung']).toMatchObject({ state: 'healthy', delivered: 0, queued: 6 });

    let stoppedAt = -1;
    const result = await settleInstantByInstant(reporter.stop(3000).then((ok) => ((stoppedAt = scheduler.now()), ok)));
    expect(result).toBe(false);
    expect(stoppedAt).toBe(10_500);
    expect(healthy.events.filter((e) => e.event === 'SESSION_END')).toHaveLength(1);

    const stats = reporter.stats();
    expectAllSettled(stats);
    // SESSION_START, five events, SESSION_END: the healthy sink has them all, the hung one none, so
    // all seven were delivered by some of their sinks, not every one (and none was lost everywhere).
    // So was the eighth: the last telemetry.health, made in the time kept back before the deadline,
    // with what the deadline gave up.
    expect(stats).toMatchObject({ accepted: 8, delivered: 0, partiallyDelivered: 8, dropped: { sendFailed: 0, evicted: 0 } });
    expect(stats.sinks['hung']).toMatchObject({ state: 'failed', delivered: 0, failed: 8, queued: 0, lastError: 'hung: no answer within 250 ms' });
    expect(stats.sinks['healthy']).toMatchObject({ state: 'healthy', delivered: 8, failed: 0, queued: 0 });
    const last = healthy.events.at(-1);
    expect(last).toMatchObject({ event: 'GENERIC_EVENT', event_name: 'telemetry.health', event_data: { dropped: { partiallyDelivered: 7 }, total: 7 } });
    expect(healthy.calls.at(-1)!.atMs).toBeLessThan(10_500);
    expect(hung.shutdowns).toBe(1);
    expect(healthy.shutdowns).toBe(1);
  });
});


describe('fan-out: a failing sink costs the others nothing', () => {
  it('a sink that throws, one that errors and one that refuses each end failed while the healthy one gets everything', async () => {
    const { sinks, reporter, settleInstantByInstant, warnings } = setup({ flushIntervalMs: 500, maxRetries: 1, retryBaseDelayMs: 100 }, (s) => [
      new ThrowingSink(s, [], success, { name: 'thrower' }),
      new ScriptedSink(s, [], { throws: new ExportError('erroring: boom', { sink: 'erroring' }) }, { name: 'erroring' }),
      new ScriptedSink(s, [], failure(), { name: 'refusing' }),
      new ScriptedSink(s, [], success, { name: 'ok' }),
    ]);
    const [thrower, erroring, refusing, ok] = sinks as [ScriptedSink, ScriptedSink, ScriptedSink, ScriptedSink];
    for (let i = 0; i < 5; i++) expect(reporter.log('work', { i })).toBe(true);
    await settleInstantByInstant(reporter.flush());

    expect(ok.events.map((e) => e.event_session_index)).toEqual([0, 1, 2, 3, 4, 5]);
    // A throw (on the stack or as an erroring Observable) is retryable: one retry, then given up.
    expect(thrower.calls).toHaveLength(2);
    expect(erroring.calls).toHaveLength(2);
    // A failure is not retried.
    expect(refusing.calls).toHaveLength(1);
    const { sinks: stats } = reporter.stats();
    expect(stats['thrower']).toMatchObject({ state: 'failed', delivered: 0, failed: 6, retries: 1, queued: 0, lastError: 'thrower: exploded' });
    expect(stats['erroring']).toMatchObject({ state: 'failed', delivered: 0, failed: 6, retries: 1, queued: 0, lastError: 'erroring: boom' });
    expect(stats['refusing']).toMatchObject({ state: 'failed', delivered: 0, failed: 6, retries: 0, queued: 0, lastError: 'scripted: 400' });
    expect(stats['ok']).toMatchObject({ state: 'healthy', delivered: 6, failed: 0, retries: 0, queued: 0, lastSuccessAt: 0 });
    expect(stats['ok']!.lastError).toBeUndefined();
    expect(warnings).toEqual(
      expect.arrayContaining([expect.stringContaining('sink thrower gave up'), expect.stringContaining('sink refusing gave up')]),
    );

    expect(await settleInstantByInstant(reporter.stop())).toBe(false);
    // The healthy sink saw every ordinary event, in order, and the others' health changes.
    expect(ordinary(ok).map((e) => e.event)).toEqual(['SESSION_START', ...Array<string>(5).fill('GENERIC_EVENT'), 'SESSION_END']);
    expect(healthEvents(ok)).toEqual(
      expect.arrayContaining([
        { sink: 'thrower', state: 'failed', previous: 'degraded', error: 'thrower: exploded' },
        { sink: 'erroring', state: 'failed', previous: 'degraded', error: 'erroring: boom' },
        { sink: 'refusing', state: 'failed', previous: 'healthy', error: 'scripted: 400' },
      ]),
    );
    expectAllSettled(reporter.stats());
    for (const sink of sinks) expect(sink.shutdowns).toBe(1);
  });
});

describe('fan-out: health per sink', () => {
  it('retryable twice then success: healthy → degraded → healthy, each change told to the other sink only', async () => {
    const { scheduler, sinks, reporter, settleInstantByInstant } = setup({ flushIntervalMs: 500, retryBaseDelayMs: 1000 }, (s) => [
      new ScriptedSink(s, [retryable(), retryable()], success, { name: 'flaky' }),
      new ScriptedSink(s, [], success, { name: 'ok' }),
    ]);
    const [flaky, ok] = sinks as [ScriptedSink, ScriptedSink];
    const states = statesOf(reporter, 'flaky');
    reporter.log('a');
    let flushedAt = -1;
    await settleInstantByInstant(reporter.flush().then(() => (flushedAt = scheduler.now())));

    // Backoff of the core reporter: 1 s, then 2 s (random 0: no jitter).
    expect(flaky.calls.map((c) => c.atMs)).toEqual([0, 1000, 3000]);
    expect(new Set(flaky.calls.map((c) => c.context.batchId)).size).toBe(1);
    expect(flushedAt).toBe(3000);
    expect(states).toEqual(['healthy', 'degraded', 'healthy']);
    expect(reporter.stats().sinks['flaky']).toEqual({
      state: 'healthy',
      delivered: 2,
      failed: 0,
      overflowed: 0,
      retries: 2,
      queued: 0,
      lastError: 'scripted: 503',
      lastSuccessAt: 3000,
    });
    expect(reporter.stats()).toMatchObject({ retries: 2, dropped: { sendFailed: 0 } });

    expect(await settleInstantByInstant(reporter.stop())).toBe(true);
    const told = ok.generic('telemetry.sink_health');
    expect(told.map((e) => e.event_data)).toEqual([
      { sink: 'flaky', state: 'degraded', previous: 'healthy', error: 'scripted: 503' },
      { sink: 'flaky', state: 'healthy', previous: 'degraded' },
    ]);
    expect(told.map((e) => e.severity)).toEqual(['INFO', 'INFO']);
    expect(healthEvents(flaky)).toEqual([]);
    // Sent to ok only, delivered by ok: they count as delivered.
    expectAllSettled(reporter.stats());
    expect(reporter.stats().dropped.sendFailed).toBe(0);
  });

  it('gives up after maxRetries (failed), then recovers to healthy on its next successful batch', async () => {
    const { scheduler, sinks, reporter, settleInstantByInstant, warnings } = setup({ flushIntervalMs: 500, retryBaseDelayMs: 1000, maxRetries: 2 }, (s) => [
      new ScriptedSink(s, [retryable(), retryable(), retryable()], success, { name: 'dead' }),
      new ScriptedSink(s, [], success, { name: 'ok' }),
    ]);
    const [dead, ok] = sinks as [ScriptedSink, ScriptedSink];
    const states = statesOf(reporter, 'dead');
    reporter.log('a');
    await settleInstantByInstant(reporter.flush());

    expect(dead.calls.map((c) => c.atMs)).toEqual([0, 1000, 3000]);
    expect(states).toEqual(['healthy', 'degraded', 'failed']);
    expect(reporter.stats().sinks['dead']).toEqual({
      state: 'failed',
      delivered: 0,
      failed: 2,
      overflowed: 0,
      retries: 2,
      queued: 0,
      lastError: 'scripted: 503',
    });
    // The ok sink has both: delivered by some of their sinks, lost by none.
    expect(reporter.stats()).toMatchObject({ partiallyDelivered: 2, dropped: { sendFailed: 0 } });
    expect(warnings.filter((w) => w.includes('sink dead gave up'))).toHaveLength(1);

    // The next batch that reaches it succeeds: recovered.
    runUntil(scheduler, 10_000);
    reporter.log('b');
    await settleInstantByInstant(reporter.flush());
    const recoveredAt = dead.calls.at(-1)!.atMs;
    expect(dead.calls.at(-1)!.batch.some((e) => e.event === 'GENERIC_EVENT' && e.event_name === 'b')).toBe(true);
    expect(states).toEqual(['healthy', 'degraded', 'failed', 'healthy']);
    expect(reporter.stats().sinks['dead']).toMatchObject({ state: 'healthy', failed: 2, retries: 2, queued: 0, lastError: 'scripted: 503' });
    expect(reporter.stats().sinks['dead']!.lastSuccessAt).toBeGreaterThanOrEqual(3000);
    expect(reporter.stats().sinks['dead']!.lastSuccessAt).toBeLessThanOrEqual(recoveredAt);
    expect(warnings).toContain('sink dead recovered');

    await settleInstantByInstant(reporter.stop());
    const told = ok.generic('telemetry.sink_health');
    expect(told.map((e) => e.event_data)).toEqual([
      { sink: 'dead', state: 'degraded', previous: 'healthy', error: 'scripted: 503' },
      { sink: 'dead', state: 'failed', previous: 'degraded', error: 'scripted: 503' },
      { sink: 'dead', state: 'healthy', previous: 'failed' },
    ]);
    expect(told.map((e) => e.severity)).toEqual(['INFO', 'WARNING', 'INFO']);
    expect(healthEvents(dead)).toEqual([]);
    expectAllSettled(reporter.stats());
  });

  it('each sink hears about the other one, never about itself', async () => {
    const { sinks, reporter, settleInstantByInstant } = setup({ flushIntervalMs: 500, retryBaseDelayMs: 1000 }, (s) => [
      new ScriptedSink(s, [retryable()], success, { name: 'left' }),
      new ScriptedSink(s, [failure()], success, { name: 'right' }),
    ]);
    const [left, right] = sinks as [ScriptedSink, ScriptedSink];
    reporter.log('a');
    await settleInstantByInstant(reporter.flush());
    await settleInstantByInstant(reporter.stop());
    expect(healthEvents(left).map((d) => [d['sink'], d['state']])).toEqual([
      ['right', 'failed'],
      ['right', 'healthy'],
    ]);
    expect(healthEvents(right).map((d) => [d['sink'], d['state']])).toEqual([
      ['left', 'degraded'],
      ['left', 'healthy'],
    ]);
  });

  it('with a single sink there is nobody to tell: no telemetry.sink_health events, but its stats still change', async () => {
    const { scheduler, sinks, reporter, settleInstantByInstant } = setup({ flushIntervalMs: 500, retryBaseDelayMs: 1000, maxRetries: 1 }, (s) => [
      new ScriptedSink(s, [retryable(), retryable()], success, { name: 'only' }),
    ]);
    const [only] = sinks as [ScriptedSink];
    const names: string[] = [];
    reporter.events$.subscribe((e) => e.event === 'GENERIC_EVENT' && names.push(e.event_name));
    const states = statesOf(reporter, 'only');
    reporter.log('a');
    await settleInstantByInstant(reporter.flush());
    runUntil(scheduler, 10_000);
    reporter.log('b');
    await settleInstantByInstant(reporter.stop());
    expect(states).toEqual(['healthy', 'degraded', 'failed', 'healthy']);
    expect(names).not.toContain('telemetry.sink_health');
    expect(names).toContain('b');
    expect(only.generic('telemetry.sink_health')).toEqual([]);
    expectAllSettled(reporter.stats());
  });
});

describe('fan-out: a sink that stays failed', () => {
  // A failed sink loses every telemetry.health report too; that loss is counted (sendFailed) but not
  // reported again, or an idle reporter would send a report about the last report every 5 s forever.
  it('reports the loss once, not its own reports’ loss every 5 s forever', async () => {
    const { scheduler, sinks, reporter, settleInstantByInstant } = setup({ flushIntervalMs: 500 }, (s) => [
      new ScriptedSink(s, [], failure(), { name: 'bad' }),
      new ScriptedSink(s, [], success, { name: 'ok' }),
    ]);
    const ok = sinks[1]!;
    reporter.log('a');
    await settleInstantByInstant(reporter.flush());
    runUntil(scheduler, 60_000);
    expect(ok.generic('telemetry.health')).toHaveLength(1);
  });
});

describe('fan-out: per-sink queues', () => {
  /** A hung sink and a healthy one; `count` events logged 10 ms apart, batches of 2. */
  function overflow(maxQueueSize: number, count: number) {
    const context = setup({ maxQueueSize, flushThreshold: 2, flushIntervalMs: 100, httpTimeoutMs: 60_000 }, (s) => [
      new ScriptedSink(s, [], { hang: true }, { name: 'hung' }),
      new ScriptedSink(s, [], success, { name: 'healthy' }),
    ]);
    const { scheduler, reporter } = context;
    const logged: boolean[] = [];
    for (let i = 0; i < count; i++) scheduler.schedule(() => logged.push(reporter.log('work', { i })), 10 * i);
    runUntil(scheduler, 10 * count + 500);
    return { ...context, hung: context.sinks[0]!, healthy: context.sinks[1]!, logged };
  }

  /**
   * Every event was accepted and reached the healthy sink within one batch, or one flush interval,
   * of being logged: the `telemetry.health` report of what the hung lane shed joins the batches as
   * soon as it sheds, so a work event may be the odd one out and leave by the 100 ms timer.
   */
  function expectHealthyGotEverything({ reporter, healthy, logged }: ReturnType<typeof overflow>, count: number): void {
    expect(logged).toEqual(Array<boolean>(count).fill(true));
    expect(reporter.stats().dropped.queueFull).toBe(0);
    const work = healthy.events.filter((e): e is GenericEvent => e.event === 'GENERIC_EVENT' && e.event_name === 'work');
    expect(work.map((e) => e.event_data['i'])).toEqual(Array.from({ length: count }, (_, i) => i));
    for (const call of healthy.calls) {
      for (const e of call.batch) {
        if (e.event === 'GENERIC_EVENT' && e.event_name === 'work') expect(call.atMs).toBeLessThanOrEqual(10 * Number(e.event_data['i']) + 100);
      }
    }
    expect(reporter.stats().sinks['healthy']).toMatchObject({ state: 'healthy', failed: 0, queued: 0 });
  }

  it('a hanging sink overflows its own queue (failed, overflowed) while the healthy sink delivers everything', async () => {
    const context = overflow(64, 44);
    const { scheduler, reporter, hung, healthy, settleInstantByInstant } = context;
    expectHealthyGotEverything(context, 44);

    const hungStats = reporter.stats().sinks['hung']!;
    // Half of maxQueueSize per sink with two sinks: it holds 32 events (2 batches in flight, the
    // rest waiting); later batches overflowed, for this sink only.
    expect(hungStats).toMatchObject({ state: 'failed', delivered: 0, queued: 32, lastError: expect.stringContaining('queue is full') });
    expect(hungStats.overflowed).toBeGreaterThan(0);
    expect(hungStats.failed).toBe(hungStats.overflowed);
    expect(hung.calls).toHaveLength(2);
    expect(healthEvents(healthy)).toContainEqual({ sink: 'hung', state: 'failed', previous: 'healthy', error: expect.stringContaining('queue is full') });

    const stopAt = scheduler.now();
    expect(await settleInstantByInstant(reporter.stop(500))).toBe(false);
    expect(scheduler.now()).toBe(stopAt + 500);
    // SESSION_END is the last of the session's events; after it only the last telemetry.health, with
    // what the deadline gave up on the hung sink.
    expect(ordinary(healthy).at(-1)?.event).toBe('SESSION_END');
    expect(healthy.events.at(-1)).toMatchObject({ event_name: 'telemetry.health', event_data: { dropped: { partiallyDelivered: expect.any(Number) } } });
    expectAllSettled(reporter.stats());
    expect(reporter.stats().sinks['hung']).toMatchObject({ queued: 0, state: 'failed' });
    // The logger's lines about the hung sink add up to what it lost.
    const told = context.warnings.filter((w) => w.startsWith('sink hung ')).map((w) => Number(/(?:gave up on|lost) (\d+)/.exec(w)?.[1]));
    expect(told.length).toBeGreaterThanOrEqual(2);
    expect(told.reduce((a, b) => a + b, 0)).toBe(reporter.stats().sinks['hung']!.failed);
  });

  // A batch the healthy sink delivered and the hung lane shed is settled at once (only the waits
  // follow acceptance order), so it leaves room for new ones while the hung sink holds its first.
  it('a hanging sink never makes the reporter refuse events meant for the healthy sink (small queue)', () => {
    const context = overflow(16, 30);
    expectHealthyGotEverything(context, 30);
  });

  it('what the reporter holds never passes maxQueueSize, and queueFill says so, while one sink hangs', () => {
    const { scheduler, reporter } = setup({ maxQueueSize: 16, flushThreshold: 2, flushIntervalMs: 100, httpTimeoutMs: 60_000 }, (s) => [
      new ScriptedSink(s, [], { hang: true }, { name: 'hung' }),
      new ScriptedSink(s, [], success, { name: 'healthy' }),
    ]);
    const queued: number[] = [];
    const fills: number[] = [];
    reporter.stats$.subscribe((stats) => queued.push(stats.queued));
    reporter.health$.subscribe((health) => fills.push(health.queueFill));
    for (let i = 0; i < 200; i++) scheduler.schedule(() => reporter.log('work', { i }), 10 * i);
    runUntil(scheduler, 2500);
    expect(Math.max(...queued)).toBeLessThanOrEqual(16);
    expect(Math.max(...fills)).toBeLessThan(1);
    const stats = reporter.stats();
    // The hung sink holds what its own queue takes (half of maxQueueSize with two sinks); the rest went on.
    expect(stats.queued).toBe(8);
    expect(stats.dropped.queueFull).toBe(0);
    expect(stats.accepted).toBe(stats.delivered + stats.partiallyDelivered + stats.dropped.sendFailed + stats.queued);
  });
});

describe('fan-out: waiting waits for every sink', () => {
  it('flush() and drained$ wait for the slow sink, not just the fast one', async () => {
    const { scheduler, sinks, reporter, settleInstantByInstant } = setup({ flushIntervalMs: 10_000 }, (s) => [
      new ScriptedSink(s, [{ delayMs: 700, result: success }], success, { name: 'slow' }),
      new ScriptedSink(s, [], success, { name: 'fast' }),
    ]);
    const [slow, fast] = sinks as [ScriptedSink, ScriptedSink];
    const drained: [boolean, number][] = [];
    reporter.drained$.subscribe((d) => drained.push([d, scheduler.now()]));
    reporter.log('a');
    let flushedAt = -1;
    await settleInstantByInstant(reporter.flush().then(() => (flushedAt = scheduler.now())));

    expect(fast.calls.map((c) => c.atMs)).toEqual([0]);
    expect(slow.calls.map((c) => c.atMs)).toEqual([0]);
    expect(reporter.stats().sinks['fast']).toMatchObject({ delivered: 2, lastSuccessAt: 0 });
    expect(reporter.stats().sinks['slow']).toMatchObject({ delivered: 2, lastSuccessAt: 700 });
    expect(flushedAt).toBe(700);
    expect(drained).toEqual([
      [false, 0],
      [true, 700],
    ]);
    expect(await settleInstantByInstant(reporter.stop())).toBe(true);
  });
});

describe('fan-out: request size per sink', () => {
  const payload = 'x'.repeat(200);
  const logMany = (reporter: { log: (name: string, data?: unknown) => boolean }) => {
    for (let i = 0; i < 20; i++) reporter.log('big', { i, payload });
  };

  it('a sink with maxBatchBytes gets requests within it; a sink without gets the batch whole', async () => {
    const { sinks, reporter, settleInstantByInstant } = setup({}, (s) => [new BoundedSink(s, 2000), new ScriptedSink(s, [], success, { name: 'whole' })]);
    const [bounded, whole] = sinks as [ScriptedSink, ScriptedSink];
    logMany(reporter);
    await settleInstantByInstant(reporter.flush());

    expect(whole.calls.map((c) => c.batch.length)).toEqual([21]);
    expect(JSON.stringify(whole.calls[0]!.batch).length).toBeGreaterThan(2000);
    expect(bounded.calls.length).toBeGreaterThan(2);
    for (const call of bounded.calls) expect(Buffer.byteLength(JSON.stringify(call.batch))).toBeLessThanOrEqual(2000);
    // Cut in order, each event once, each part its own batch id.
    expect(bounded.events.map((e) => e.event_session_index)).toEqual(Array.from({ length: 21 }, (_, i) => i));
    expect(new Set(bounded.calls.map((c) => c.context.batchId)).size).toBe(bounded.calls.length);
    expect(reporter.stats().sinks['bounded']).toMatchObject({ state: 'healthy', delivered: 21 });
    expect(reporter.stats()).toMatchObject({ delivered: 21, dropped: { sendFailed: 0 } });
  });

  it('a 413 still splits in halves, with or without maxBatchBytes, for that sink only', async () => {
    const { sinks, reporter, settleInstantByInstant } = setup({}, (s) => [
      new BoundedSink(s, 2000, [failure(true)]),
      new ScriptedSink(s, [failure(true)], success, { name: 'splitting' }),
      new ScriptedSink(s, [], success, { name: 'whole' }),
    ]);
    const [bounded, splitting, whole] = sinks as [ScriptedSink, ScriptedSink, ScriptedSink];
    logMany(reporter);
    await settleInstantByInstant(reporter.flush());

    expect(whole.calls.map((c) => c.batch.length)).toEqual([21]);
    expect(splitting.calls.map((c) => c.batch.length)).toEqual([21, 11, 10]);
    expect(splitting.events.slice(21).map((e) => e.event_session_index)).toEqual(Array.from({ length: 21 }, (_, i) => i));
    // The first part was refused with 413 and went again as two halves; the parts after it as they were.
    const [first, ...rest] = bounded.calls.map((c) => c.batch.length);
    expect(first).toBeGreaterThan(1);
    expect(rest.slice(0, 2)).toEqual([Math.ceil(first! / 2), Math.floor(first! / 2)]);
    expect(bounded.events.slice(first).map((e) => e.event_session_index)).toEqual(Array.from({ length: 21 }, (_, i) => i));
    for (const call of bounded.calls) expect(Buffer.byteLength(JSON.stringify(call.batch))).toBeLessThanOrEqual(2000);
    expect(reporter.stats()).toMatchObject({ delivered: 21, dropped: { sendFailed: 0 } });
    for (const name of ['bounded', 'splitting', 'whole']) expect(reporter.stats().sinks[name]).toMatchObject({ state: 'healthy', delivered: 21, failed: 0 });
  });
});

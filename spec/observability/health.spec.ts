import { describe, expect, it } from '@jest/globals';
import { filter, map, type Observable } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import type { ReporterHealth } from '../../src/stats/observe.js';
import type { ReporterOptions } from '../../src/config/options.js';
import type { GenericEvent, TelemetryEvent } from '../../src/events/wire.js';
import { HEALTH_EVENT } from '../../src/events/names.js';
import { HEALTH_INTERVAL_MS } from '../../src/observability/health.js';
import type { EventView } from '../../src/reporter/replay.js';
import { failure, retryable, ScriptedSink, success } from '../helpers/scripted-sink.js';
import { virtualReporter, type VirtualReporterSetup } from '../helpers/virtual-reporter.js';
import { virtualScheduler } from '../helpers/virtual-time.js';

/**
 * The health emitter through a real reporter, in virtual time. Drops are produced on purpose:
 * `sampleRates: { noisy: 0 }` makes every `noisy` event a `sampled` drop, an empty name an
 * `invalid` one. The bus is not attached, so the only reporter-made events are the reports.
 */
const BASE: Partial<ReporterOptions> = { attachEvents: false, sampleRates: { noisy: 0 }, random: () => 0 };

/** A virtual-time reporter with the BASE options (bounded virtual time unless `scheduler` is given). */
function setup(setup: VirtualReporterSetup = {}) {
  return virtualReporter({ maxVirtualMs: 10 * 60_000, ...setup, options: { ...BASE, ...setup.options } });
}

const isHealth = (e: TelemetryEvent | EventView): e is GenericEvent => e.event === 'GENERIC_EVENT' && e.event_name === HEALTH_EVENT;
/** The `event_data` of each `telemetry.health` a stream shows. */
const reports = (events$: Observable<EventView>) => events$.pipe(filter(isHealth), map((e) => e.event_data));
const sentReports = (sink: ScriptedSink) => sink.events.filter(isHealth);
const at = (scheduler: TestScheduler, ms: number, work: () => void) => scheduler.schedule(work, ms);

describe('telemetry.health (marbles, virtual time)', () => {
  it('says nothing when nothing was dropped, and keeps no timer', async () => {
    const { scheduler, sink, reporter, settleAll } = setup({ options: { flushIntervalMs: 0 } });
    for (let t = 0; t < 30_000; t += 1000) at(scheduler, t, () => reporter.log('ok', { t }));
    scheduler.flush();
    expect(scheduler.actions).toHaveLength(0);
    await settleAll(reporter.stop());
    expect(sentReports(sink)).toEqual([]);
    expect(sink.events).toHaveLength(32); // SESSION_START, 30 events, SESSION_END
  });

  it('reports the first drop on the next turn (not inside log()), with the counts per reason', () => {
    const scheduler = virtualScheduler();
    scheduler.run(({ expectObservable }) => {
      const { reporter } = setup({ scheduler });
      const synchronous: unknown[] = [];
      at(scheduler, 100, () => {
        const sub = reports(reporter.events$).subscribe((r) => synchronous.push(r));
        reporter.log('');
        reporter.log('noisy');
        reporter.log('noisy');
        sub.unsubscribe();
      });
      expectObservable(reports(reporter.events$)).toBe('100ms a', {
        a: { dropped: { invalid: 1, sampled: 2 }, total: 3, interval_ms: null, queued: 1 },
      });
      scheduler.schedule(() => expect(synchronous).toEqual([]), 101);
    });
  });

  it('then at most one report per 5 s, with only the counts since the last one and interval_ms', () => {
    const scheduler = virtualScheduler();
    scheduler.run(({ expectObservable }) => {
      const { reporter } = setup({ scheduler, options: { flushIntervalMs: 0 } });
      at(scheduler, 100, () => reporter.log('noisy'));
      at(scheduler, 1000, () => reporter.log('noisy'));
      at(scheduler, 2000, () => reporter.log(''));
      at(scheduler, 4000, () => reporter.log('noisy'));
      at(scheduler, 20_000, () => reporter.log(''));
      at(scheduler, 20_001, () => reporter.log(''));
      expectObservable(reports(reporter.events$)).toBe('100ms a 4999ms b 14899ms c 4999ms d', {
        // Nothing is sent (no flush timer), so the earlier reports are still queued.
        a: { dropped: { sampled: 1 }, total: 1, interval_ms: null, queued: 1 },
        b: { dropped: { sampled: 2, invalid: 1 }, total: 3, interval_ms: HEALTH_INTERVAL_MS, queued: 2 },
        // Long after the last report: at once again.
        c: { dropped: { invalid: 1 }, total: 1, interval_ms: 14_900, queued: 3 },
        // The drop at 20 001 is within 5 s of the report at 20 000: it waits for 25 000.
        d: { dropped: { invalid: 1 }, total: 1, interval_ms: HEALTH_INTERVAL_MS, queued: 4 },
      });
    });
  });

  it('sends a last report when stop() begins, before SESSION_END, and none after', async () => {
    const { scheduler, sink, reporter, settleAll, runUntil } = setup();
    at(scheduler, 100, () => reporter.log('noisy'));
    at(scheduler, 1000, () => reporter.log('noisy'));
    at(scheduler, 1500, () => reporter.log(''));
    runUntil(2000);
    expect(scheduler.now()).toBe(2000);
    await settleAll(reporter.stop());
    const sent = sentReports(sink).map((e) => e.event_data);
    expect(sent).toEqual([
      { dropped: { sampled: 1 }, total: 1, interval_ms: null, queued: 1 },
      // Not at 5100: stop() at 2000 does not wait for the interval.
      { dropped: { sampled: 1, invalid: 1 }, total: 2, interval_ms: 1900, queued: 2 },
    ]);
    expect(sink.events.slice(-2).map((e) => (e.event === 'GENERIC_EVENT' ? e.event_name : e.event))).toEqual([HEALTH_EVENT, 'SESSION_END']);
    // After stop, a drop is counted but not reported, and arms no timer.
    expect(reporter.log('late')).toBe(false);
    expect(reporter.stats().dropped.stopped).toBe(1);
    expect(scheduler.actions).toHaveLength(0);
  });

  it('stop() sends no last report when nothing was dropped since the last one', async () => {
    const { scheduler, sink, reporter, settleAll, runUntil } = setup();
    at(scheduler, 100, () => reporter.log('noisy'));
    runUntil(1000);
    await settleAll(reporter.stop());
    expect(sentReports(sink).map((e) => e.event_data['total'])).toEqual([1]);
  });

  it('the last report gets into the terminal reserve of a full queue', async () => {
    const { reporter, sink, settleAll } = setup({ options: { maxQueueSize: 8, flushIntervalMs: 0 }, fallback: { delayMs: 1000, result: success } });
    const results = Array.from({ length: 6 }, () => reporter.log('flood'));
    expect(results).toEqual([true, true, true, false, false, false]);
    await settleAll(reporter.stop());
    const last = sentReports(sink).at(-1);
    expect(last?.event_data).toMatchObject({ dropped: { queueFull: 3 } });
    expect(sink.events.at(-1)?.event).toBe('SESSION_END');
  });

  it('is never rate-limited: a report retried 100 ms after its refused try passes a limit of 1 per second', async () => {
    // The try at 0 is refused at the full queue (8 − 4 reserved); the batch settles at 100 and the
    // report goes again at once — within the second a rate limiter would still hold it back.
    const { sink, reporter, settleAll, runUntil } = setup({
      options: { rateLimitPerTypePerSecond: 1, maxQueueSize: 8, flushThreshold: 4, flushIntervalMs: 0 },
      steps: [{ delayMs: 100, result: success }],
    });
    expect(['a', 'b', 'c', 'd'].map((name) => reporter.log(name))).toEqual([true, true, true, false]);
    runUntil(500);
    expect(reporter.stats()).toMatchObject({ queued: 1, dropped: { queueFull: 1, rateLimited: 0 } });
    await settleAll(reporter.stop());
    expect(sentReports(sink).map((e) => [e.timestamp, e.event_data])).toEqual([
      ['1970-01-01T00:00:00.100000Z', { dropped: { queueFull: 1 }, total: 1, interval_ms: null, queued: 0 }],
    ]);
    expect(reporter.stats().dropped.rateLimited).toBe(0);
  });

  it('is never sampled: sampleRate 0 drops every ordinary event, not the report of it', async () => {
    let draws = 0;
    const { sink, reporter, settleAll, runUntil } = setup({ options: { sampleRate: 0, random: () => (draws++, 0.5) } });
    expect(reporter.log('a')).toBe(false);
    expect(reporter.log('b')).toBe(false);
    runUntil(1000); // the report at 0, before stop
    expect(reporter.stats()).toMatchObject({ accepted: 2, dropped: { sampled: 2 } });
    await settleAll(reporter.stop());
    expect(draws).toBe(2);
    expect(sentReports(sink).map((e) => [e.severity, e.event_data])).toEqual([['WARNING', { dropped: { sampled: 2 }, total: 2, interval_ms: null, queued: 1 }]]);
    expect(reporter.stats().dropped.sampled).toBe(2);
  });

  it('does not report coalescing, which loses nothing', async () => {
    const { sink, reporter, settleAll } = setup();
    for (let p = 0; p <= 100; p += 10) reporter.log('upload.progress', { coalesceKey: 'u1', p });
    await settleAll(reporter.stop());
    expect(reporter.stats().dropped.coalesced).toBe(10);
    expect(sentReports(sink)).toEqual([]);
  });

  it('reports sendFailed when a batch is given up', async () => {
    const { scheduler, sink, reporter, settleAll } = setup({ options: { flushIntervalMs: 0 }, steps: [failure()] });
    reporter.log('a');
    await settleAll(reporter.flush());
    scheduler.flush();
    await settleAll(reporter.stop());
    expect(sentReports(sink).map((e) => e.event_data)).toEqual([expect.objectContaining({ dropped: { sendFailed: 2 }, total: 2 })]);
  });

  it('at a full queue it is refused without being counted as queueFull, and arrives as soon as room frees up', () => {
    const scheduler = virtualScheduler();
    scheduler.run(({ expectObservable }) => {
      // 8 slots − 4 reserved: SESSION_START and 3 events fill the queue; the batch of 4 is answered at 1000.
      const { reporter } = setup({ scheduler, options: { maxQueueSize: 8, flushThreshold: 4, flushIntervalMs: 0 }, steps: [{ delayMs: 1000, result: success }] });
      [1, 2, 3, 4].forEach((i) => reporter.log('e', { i }));
      at(scheduler, 500, () => expect(reporter.stats().dropped.queueFull).toBe(1));
      expectObservable(reports(reporter.events$)).toBe('1000ms a', {
        a: { dropped: { queueFull: 1 }, total: 1, interval_ms: null, queued: 0 },
      });
      at(scheduler, 2000, () => expect(reporter.stats().dropped).toMatchObject({ queueFull: 1 }));
    });
  });

  it('a refused report’s counts go in the next one, whose interval_ms is the time since the last report that got in', () => {
    const scheduler = virtualScheduler();
    scheduler.run(({ expectObservable }) => {
      const { reporter } = setup({ scheduler, options: { maxQueueSize: 8, flushIntervalMs: 0 } });
      at(scheduler, 0, () => reporter.log('noisy')); // reported at once; SESSION_START and the report wait in the batcher
      // At 10 000 two events fill the queue (8 − 4 reserved), a third is refused, and so is its report.
      at(scheduler, 10_000, () => [1, 2, 3].forEach((i) => reporter.log('e', { i })));
      // At 11 000 a flush sends the four; they settle and the owed report gets in.
      at(scheduler, 11_000, () => void reporter.flush());
      expectObservable(reports(reporter.events$)).toBe('a 10999ms b', {
        a: { dropped: { sampled: 1 }, total: 1, interval_ms: null, queued: 1 },
        b: { dropped: { queueFull: 1 }, total: 1, interval_ms: 11_000, queued: 0 },
      });
      at(scheduler, 10_500, () => expect(reporter.stats()).toMatchObject({ queued: 4, dropped: { queueFull: 1 } }));
    });
  });
});

describe('reporter.health$', () => {
  it('emits at once, then on each change: queue fill, the sink’s state, the last successful export', () => {
    const scheduler = virtualScheduler();
    scheduler.run(({ expectObservable }) => {
      const { reporter } = setup({ scheduler, options: { maxQueueSize: 10, flushIntervalMs: 1000, retryBaseDelayMs: 1000 }, steps: [retryable(), success] });
      at(scheduler, 10, () => reporter.log('a'));
      const healthy = { state: 'healthy', queued: 0 } as const;
      const values: Record<string, ReporterHealth> = {
        a: { queueFill: 0.1, queued: 1, capacity: 10, sinks: { scripted: healthy }, lastExportAt: undefined },
        b: { queueFill: 0.2, queued: 2, capacity: 10, sinks: { scripted: healthy }, lastExportAt: undefined },
        // The batch cut at 1000 fails once: degraded while it waits for its retry at 2000.
        c: { queueFill: 0.2, queued: 2, capacity: 10, sinks: { scripted: { state: 'degraded', queued: 2, lastError: 'scripted: 503' } }, lastExportAt: undefined },
        d: { queueFill: 0.2, queued: 2, capacity: 10, sinks: { scripted: { state: 'healthy', queued: 2, lastSuccessAt: 2000, lastError: 'scripted: 503' } }, lastExportAt: 2000 },
        e: { queueFill: 0, queued: 0, capacity: 10, sinks: { scripted: { state: 'healthy', queued: 0, lastSuccessAt: 2000, lastError: 'scripted: 503' } }, lastExportAt: 2000 },
      };
      expectObservable(reporter.health$).toBe('a 9ms b 989ms c 999ms (de)', values);
    });
  });

  it('shows the queue filling up to the ordinary limit and each sink separately', async () => {
    const { scheduler, reporter, settleAll } = setup({ options: { maxQueueSize: 8, flushIntervalMs: 0 } });
    const seen: ReporterHealth[] = [];
    const sub = reporter.health$.subscribe((h) => seen.push(h));
    for (let i = 0; i < 6; i++) reporter.log('e');
    expect(seen.map((h) => h.queueFill)).toEqual([0.125, 0.25, 0.375, 0.5]);
    scheduler.flush();
    await settleAll(reporter.stop());
    sub.unsubscribe();
    expect(seen.at(-1)).toMatchObject({ queueFill: 0, queued: 0, capacity: 8 });
  });

  it('with several sinks, each has its own state; lastExportAt is the latest success of any', async () => {
    const { reporter, settleAll } = setup({
      options: { flushIntervalMs: 0 },
      sinks: (scheduler) => [
        new ScriptedSink(scheduler, [{ delayMs: 300, result: success }, { delayMs: 200, result: success }], success, { name: 'good' }),
        new ScriptedSink(scheduler, [{ delayMs: 100, result: success }], failure(), { name: 'bad' }),
      ],
    });
    const seen: ReporterHealth[] = [];
    let completed = false;
    reporter.health$.subscribe({ next: (h) => seen.push(h), complete: () => (completed = true) });
    await settleAll(reporter.flush());
    expect(seen.at(-1)).toMatchObject({
      sinks: { good: { state: 'healthy', lastSuccessAt: 300 }, bad: { state: 'healthy', lastSuccessAt: 100 } },
      lastExportAt: 300,
    });
    reporter.log('a'); // at 300: the bad sink refuses it at once, the good one takes it at 500
    await settleAll(reporter.flush());
    expect(seen.at(-1)).toMatchObject({
      sinks: { good: { state: 'healthy', lastSuccessAt: 500 }, bad: { state: 'failed', lastSuccessAt: 100, lastError: 'scripted: 400' } },
      lastExportAt: 500,
    });
    await settleAll(reporter.stop());
    expect(completed).toBe(true);
  });
});

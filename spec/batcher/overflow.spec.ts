import { describe, expect, it } from '@jest/globals';
import type { ReporterStats } from '../../src/stats/counters.js';
import type { ReporterOptions } from '../../src/config/options.js';
import type { GenericEvent, TelemetryEvent } from '../../src/events/wire.js';
import type { EventView } from '../../src/reporter/replay.js';
import { failure, retryable, success, type Step } from '../helpers/scripted-sink.js';
import { virtualReporter } from '../helpers/virtual-reporter.js';

/**
 * The queue's door through a real reporter, in virtual time. `flushIntervalMs: 0` and the default
 * `flushThreshold` (100) keep events uncut until `flush()` or `stop()`, unless a test says otherwise.
 */
function setup(options: Partial<ReporterOptions> = {}, steps: Step[] = [], fallback: Step = success) {
  const virtual = virtualReporter({
    options: { attachEvents: false, flushIntervalMs: 0, random: () => 0, ...options },
    steps,
    fallback,
    maxVirtualMs: 10 * 60_000,
  });
  const { reporter } = virtual;
  const violations: string[] = [];
  const emissions: ReporterStats[] = [];
  reporter.stats$.subscribe((s) => {
    emissions.push(s);
    const problem = invariantProblem(s);
    if (problem !== undefined) violations.push(problem);
  });
  return { ...virtual, violations, emissions };
}

function invariantProblem(s: ReporterStats): string | undefined {
  if (s.accepted !== s.delivered + s.dropped.sendFailed + s.dropped.evicted + s.queued) {
    return `accepted ${s.accepted} ≠ delivered ${s.delivered} + sendFailed ${s.dropped.sendFailed} + evicted ${s.dropped.evicted} + queued ${s.queued}`;
  }
  if (s.queued < 0 || s.queuedBytes < 0 || s.settled > s.accepted) return `out of range: ${JSON.stringify(s)}`;
  return undefined;
}

const isUser = (e: TelemetryEvent): e is GenericEvent => e.event === 'GENERIC_EVENT' && !e.event_name.startsWith('telemetry.');
/** What the backend got, in order: kinds, and `name:data.i` (or `name:data.p`) of ordinary events. */
const labels = (events: readonly (TelemetryEvent | EventView)[]) =>
  events
    .filter((e) => e.event !== 'GENERIC_EVENT' || !e.event_name.startsWith('telemetry.'))
    .map((e) => (e.event === 'GENERIC_EVENT' ? `${e.event_name}:${String(e.event_data['i'] ?? e.event_data['p'] ?? '')}` : e.event));
const health = (events: readonly TelemetryEvent[]) =>
  events.filter((e): e is GenericEvent => e.event === 'GENERIC_EVENT' && e.event_name === 'telemetry.health').map((e) => e.event_data);

describe('overflow policy', () => {
  it("drop-newest (default) refuses the new event when full: queueFull, log() → false, what was accepted is sent", async () => {
    const { sink, reporter, violations, settleAll } = setup({ maxQueueSize: 8 });
    const results = [0, 1, 2, 3, 4, 5].map((i) => reporter.log('e', { i }));
    expect(results).toEqual([true, true, true, false, false, false]); // 8 − 4 reserved − SESSION_START
    await settleAll(reporter.stop());
    expect(labels(sink.events)).toEqual(['SESSION_START', 'e:0', 'e:1', 'e:2', 'SESSION_END']);
    expect(reporter.stats()).toMatchObject({ accepted: 6, delivered: 6, queued: 0, dropped: { queueFull: 3, evicted: 0 } });
    expect(health(sink.events)).toEqual([expect.objectContaining({ dropped: { queueFull: 3 } })]);
    expect(violations).toEqual([]);
  });

  it('drop-oldest takes the place of the oldest uncut ordinary event: evicted, log() → true, the newest are sent', async () => {
    const { sink, reporter, violations, settleAll } = setup({ maxQueueSize: 8, overflow: 'drop-oldest' });
    const results = [0, 1, 2, 3, 4, 5].map((i) => reporter.log('e', { i }));
    expect(results).toEqual([true, true, true, true, true, true]);
    expect(reporter.stats()).toMatchObject({ accepted: 7, queued: 4, dropped: { evicted: 3, queueFull: 0 } });
    await settleAll(reporter.stop());
    expect(labels(sink.events)).toEqual(['SESSION_START', 'e:3', 'e:4', 'e:5', 'SESSION_END']);
    const indexes = sink.events.map((e) => e.event_session_index);
    expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
    expect(reporter.stats()).toMatchObject({ queued: 0, dropped: { evicted: 3, sendFailed: 0 } });
    const s = reporter.stats();
    expect(s.accepted).toBe(s.delivered + s.dropped.evicted);
    expect(health(sink.events)).toEqual([expect.objectContaining({ dropped: { evicted: 3 } })]);
    expect(violations).toEqual([]);
  });

  it('drop-oldest never evicts SESSION_START, even when it is the oldest uncut event', async () => {
    const { sink, reporter, settleAll } = setup({ maxQueueSize: 8, overflow: 'drop-oldest' });
    for (let i = 0; i < 20; i++) reporter.log('e', { i });
    await settleAll(reporter.stop());
    expect(sink.events[0]).toMatchObject({ event: 'SESSION_START', event_session_index: 0 });
    expect(labels(sink.events)).toEqual(['SESSION_START', 'e:17', 'e:18', 'e:19', 'SESSION_END']);
  });

  it('drop-oldest never evicts events already cut into a batch: with nothing uncut, the new event is refused', async () => {
    // The batch of 4 (SESSION_START, e:0..2) is in flight until 1000 and fills 8 − 4 reserved.
    const { scheduler, sink, reporter, violations, settleAll, runUntil } = setup({ maxQueueSize: 8, overflow: 'drop-oldest', flushThreshold: 4 }, [
      { delayMs: 1000, result: success },
    ]);
    expect([0, 1, 2].map((i) => reporter.log('e', { i }))).toEqual([true, true, true]);
    scheduler.schedule(() => expect(reporter.log('e', { i: 3 })).toBe(false), 500);
    scheduler.schedule(() => expect(reporter.log('e', { i: 4 })).toBe(true), 1001); // settled at 1000
    runUntil(1001);
    await settleAll(reporter.stop());
    expect(labels(sink.events)).toEqual(['SESSION_START', 'e:0', 'e:1', 'e:2', 'e:4', 'SESSION_END']);
    expect(reporter.stats().dropped).toMatchObject({ evicted: 0, queueFull: 1 });
    expect(violations).toEqual([]);
  });

  it('drop-oldest evicts the oldest uncut event behind a batch in flight', async () => {
    // 12 − 4 reserved = 8: a batch of 4 in flight, 4 waiting; each new one pushes out the oldest waiting.
    const { sink, reporter, violations, settleAll } = setup({ maxQueueSize: 12, overflow: 'drop-oldest' }, [{ delayMs: 1000, result: success }]);
    for (let i = 0; i < 3; i++) reporter.log('e', { i });
    void reporter.flush(); // SESSION_START, e:0..2 in flight until 1000
    for (let i = 3; i < 9; i++) expect(reporter.log('e', { i })).toBe(true);
    expect(reporter.stats()).toMatchObject({ accepted: 10, queued: 8, dropped: { evicted: 2 } });
    await settleAll(reporter.stop());
    expect(labels(sink.events)).toEqual(['SESSION_START', 'e:0', 'e:1', 'e:2', 'e:5', 'e:6', 'e:7', 'e:8', 'SESSION_END']);
    expect(violations).toEqual([]);
  });
});

describe('coalescing by event_data.coalesceKey', () => {
  it('replaces the queued, uncut event with the same name and key: one slot, only the latest is sent', async () => {
    const { scheduler, sink, reporter, violations, settleAll } = setup();
    for (let p = 0; p <= 100; p += 10) scheduler.schedule(() => expect(reporter.log('upload.progress', { coalesceKey: 'u1', p }, p === 100 ? 'warning' : 'info')).toBe(true), p * 10);
    scheduler.flush();
    expect(reporter.stats()).toMatchObject({ accepted: 2, queued: 2, dropped: { coalesced: 10 } });
    await settleAll(reporter.stop());
    const progress = sink.events.filter(isUser);
    expect(progress).toHaveLength(1);
    // The latest data, severity and time, in the first one's place.
    expect(progress[0]).toMatchObject({ event_session_index: 1, severity: 'WARNING', event_data: { coalesceKey: 'u1', p: 100 } });
    expect(progress[0]!.timestamp).toBe('1970-01-01T00:00:01.000000Z');
    expect(health(sink.events)).toEqual([]); // coalescing loses nothing
    expect(violations).toEqual([]);
  });

  it('does not replace an event already cut or in flight: the next update is queued anew', async () => {
    const { scheduler, sink, reporter, settleAll, runUntil } = setup({ flushThreshold: 2 }, [{ delayMs: 1000, result: success }]);
    reporter.log('upload.progress', { coalesceKey: 'u1', p: 0 }); // cut with SESSION_START, in flight until 1000
    scheduler.schedule(() => reporter.log('upload.progress', { coalesceKey: 'u1', p: 50 }), 100);
    scheduler.schedule(() => reporter.log('upload.progress', { coalesceKey: 'u1', p: 60 }), 200); // replaces p: 50
    runUntil(500);
    expect(reporter.stats()).toMatchObject({ accepted: 3, dropped: { coalesced: 1 } });
    await settleAll(reporter.stop());
    expect(labels(sink.events)).toEqual(['SESSION_START', 'upload.progress:0', 'upload.progress:60', 'SESSION_END']);
  });

  it('scopes keys by name, and ignores keys that are not non-empty strings', async () => {
    const { sink, reporter, settleAll } = setup();
    reporter.log('upload.progress', { coalesceKey: 'k', p: 1 });
    reporter.log('download.progress', { coalesceKey: 'k', p: 2 });
    reporter.log('upload.progress', { coalesceKey: 'other', p: 3 });
    reporter.log('upload.progress', { coalesceKey: '', p: 4 });
    reporter.log('upload.progress', { coalesceKey: '', p: 5 });
    reporter.log('upload.progress', { coalesceKey: 7, p: 6 });
    reporter.log('upload.progress', { coalesceKey: 7, p: 7 });
    reporter.log('upload.progress', { nested: { coalesceKey: 'k' }, p: 8 });
    reporter.log('upload.progress', { coalesceKey: 'k', p: 9 }); // replaces p: 1 only
    await settleAll(reporter.stop());
    expect(labels(sink.events).slice(1, -1)).toEqual([
      'upload.progress:9', 'download.progress:2', 'upload.progress:3', 'upload.progress:4', 'upload.progress:5',
      'upload.progress:6', 'upload.progress:7', 'upload.progress:8',
    ]);
    expect(reporter.stats().dropped.coalesced).toBe(1);
  });

  it('takes an update even when the queue is full, and keeps the byte count of what is queued', async () => {
    const { reporter, sink, settleAll } = setup({ maxQueueSize: 8 });
    reporter.log('upload.progress', { coalesceKey: 'u1', p: 0 });
    reporter.log('a');
    reporter.log('b');
    expect(reporter.log('c')).toBe(false); // full
    const before = reporter.stats().queuedBytes;
    expect(reporter.log('upload.progress', { coalesceKey: 'u1', p: 1, note: 'n'.repeat(500) })).toBe(true);
    expect(reporter.stats()).toMatchObject({ accepted: 4, dropped: { queueFull: 1, coalesced: 1 } });
    expect(reporter.stats().queuedBytes).toBeGreaterThan(before + 400);
    await settleAll(reporter.stop());
    expect(reporter.stats().queuedBytes).toBe(0);
    expect(sink.events.filter(isUser).find((e) => e.event_name === 'upload.progress')?.event_data).toMatchObject({ p: 1 });
  });

  it('with drop-oldest, an evicted event is not a target: the update is queued anew', async () => {
    const { sink, reporter, violations, settleAll } = setup({ maxQueueSize: 8, overflow: 'drop-oldest' });
    reporter.log('upload.progress', { coalesceKey: 'u1', p: 0 });
    reporter.log('e', { i: 1 });
    reporter.log('e', { i: 2 });
    reporter.log('e', { i: 3 }); // evicts p: 0
    reporter.log('upload.progress', { coalesceKey: 'u1', p: 1 }); // evicts e:1
    reporter.log('upload.progress', { coalesceKey: 'u1', p: 2 }); // replaces p: 1
    await settleAll(reporter.stop());
    expect(labels(sink.events)).toEqual(['SESSION_START', 'e:2', 'e:3', 'upload.progress:2', 'SESSION_END']);
    expect(reporter.stats().dropped).toMatchObject({ evicted: 2, coalesced: 1 });
    expect(violations).toEqual([]);
  });
});

describe('terminalReserve', () => {
  it('a flood of ordinary events cannot take the reserve: the fatal exception and SESSION_END get in and are delivered', async () => {
    const { sink, reporter, violations, settleAll } = setup({ maxQueueSize: 8, terminalReserve: 2 });
    const flood = Array.from({ length: 100 }, (_, i) => reporter.log('flood', { i }));
    expect(flood.filter(Boolean)).toHaveLength(5); // 8 − 2 reserved − SESSION_START
    expect(reporter.logException(new Error('ordinary exception'))).toBe(false); // not terminal: no reserve
    expect(await settleAll(reporter.logFatalException(new Error('fatal')))).toBe(true);
    expect(labels(sink.events).slice(-2)).toEqual(['UNHANDLED_EXCEPTION', 'SESSION_END']);
    expect(sink.events.at(-2)).toMatchObject({ severity: 'CRITICAL', error_message: 'fatal' });
    await settleAll(reporter.stop());
    expect(sink.events.filter((e) => e.event === 'SESSION_END')).toHaveLength(1);
    expect(violations).toEqual([]);
  });

  it('with drop-oldest the flood evicts ordinary events, never the reserve', async () => {
    const { sink, reporter, settleAll } = setup({ maxQueueSize: 8, overflow: 'drop-oldest' });
    for (let i = 0; i < 50; i++) reporter.log('flood', { i });
    expect(await settleAll(reporter.logFatalException(new Error('fatal')))).toBe(true);
    expect(labels(sink.events)).toEqual(['SESSION_START', 'flood:47', 'flood:48', 'flood:49', 'UNHANDLED_EXCEPTION', 'SESSION_END']);
  });

  it('a flood of bytes cannot keep the fatal exception out either', async () => {
    const { sink, reporter, settleAll } = setup({ maxQueueBytes: 65_536 });
    let logged = 0;
    while (logged < 10_000 && reporter.log('filler')) logged++;
    const { queuedBytes, queued } = reporter.stats();
    expect(queued).toBeLessThan(10_000 - 4); // refused for bytes, not for count
    expect(65_536 - queuedBytes).toBeLessThan(200); // no room left for even an empty event
    expect(await settleAll(reporter.logFatalException(new Error('fatal')))).toBe(true);
    expect(labels(sink.events).slice(-2)).toEqual(['UNHANDLED_EXCEPTION', 'SESSION_END']);
  });
});

describe('maxQueueBytes', () => {
  it('refuses large events once the byte bound is reached, small ones still fit, and bytes go back to 0 after the drain', async () => {
    const { reporter, sink, emissions, violations, settleAll } = setup({ maxQueueBytes: 65_536, maxStringLength: 100_000 });
    const blob = 'x'.repeat(20_000);
    const big = [1, 2, 3, 4].map((i) => reporter.log('big', { i, blob }));
    expect(big).toEqual([true, true, true, false]);
    expect(reporter.log('small', { i: 5 })).toBe(true);
    expect(reporter.stats()).toMatchObject({ accepted: 5, dropped: { queueFull: 1 } });
    expect(reporter.stats().queuedBytes).toBeGreaterThan(60_000);
    await settleAll(reporter.flush());
    expect(reporter.stats()).toMatchObject({ queued: 1, queuedBytes: expect.any(Number) }); // the health report, queued after the flush
    await settleAll(reporter.stop());
    expect(reporter.stats()).toMatchObject({ queued: 0, queuedBytes: 0 });
    expect(labels(sink.events)).toEqual(['SESSION_START', 'big:1', 'big:2', 'big:3', 'small:5', 'SESSION_END']);
    expect(Math.max(...emissions.map((s) => s.queuedBytes))).toBeLessThanOrEqual(65_536);
    expect(violations).toEqual([]);
  });

  it('frees bytes when a batch is delivered, so large events fit again', async () => {
    const { reporter, settleAll } = setup({ maxQueueBytes: 65_536, maxStringLength: 100_000 });
    const blob = 'x'.repeat(30_000);
    expect([1, 2, 3].map((i) => reporter.log('big', { i, blob }))).toEqual([true, true, false]);
    await settleAll(reporter.flush());
    expect([4, 5].map((i) => reporter.log('big', { i, blob }))).toEqual([true, true]);
  });

  it('with drop-oldest, a large event evicts as many older ones as it needs', async () => {
    const { sink, reporter, violations, settleAll } = setup({ maxQueueBytes: 65_536, maxStringLength: 100_000, overflow: 'drop-oldest' });
    for (let i = 0; i < 10; i++) reporter.log('small', { i, pad: 'p'.repeat(5_000) });
    expect(reporter.log('big', { i: 10, blob: 'x'.repeat(40_000) })).toBe(true);
    expect(reporter.stats().queuedBytes).toBeLessThanOrEqual(65_536);
    await settleAll(reporter.stop());
    const sent = labels(sink.events);
    expect(sent[0]).toBe('SESSION_START');
    expect(sent.slice(-2)).toEqual(['big:10', 'SESSION_END']);
    // The oldest went first; the ones kept are the most recent.
    const kept = sent.filter((l) => l.startsWith('small:')).map((l) => Number(l.slice(6)));
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, k) => 10 - kept.length + k));
    expect(reporter.stats().dropped.evicted).toBe(10 - kept.length);
    expect(violations).toEqual([]);
  });
});

describe('events$ backlog replay', () => {
  it('gives a late subscriber the last replayBufferSize accepted events, then live ones, and completes after stop', async () => {
    const { reporter, settleAll } = setup({ replayBufferSize: 3, sampleRates: { dropped: 0 } });
    for (let i = 1; i <= 5; i++) reporter.log('e', { i, password: 'p' });
    reporter.log('dropped', { i: 99 }); // refused: never shown
    const seen: EventView[] = [];
    let completed = false;
    reporter.events$.subscribe({ next: (v) => seen.push(v), complete: () => (completed = true) });
    expect(labels(seen)).toEqual(['e:3', 'e:4', 'e:5']);
    expect(seen[0]).toMatchObject({ event: 'GENERIC_EVENT', event_session_index: 3, event_data: { i: 3, password: '[REDACTED]' } });
    expect(seen[0]).not.toHaveProperty('event_id');
    reporter.log('e', { i: 6 });
    expect(labels(seen)).toEqual(['e:3', 'e:4', 'e:5', 'e:6']);
    expect(completed).toBe(false);
    await settleAll(reporter.stop());
    expect(labels(seen)).toEqual(['e:3', 'e:4', 'e:5', 'e:6', 'SESSION_END']);
    expect(completed).toBe(true);

    // After stop: the backlog, then complete at once.
    const after: EventView[] = [];
    let afterCompleted = false;
    reporter.events$.subscribe({ next: (v) => after.push(v), complete: () => (afterCompleted = true) });
    expect(after).toHaveLength(3);
    expect(after.at(-1)?.event).toBe('SESSION_END');
    expect(afterCompleted).toBe(true);
  });

  it('keeps 100 by default; 0 means live only', async () => {
    const byDefault = setup();
    for (let i = 1; i <= 150; i++) byDefault.reporter.log('e', { i });
    const seen: EventView[] = [];
    byDefault.reporter.events$.subscribe((v) => seen.push(v)).unsubscribe();
    expect(labels(seen)).toEqual(Array.from({ length: 100 }, (_, k) => `e:${k + 51}`));

    const live = setup({ replayBufferSize: 0 });
    live.reporter.log('e', { i: 1 });
    const liveSeen: EventView[] = [];
    live.reporter.events$.subscribe((v) => liveSeen.push(v));
    live.reporter.log('e', { i: 2 });
    expect(labels(liveSeen)).toEqual(['e:2']);
    await live.settleAll(live.reporter.stop());
  });

  it('does not replay events the queue evicted', () => {
    const { reporter } = setup({ maxQueueSize: 8, overflow: 'drop-oldest', replayBufferSize: 10 });
    for (let i = 0; i < 6; i++) reporter.log('e', { i });
    const seen: EventView[] = [];
    reporter.events$.subscribe((v) => seen.push(v)).unsubscribe();
    expect(labels(seen)).toEqual(['SESSION_START', 'e:3', 'e:4', 'e:5']);
  });
});

describe('stats$ invariant', () => {
  it('accepted = delivered + sendFailed + evicted + queued at every emission of a settleAll with retries, failures, evictions and coalescing', async () => {
    // A slow sink (400 ms a batch, two in flight) that also fails now and then: the queue fills with
    // batches in flight, and new events push out the waiting ones.
    const steps: Step[] = [retryable(), failure(), { delayMs: 700, result: retryable() }, failure(), retryable(), retryable(), { delayMs: 100, result: failure() }];
    const { scheduler, reporter, emissions, violations, settleAll } = setup(
      // 15 − 4 reserved = 11, not a multiple of 3: when the queue is full, some events wait uncut.
      { maxQueueSize: 15, overflow: 'drop-oldest', flushThreshold: 3, maxRetries: 1, retryBaseDelayMs: 100, maxInFlightBatches: 2 },
      steps,
      { delayMs: 400, result: success },
    );
    for (let t = 0; t < 5000; t += 50) {
      scheduler.schedule(() => {
        reporter.log('tick', { t });
        if (t % 200 === 0) for (let k = 0; k < 3; k++) reporter.log('progress', { coalesceKey: 'job', t, k });
        if (t % 1000 === 0) reporter.logException(new Error(`at ${t}`));
      }, t);
    }
    scheduler.flush();
    await settleAll(reporter.stop());
    const last = reporter.stats();
    expect(violations).toEqual([]);
    expect(emissions.length).toBeGreaterThan(100);
    // The settleAll did exercise every path.
    expect(last.dropped.sendFailed).toBeGreaterThan(0);
    expect(last.dropped.evicted).toBeGreaterThan(0);
    expect(last.dropped.coalesced).toBeGreaterThan(0);
    expect(last.retries).toBeGreaterThan(0);
    expect(last).toMatchObject({ queued: 0, queuedBytes: 0 });
    expect(last.accepted).toBe(last.delivered + last.dropped.sendFailed + last.dropped.evicted);
  });
});

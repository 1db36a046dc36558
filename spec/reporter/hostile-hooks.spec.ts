import { describe, expect, it } from '@jest/globals';
import { Subject, type SchedulerAction, type SchedulerLike, type Subscription } from 'rxjs';
import { createReporter } from '../../src/create-reporter.js';
import type { BusEvent } from '../../src/reporter/types.js';
import type { ExportResult } from '../../src/sinks/sink.js';
import { failure, retryable, ScriptedSink, success } from '../helpers/scripted-sink.js';
import { virtualReporter } from '../helpers/virtual-reporter.js';
import { settleAll, virtualScheduler } from '../helpers/virtual-time.js';

const invariantHolds = (stats: ReturnType<ReturnType<typeof createReporter>['stats']>): void =>
  expect(stats.accepted).toBe(
    stats.delivered + stats.partiallyDelivered + stats.dropped.sendFailed + stats.dropped.evicted + stats.dropped.internal + stats.queued,
  );

describe('a logger that throws', () => {
  it('never throws into the app: not when a sink gives up, not when an attached stream fails; stop() settles everything', async () => {
    let calls = 0;
    const logger = {
      warn: () => {
        calls++;
        throw new Error('the logger is broken');
      },
    };
    const { reporter, settleAll } = virtualReporter({ fallback: failure(), options: { logger, attachEvents: false, maxRetries: 0 } });
    const source = new Subject<BusEvent>();
    reporter.attach(source);
    reporter.log('a');
    // Both would have thrown on the caller's stack (scheduler.flush, source.error) before.
    expect(() => source.error(new Error('stream broke'))).not.toThrow();
    const ok = await settleAll(reporter.stop());
    expect(ok).toBe(false);
    expect(calls).toBeGreaterThanOrEqual(2);
    const stats = reporter.stats();
    expect(stats.queued).toBe(0);
    expect(stats.dropped.sendFailed).toBe(stats.accepted);
    invariantHolds(stats);
  });
});

describe('a random source that throws', () => {
  it('never kills the pipeline: sampling and retry jitter fall back to Math.random, the logger hears it once', async () => {
    const { reporter, sink, warnings, settleAll } = virtualReporter({
      steps: [retryable()],
      options: {
        attachEvents: false,
        sampleRate: 0.5,
        random: () => {
          throw new Error('no entropy');
        },
      },
    });
    const kept = Array.from({ length: 200 }, (_, i) => reporter.log('e', { i })).filter(Boolean).length;
    expect(await settleAll(reporter.stop())).toBe(true);
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(200);
    expect(sink.events[0]).toMatchObject({ event: 'SESSION_START' });
    // The scripted sink keeps what every attempt carried: one SESSION_END, maybe seen twice (the retried batch).
    expect(new Set(sink.events.filter((e) => e.event === 'SESSION_END').map((e) => e.event_id)).size).toBe(1);
    // Everything accepted was delivered: SESSION_START, the kept events, the health report of the sampled ones, SESSION_END.
    const stats = reporter.stats();
    expect(stats).toMatchObject({ accepted: kept + 3, delivered: kept + 3, queued: 0, dropped: { sampled: 200 - kept, internal: 0 } });
    expect(warnings.filter((w) => w.includes('`random`'))).toHaveLength(1);
  });

  it('a value outside [0, 1) is not used either', async () => {
    const { reporter, warnings, settleAll } = virtualReporter({ options: { attachEvents: false, sampleRate: 0.5, random: () => Number.NaN } });
    const kept = Array.from({ length: 200 }, () => reporter.log('e')).filter(Boolean).length;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(200);
    expect(await settleAll(reporter.stop())).toBe(true);
    expect(warnings).toEqual([expect.stringContaining('outside [0, 1)')]);
  });
});

/** A virtual scheduler whose `schedule` can be made to throw (a broken user-supplied scheduler). */
function breakable(): { scheduler: SchedulerLike; inner: ReturnType<typeof virtualScheduler>; broken: { value: boolean } } {
  const inner = virtualScheduler();
  const broken = { value: false };
  const scheduler: SchedulerLike = {
    now: () => inner.now(),
    schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay?: number, state?: T): Subscription {
      if (broken.value) throw new Error('scheduler broke');
      return inner.schedule(work, delay, state);
    },
  };
  return { scheduler, inner, broken };
}

describe('if the pipeline fails anyway', () => {
  it('settles every accepted event as dropped.internal, says so once, refuses later events, and stop() resolves', async () => {
    const { scheduler, inner, broken } = breakable();
    const sink = new ScriptedSink(inner, [{ hang: true }], success);
    const warnings: string[] = [];
    const reporter = createReporter({ sinks: [sink], scheduler, attachEvents: false, flushIntervalMs: 1000, logger: { warn: (m) => warnings.push(m) } });
    reporter.log('a'); // the batch timer is armed by SESSION_START already
    await settleAll(inner, reporter.flush().then(() => undefined), 3); // SESSION_START and 'a' go out and hang
    broken.value = true;
    // Arming the batch timer for 'b' throws inside the pipeline, after 'b' was accepted.
    expect(reporter.log('b')).toBe(true);
    await Promise.resolve();
    broken.value = false;
    expect(reporter.log('d')).toBe(false);
    expect(await settleAll(inner, reporter.stop(100))).toBe(false);
    const stats = reporter.stats();
    expect(stats.queued).toBe(0);
    expect(stats.dropped.internal).toBeGreaterThan(0);
    // 'd' and SESSION_END, refused once the pipeline was gone.
    expect(stats.dropped.stopped).toBe(2);
    invariantHolds(stats);
    expect(warnings.filter((w) => w.startsWith('pipeline failed'))).toEqual([expect.stringContaining('scheduler broke')]);
  });
});

describe('a sink that says odd things about what it refused', () => {
  it('bad positions, counts and fields that throw cannot break the reporter: every event settles once, the other sink gets everything', async () => {
    const throwing = Object.defineProperty({ status: 'success' }, 'refusedPositions', {
      enumerable: true,
      get: () => {
        throw new Error('refusedPositions exploded');
      },
    });
    const odd = [
      { status: 'success', refusedPositions: [-1, 1e9, 0.5, '0', Number.NaN, 1, 1] },
      throwing,
      { status: 'success', rejected: Number.NaN, refusedPositions: 'none' },
      { status: 'retryable', only: {}, refusedPositions: [0], retryAfterMs: -1 },
      { status: 'success', rejected: Infinity },
    ] as unknown as ExportResult[];
    const { reporter, sinks, warnings, settleAll: settle } = virtualReporter({
      options: { attachEvents: false, flushIntervalMs: 0, retryBaseDelayMs: 10 },
      sinks: (s) => [new ScriptedSink(s, odd, success, { name: 'odd' }), new ScriptedSink(s, [], success, { name: 'ok' })],
    });
    const logged: boolean[] = [];
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 3; i++) logged.push(reporter.log('work', { round, i }));
      await settle(reporter.flush());
    }
    await settle(reporter.stop());
    expect(logged.every(Boolean)).toBe(true);
    const stats = reporter.stats();
    expect(stats.queued).toBe(0);
    invariantHolds(stats);
    const [oddSink, ok] = sinks as [ScriptedSink, ScriptedSink];
    expect(stats.sinks['ok']).toMatchObject({ state: 'healthy', failed: 0, delivered: ok.events.length });
    // Each event the odd sink was given ends delivered or failed there, exactly once.
    const given = new Set(oddSink.events.map((e) => e.event_id)).size;
    expect(stats.sinks['odd']!.delivered + stats.sinks['odd']!.failed).toBe(given);
    // Call 1: position 1 refused. Call 2: a result whose field throws, the whole batch lost. Call 3:
    // nothing refused. Call 4: position 0 refused, the rest retried (call 5), where a count of
    // Infinity refuses every position. Then the fallback success: healthy again.
    const sizes = oddSink.calls.map((c) => c.batch.length);
    expect(sizes[4]).toBe(sizes[3]! - 1);
    expect(stats.sinks['odd']).toMatchObject({ state: 'healthy', failed: 1 + sizes[1]! + 0 + 1 + sizes[4]! });
    expect(stats.partiallyDelivered).toBe(stats.sinks['odd']!.failed);
    expect(warnings.filter((w) => w.startsWith('sink odd'))).toEqual([
      `sink odd gave up on ${sizes[1]} event(s): refusedPositions exploded`,
      // The partial refusal of call 1, told with the next line about the sink's losses.
      `sink odd lost 1 more event(s) (${1 + sizes[1]!} in all): odd: backend refused 1 event(s)`,
      'sink odd recovered',
      `sink odd: the backend refused all ${sizes[3]} event(s) of a batch: odd: export returned a retryable result without an error`,
      'sink odd recovered',
    ]);
  });
});
